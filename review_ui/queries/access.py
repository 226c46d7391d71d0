"""Who may see what: the municipalities a viewer's queries are limited to, and the accounts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import Ad, User
from adwatch.storage.models.ownership import ad_municipality, network_municipality

# Matches no ad: a municipality code starts with a letter.
NO_MUNICIPALITY = "-"


def restriction(session: Session, granted: frozenset[str]) -> tuple[str, ...]:
    """The municipalities a query must be limited to for this viewer; () when the viewer is
    granted every municipality that has ads (an installation for one municipality)."""
    if not granted:
        return (NO_MUNICIPALITY,)
    present = municipalities_present(session)
    return () if present <= granted else tuple(sorted(granted))


def municipalities_present(session: Session) -> set[str]:
    """The municipalities that have ads: one index probe per municipality, not a scan."""
    found: set[str] = set()
    last = None
    while True:
        query = select(func.min(Ad.municipality))
        if last is not None:
            query = query.where(Ad.municipality > last)
        last = session.scalar(query)
        if last is None:
            return found
        found.add(last)


def ad_visible(session: Session, ad_id: int, granted: frozenset[str]) -> bool:
    """Whether the ad is in a municipality the viewer is granted."""
    return ad_municipality(session, ad_id) in granted


def network_visible(session: Session, network_id: str, granted: frozenset[str]) -> bool:
    """Whether the network is in a municipality the viewer is granted."""
    return network_municipality(session, network_id) in granted


def any_ad_visible(session: Session, ad_ids: list[int], granted: frozenset[str]) -> bool:
    """Whether one of the ads is in a granted municipality (an image is shown to whoever may
    see one of the ads it appears in)."""
    if not ad_ids:
        return False
    query = select(Ad.id).where(Ad.id.in_(ad_ids), Ad.municipality.in_(granted)).limit(1)
    return session.scalar(query) is not None


def users(session: Session) -> list[User]:
    """Every account, for the admin's page (no secrets are rendered)."""
    return list(session.scalars(select(User).order_by(User.username)))
