"""Every read of cases (zaken): the overview by meldroute step and one case with all it holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from adwatch.storage.models import (
    CaseEvent,
    CaseFile,
    CaseItem,
    Decision,
    EvidencePack,
    NetworkMember,
    User,
)
from adwatch.vocabulary import CASE_CLOSED
from review_ui.queries.history import PackRow, decisions_where
from review_ui.queries.summaries import summaries_of
from review_ui.views import AdSummary, DecisionView


@dataclass(frozen=True)
class CaseLine:
    """A case as one line of the overview."""

    id: int
    zaaknummer: str
    title: str
    step: str
    follow_up_on: date | None
    updated_at: datetime
    waiting: tuple[str, ...]  # partners forwarded to that have not answered yet
    overdue: bool


@dataclass(frozen=True)
class EventView:
    """One entry of a case's history."""

    kind: str
    partners: tuple[str, ...]
    on_date: date | None
    text: str
    actor: str
    created_at: datetime


@dataclass
class CaseDetail:
    """Everything the case page shows."""

    line: CaseLine
    opened_at: datetime
    opened_by: str
    ads: list[AdSummary]
    networks: list[tuple[str, int]]
    decisions: list[DecisionView]
    events: list[EventView]
    packs: list[PackRow] = field(default_factory=list)
    member_ids: list[int] = field(default_factory=list)


def _waiting(events: list[tuple[str, str | None]]) -> tuple[str, ...]:
    """Partners forwarded to, in order, that gave no feedback after the forward."""
    waiting: list[str] = []
    for kind, partner in events:
        if kind == "doorzetting" and partner and partner not in waiting:
            waiting.append(partner)
        elif kind == "terugkoppeling" and partner in waiting:
            waiting.remove(partner)
    return tuple(waiting)


def _events_by_case(
    session: Session, case_ids: list[int]
) -> dict[int, list[tuple[str, str | None]]]:
    rows = session.execute(
        select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.partner)
        .where(
            CaseEvent.case_id.in_(case_ids), CaseEvent.kind.in_(("doorzetting", "terugkoppeling"))
        )
        .order_by(CaseEvent.id)
    )
    found: dict[int, list[tuple[str, str | None]]] = {}
    for case_id, kind, partner in rows:
        found.setdefault(case_id, []).append((kind, partner))
    return found


def _line(case: CaseFile, events: list, today: date) -> CaseLine:
    overdue = bool(case.follow_up_on and case.follow_up_on < today and case.step != CASE_CLOSED)
    return CaseLine(
        case.id,
        case.zaaknummer,
        case.title,
        case.step,
        case.follow_up_on,
        case.updated_at,
        _waiting(events),
        overdue,
    )


def case_lines(session: Session, granted: frozenset[str], today: date) -> list[CaseLine]:
    """The granted cases: waiting forwards and overdue follow-ups first, then by last change."""
    cases = session.scalars(
        select(CaseFile)
        .where(CaseFile.municipality.in_(granted))
        .order_by(CaseFile.updated_at.desc())
    ).all()
    events = _events_by_case(session, [c.id for c in cases])
    lines = [_line(c, events.get(c.id, []), today) for c in cases]
    return sorted(lines, key=lambda c: (not c.waiting and not c.overdue, c.step == CASE_CLOSED))


def case_detail(session: Session, case: CaseFile, today: date) -> CaseDetail:
    """One case with its ads, networks, decisions, history and evidence packs."""
    items = session.execute(
        select(CaseItem.ad_id, CaseItem.network_id)
        .where(CaseItem.case_id == case.id)
        .order_by(CaseItem.id)
    ).all()
    ad_ids = [a for a, _ in items if a is not None]
    network_ids = [n for _, n in items if n is not None]
    members = session.execute(
        select(NetworkMember.network_id, NetworkMember.ad_id).where(
            NetworkMember.network_id.in_(network_ids)
        )
    ).all()
    sizes = {n: sum(1 for m, _ in members if m == n) for n in network_ids}
    condition = or_(
        and_(Decision.ad_id.in_(ad_ids), Decision.via_network.is_(None)),
        and_(Decision.network_id.in_(network_ids), Decision.ad_id.is_(None)),
    )
    summaries = summaries_of(session, ad_ids)
    events = session.execute(
        select(CaseEvent, User.username)
        .join(User, User.id == CaseEvent.actor_id)
        .where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.id.desc())
    ).all()
    history = [
        EventView(
            e.kind,
            tuple(filter(None, (e.partner or "").split(","))),
            e.on_date,
            e.text,
            name,
            e.created_at,
        )
        for e, name in events
    ]
    chronological = [(e.kind, ",".join(e.partners) or None) for e in reversed(history)]
    opener = session.scalar(select(User.username).where(User.id == case.opened_by)) or ""
    return CaseDetail(
        line=_line(case, chronological, today),
        opened_at=case.opened_at,
        opened_by=opener,
        ads=[summaries[a] for a in ad_ids if a in summaries],
        networks=[(n, sizes.get(n, 0)) for n in network_ids],
        decisions=decisions_where(session, condition),
        events=history,
        packs=case_packs(session, case.zaaknummer, case.municipality),
        member_ids=sorted(set(ad_ids) | {a for _, a in members}),
    )


def case_packs(session: Session, zaaknummer: str, municipality: str) -> list[PackRow]:
    """Evidence packs exported under the case's zaaknummer, newest first."""
    rows = session.scalars(
        select(EvidencePack)
        .where(EvidencePack.case_ref == zaaknummer, EvidencePack.municipality == municipality)
        .order_by(EvidencePack.id.desc())
    )
    return [
        PackRow(p.id, p.created_at, p.actor, p.recipient, p.case_ref, p.manifest_digest)
        for p in rows
    ]


def cases_holding(
    session: Session,
    granted: frozenset[str],
    ad_id: int | None = None,
    network_id: str | None = None,
) -> list[tuple[int, str]]:
    """(id, zaaknummer) of the granted cases that hold this ad or network."""
    condition = CaseItem.ad_id == ad_id if ad_id is not None else CaseItem.network_id == network_id
    rows = session.execute(
        select(CaseFile.id, CaseFile.zaaknummer)
        .join(CaseItem, CaseItem.case_id == CaseFile.id)
        .where(condition, CaseFile.municipality.in_(granted))
        .distinct()
    )
    return [tuple(r) for r in rows]


def open_cases(session: Session, granted: frozenset[str]) -> list[tuple[int, str, str]]:
    """(id, zaaknummer, title) of the cases not closed, for "add to case"."""
    rows = session.execute(
        select(CaseFile.id, CaseFile.zaaknummer, CaseFile.title)
        .where(CaseFile.municipality.in_(granted), CaseFile.step != CASE_CLOSED)
        .order_by(CaseFile.id.desc())
    )
    return [tuple(r) for r in rows]
