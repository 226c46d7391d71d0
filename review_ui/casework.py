"""The officer's writes on cases (zaken): open, add ads or networks, record what happened.

Each write and its audit entry share one transaction; entries hold ids and codes, never text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from fastapi import Request
from sqlalchemy import func, select

from adwatch.storage.models import CaseEvent, CaseFile, CaseItem
from adwatch.storage.models.ownership import subject_municipality
from adwatch.timeutil import utcnow
from adwatch.vocabulary import CASE_STEPS, MAX_NOTE, PARTNERS, STEP_OF_EVENT
from review_ui.actions import Subject
from review_ui.audit import actor_of, add_entry
from review_ui.errors import UIError
from review_ui.localtime import local_today
from review_ui.viewer import Viewer

ZAAKNUMMER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{1,39}$")


@dataclass(frozen=True)
class EventForm:
    """One case event as typed."""

    kind: str
    text: str = ""
    partners: tuple[str, ...] = ()
    on_date: str = ""
    step: str = ""


def next_zaaknummer(session, year: int) -> str:
    """ "MH-<year>-<n>": one more than the cases opened this year."""
    prefix = f"MH-{year}-"
    count = session.scalar(
        select(func.count()).select_from(CaseFile).where(CaseFile.zaaknummer.like(prefix + "%"))
    )
    return f"{prefix}{(count or 0) + 1:04d}"


def _subject_of(session, subject: Subject, viewer: Viewer) -> str:
    found = subject_municipality(session, subject.ad_id, subject.network_id)
    if found is None or found not in viewer.municipalities:
        raise UIError(404)
    return found


def open_case(
    request: Request, viewer: Viewer, subject: Subject, title: str, zaaknummer: str
) -> int:
    """Open a case about an ad or a network; returns its id."""
    with request.app.state.instance.db.writing() as session:
        municipality = _subject_of(session, subject, viewer)
        number = zaaknummer.strip() or next_zaaknummer(session, local_today().year)
        if not ZAAKNUMMER.match(number):
            raise UIError(
                400,
                "Een zaaknummer bestaat uit letters, cijfers, '-', '.' of '/'.",
                "bad_zaaknummer",
            )
        if session.scalar(select(CaseFile.id).where(CaseFile.zaaknummer == number)):
            raise UIError(400, "Dit zaaknummer bestaat al.", "zaaknummer_taken")
        case = CaseFile(
            zaaknummer=number,
            municipality=municipality,
            title=(title.strip() or number)[:200],
            opened_by=viewer.user_id,
        )
        session.add(case)
        session.flush()
        session.add(CaseItem(case_id=case.id, ad_id=subject.ad_id, network_id=subject.network_id))
        add_entry(
            session,
            request,
            actor_of(viewer),
            "open_case",
            "case",
            [case.id],
            details=_item(subject),
        )
        return case.id


def _item(subject: Subject) -> dict:
    return {"ad_id": subject.ad_id, "network_id": subject.network_id}


def visible_case(session, case_id: int, viewer: Viewer) -> CaseFile:
    """The case when the viewer may see it; UIError 404 otherwise."""
    case = session.get(CaseFile, case_id)
    if case is None or case.municipality not in viewer.municipalities:
        raise UIError(404)
    return case


def add_item(request: Request, viewer: Viewer, case_id: int, subject: Subject) -> None:
    """Add an ad or a network of the case's municipality to the case (once)."""
    with request.app.state.instance.db.writing() as session:
        case = visible_case(session, case_id, viewer)
        if _subject_of(session, subject, viewer) != case.municipality:
            raise UIError(404)
        present = select(CaseItem.id).where(
            CaseItem.case_id == case_id,
            CaseItem.ad_id.is_(None) if subject.ad_id is None else CaseItem.ad_id == subject.ad_id,
            CaseItem.network_id.is_(None)
            if subject.network_id is None
            else CaseItem.network_id == subject.network_id,
        )
        if session.scalar(present) is None:
            session.add(
                CaseItem(case_id=case_id, ad_id=subject.ad_id, network_id=subject.network_id)
            )
            case.updated_at = utcnow()
        add_entry(
            session,
            request,
            actor_of(viewer),
            "case_add",
            "case",
            [case_id],
            details=_item(subject),
        )


def _validate(form: EventForm) -> tuple[date | None, list[str]]:
    partners = [p for p in form.partners if p]
    if any(p not in PARTNERS for p in partners):
        raise UIError(400, "Kies partners uit de lijst.", "bad_partner")
    try:
        when = date.fromisoformat(form.on_date) if form.on_date else None
    except ValueError as exc:
        raise UIError(400, "Vul een geldige datum in.", "bad_date") from exc
    needs = {
        "notitie": bool(form.text.strip()),
        "overleg": bool(partners) and when is not None,
        "doorzetting": len(partners) == 1 and when is not None,
        "terugkoppeling": len(partners) == 1 and bool(form.text.strip()),
        "opvolging": when is not None,
        "stap": form.step in CASE_STEPS,
    }
    if not needs.get(form.kind, False) or len(form.text) > MAX_NOTE:
        raise UIError(400, "Vul de velden in die bij deze stap horen.", f"event_{form.kind}"[:40])
    return when, partners


def add_event(request: Request, viewer: Viewer, case_id: int, form: EventForm) -> int:
    """Record a note, consultation, forward, feedback, follow-up date or step; returns its id."""
    when, partners = _validate(form)
    with request.app.state.instance.db.writing() as session:
        case = visible_case(session, case_id, viewer)
        row = CaseEvent(
            case_id=case_id,
            kind=form.kind,
            partner=",".join(partners) or None,
            on_date=when,
            text=form.text.strip() if form.kind != "stap" else form.step,
            actor_id=viewer.user_id,
        )
        session.add(row)
        case.step = form.step if form.kind == "stap" else STEP_OF_EVENT.get(form.kind, case.step)
        if form.kind == "opvolging":
            case.follow_up_on = when
        case.updated_at = utcnow()
        session.flush()
        details = {"event_id": row.id, "kind": form.kind, "partners": partners, "step": case.step}
        add_entry(
            session, request, actor_of(viewer), "case_event", "case", [case_id], details=details
        )
        return row.id
