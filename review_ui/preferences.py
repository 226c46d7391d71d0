"""A user's own settings: saved queue filters and the opt-in for the nightly digest."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from adwatch.storage.models import DigestSubscription, SavedFilter

# Only these query keys are kept in a saved filter: codes, dates and the typed place.
FILTER_KEYS = ("tier", "indicator", "source", "place", "status", "from", "to", "group")
MAX_FILTERS = 30


@dataclass(frozen=True)
class SavedView:
    """A saved filter as a link."""

    id: int
    name: str
    url: str


def clean_query(query: str) -> str:
    """The query string of a filter with only the known keys, non-empty values."""
    pairs = [(k, v[:100]) for k, v in parse_qsl(query) if k in FILTER_KEYS and v]
    return urlencode(pairs)


def saved_filters(session: Session, user_id: int) -> list[SavedView]:
    """The user's saved filters, oldest first."""
    rows = session.scalars(
        select(SavedFilter).where(SavedFilter.user_id == user_id).order_by(SavedFilter.id)
    )
    return [SavedView(r.id, r.name, f"/queue?{r.query}") for r in rows]


def save_filter(session: Session, user_id: int, name: str, query: str) -> int | None:
    """Keep a filter under a name; None when the user already has the maximum."""
    count = len(saved_filters(session, user_id))
    if count >= MAX_FILTERS:
        return None
    row = SavedFilter(user_id=user_id, name=name.strip()[:80], query=clean_query(query))
    session.add(row)
    session.flush()
    return row.id


def delete_filter(session: Session, user_id: int, filter_id: int) -> bool:
    """Remove one of the user's own filters."""
    done = session.execute(
        delete(SavedFilter).where(SavedFilter.id == filter_id, SavedFilter.user_id == user_id)
    )
    return bool(done.rowcount)


def digest_address(session: Session, user_id: int) -> str:
    """The address the user's digest goes to, or "" when they did not opt in."""
    row = session.get(DigestSubscription, user_id)
    return row.email if row else ""


def set_digest(session: Session, user_id: int, email: str) -> None:
    """Opt in with an address, or out with an empty one."""
    row = session.get(DigestSubscription, user_id)
    if not email:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(DigestSubscription(user_id=user_id, email=email))
    else:
        row.email = email
