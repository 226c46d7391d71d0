"""Accountability: exporting the audit log, legal holds, and the periodic access review.

Each write here appends its own audit entry (ids only) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.access.accounts import grants_by_user
from adwatch.errors import AdwatchError
from adwatch.evidence.addata import when
from adwatch.storage.chain import append, entry_payload
from adwatch.storage.models import Ad, AuditEvent, LegalHold, Network, User
from adwatch.timeutil import as_utc, utcnow

# Audit actions on a user that are not changes to the account or its rights.
NOT_RIGHTS = frozenset({"login", "logout", "denied"})


class HoldError(AdwatchError):
    """A legal hold that cannot be added or released; the message says why."""

    exit_code = 4


def audit_lines(session: Session, since: datetime | None) -> list[dict[str, Any]]:
    """The audit entries from `since` on, each with the values its hash covers and the hash."""
    query = select(AuditEvent).order_by(AuditEvent.seq)
    entries = []
    for entry in session.scalars(query):
        if since is None or as_utc(entry.at) >= as_utc(since):
            entries.append({**entry_payload(entry), "entry_hash": entry.entry_hash})
    return entries


def add_hold(
    session: Session, actor: str, reason: str, ad_id: int | None, network_id: str | None
) -> LegalHold:
    """Put an ad or a network under a legal hold."""
    if (ad_id is None) == (network_id is None):
        raise HoldError("a hold is on one ad (--ad) or one network (--network)")
    if not reason.strip():
        raise HoldError("a hold needs a reason (--reason)")
    if ad_id is not None and session.get(Ad, ad_id) is None:
        raise HoldError(f"ad {ad_id} does not exist")
    if network_id is not None and session.get(Network, network_id) is None:
        raise HoldError(f"network {network_id} does not exist")
    hold = LegalHold(ad_id=ad_id, network_id=network_id, reason=reason.strip(), actor=actor)
    session.add(hold)
    session.flush()
    _audit(session, actor, "hold_add", hold)
    return hold


def release_hold(session: Session, actor: str, hold_id: int, now: datetime | None = None) -> None:
    """Release a legal hold; the purge applies the ad's retention term again."""
    hold = session.get(LegalHold, hold_id)
    if hold is None:
        raise HoldError(f"legal hold {hold_id} does not exist")
    if hold.released_at is not None:
        raise HoldError(f"legal hold {hold_id} was already released on {when(hold.released_at)}")
    hold.released_at = now or utcnow()
    _audit(session, actor, "hold_release", hold)


def _audit(session: Session, actor: str, action: str, hold: LegalHold) -> None:
    target = {"ad_id": hold.ad_id, "network_id": hold.network_id}
    append(
        session,
        AuditEvent,
        actor=actor,
        action=action,
        object_type="legal_hold",
        object_ids=[hold.id],
        details=target,
    )


def users_review(session: Session) -> list[dict[str, Any]]:
    """Every account with role, second factor, last login and the changes to it from the log."""
    changes = _rights_changes(session)
    grants = grants_by_user(session)
    return [
        {
            "user": user.username,
            "role": user.role,
            "active": user.active,
            "totp": _totp_ready(user),
            "last_login": when(user.last_login_at),
            "created": when(user.created_at),
            "municipalities": grants.get(user.id, []),
            "changes": changes.get(user.id, []),
        }
        for user in session.scalars(select(User).order_by(User.username))
    ]


def _totp_ready(user: User) -> bool:
    # A TOTP secret is made with the account; it counts once setup proved the app has it.
    return bool(user.totp_secret) and user.setup_token_hash is None and bool(user.password_hash)


def _rights_changes(session: Session) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    query = select(AuditEvent).where(AuditEvent.object_type == "user").order_by(AuditEvent.seq)
    for entry in session.scalars(query):
        if entry.action in NOT_RIGHTS or entry.action.startswith("view"):
            continue
        for user_id in [u for u in entry.object_ids or [] if str(u).isdigit()]:
            text = f"{when(entry.at)} {entry.action} by {entry.actor}{_detail(entry.details)}"
            found.setdefault(int(user_id), []).append(text)
    return found


def _detail(details: dict[str, Any] | None) -> str:
    wanted = {"role", "from", "to", "active", "municipality"}
    shown = {k: v for k, v in (details or {}).items() if k in wanted}
    return f" ({', '.join(f'{k}={v}' for k, v in shown.items())})" if shown else ""
