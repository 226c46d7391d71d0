"""What was done about an ad or a network: its decisions, notes and exported evidence packs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.storage.models import Decision, EvidencePack, Note, User
from review_ui.views import DecisionView, NoteView


def decisions_where(session: Session, condition: Any) -> list[DecisionView]:
    """The decisions matching the condition, newest first, with their actor's name."""
    rows = session.execute(
        select(Decision, User.username)
        .join(User, User.id == Decision.actor_id)
        .where(condition)
        .order_by(Decision.id.desc())
    ).all()
    return [
        DecisionView(
            d.status, d.partner, d.forwarded_on, d.reason, name, d.created_at, d.via_network
        )
        for d, name in rows
    ]


def notes_where(session: Session, condition: Any) -> list[NoteView]:
    """The notes matching the condition, newest first, with their author's name."""
    rows = session.execute(
        select(Note, User.username)
        .join(User, User.id == Note.author_id)
        .where(condition)
        .order_by(Note.id.desc())
    ).all()
    return [NoteView(n.text, name, n.created_at) for n, name in rows]


@dataclass(frozen=True)
class PackRow:
    """An evidence pack that holds this ad or network."""

    id: int
    created_at: datetime
    actor: str
    recipient: str
    case_ref: str
    manifest_digest: str


def packs_for(
    session: Session,
    granted: frozenset[str],
    ad_id: int | None = None,
    network_id: str | None = None,
) -> list[PackRow]:
    """Packs exported for the ad (alone or in a network) or for the network, newest first."""
    rows = session.scalars(
        select(EvidencePack)
        .where(EvidencePack.municipality.in_(granted))
        .order_by(EvidencePack.id.desc())
    ).all()
    return [
        PackRow(p.id, p.created_at, p.actor, p.recipient, p.case_ref, p.manifest_digest)
        for p in rows
        if (network_id is not None and p.network_id == network_id)
        or (ad_id is not None and ad_id in (p.ad_ids or []))
    ]
