"""Cases (zaken): the overview by meldroute step, one case's page, and the officer's writes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from adwatch.errors import AdwatchError
from adwatch.evidence.export import export_pack
from adwatch.timeutil import utcnow
from adwatch.vocabulary import MAX_NOTE
from review_ui.actions import Subject
from review_ui.audit import record
from review_ui.casefiles import case_detail, case_lines
from review_ui.casework import EventForm, add_event, add_item, open_case, visible_case
from review_ui.errors import UIError
from review_ui.localtime import local_today
from review_ui.routes.common import page, see_other
from review_ui.routes.evidence import PackIn, packs_dir
from review_ui.security import OFFICERS, READERS, check_csrf, require
from review_ui.viewer import Viewer

router = APIRouter()
Officer = Annotated[Viewer, Depends(require(*OFFICERS))]
Reader = Annotated[Viewer, Depends(require(*READERS))]


class SubjectIn(BaseModel):
    """An ad or a network to open a case about or add to one."""

    csrf_token: str = Field("", max_length=100)
    ad_id: int | None = None
    network_id: str = Field("", max_length=40)
    title: str = Field("", max_length=200)
    zaaknummer: str = Field("", max_length=40)
    case_id: int | None = None

    def subject(self) -> Subject:
        if (self.ad_id is None) == (not self.network_id):
            raise UIError(400, "Kies een advertentie of een netwerk.", "no_subject")
        return Subject(self.ad_id, self.network_id or None)


class EventIn(BaseModel):
    """A case event as posted."""

    csrf_token: str = Field("", max_length=100)
    kind: str = Field("", max_length=20)
    text: str = Field("", max_length=MAX_NOTE)
    partner: list[str] = Field(default_factory=list, max_length=5)
    on_date: str = Field("", max_length=20)
    step: str = Field("", max_length=32)


@router.get("/cases")
def overview(request: Request, viewer: Reader) -> Response:
    """Cases by meldroute step; waiting forwards and overdue follow-ups on top."""
    with request.app.state.instance.db.reading() as session:
        lines = case_lines(session, viewer.municipalities, local_today())
    record(request, viewer, "view_cases", "case", [c.id for c in lines])
    return page(request, "cases.html", viewer, lines=lines)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, viewer: Reader) -> Response:
    """One case: its ads, networks, decisions, history, evidence packs and follow-up date."""
    with request.app.state.instance.db.reading() as session:
        try:
            case = visible_case(session, case_id, viewer)
        except UIError:
            record(request, viewer, "view_case", "case", [case_id], result="not_found")
            raise
        detail = case_detail(session, case, local_today())
    record(request, viewer, "view_case", "case", [case_id], details={"ad_ids": detail.member_ids})
    return page(request, "case.html", viewer, case=detail)


@router.post("/cases")
def open_new(request: Request, viewer: Officer, form: Annotated[SubjectIn, Form()]) -> Response:
    """Open a case from an ad or a network, or add it to an existing case."""
    check_csrf(form.csrf_token, viewer.csrf)
    subject = form.subject()
    back = (
        f"/ads/{subject.ad_id}" if subject.ad_id is not None else f"/networks/{subject.network_id}"
    )
    try:
        if form.case_id is not None:
            add_item(request, viewer, form.case_id, subject)
            return see_other(f"/cases/{form.case_id}?saved=case_item")
        case_id = open_case(request, viewer, subject, form.title, form.zaaknummer)
    except UIError as exc:
        if exc.status != 400:
            raise
        return see_other(f"{back}?error={exc.code}#zaak")
    return see_other(f"/cases/{case_id}?saved=case_opened")


@router.post("/cases/{case_id}/events")
def event(
    request: Request, case_id: int, viewer: Officer, form: Annotated[EventIn, Form()]
) -> Response:
    """Record a note, consultation, forward, feedback, follow-up date or step."""
    check_csrf(form.csrf_token, viewer.csrf)
    typed = EventForm(form.kind, form.text, tuple(form.partner), form.on_date, form.step)
    try:
        add_event(request, viewer, case_id, typed)
    except UIError as exc:
        if exc.status != 400:
            raise
        return see_other(f"/cases/{case_id}?error={exc.code}#verloop")
    return see_other(f"/cases/{case_id}?saved=case_event#verloop")


@router.post("/cases/{case_id}/evidence")
def case_pack(
    request: Request, case_id: int, viewer: Officer, form: Annotated[PackIn, Form()]
) -> Response:
    """Export one evidence pack of every ad in the case; the file name carries the zaaknummer."""
    check_csrf(form.csrf_token, viewer.csrf)
    instance = request.app.state.instance
    with instance.db.reading() as session:
        case = visible_case(session, case_id, viewer)
        number = case.zaaknummer
        ad_ids = case_detail(session, case, local_today()).member_ids
    texts = (form.purpose, form.legal_basis, form.recipient)
    if not all(v.strip() for v in texts):
        return see_other(f"/cases/{case_id}?error=pack_incomplete#bewijs")
    safe = "".join(c if c.isalnum() or c in "-." else "_" for c in number)
    out_path = packs_dir(request) / f"{safe}-{utcnow():%Y%m%dT%H%M%SZ}.zip"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        export_pack(
            instance,
            ad_ids=ad_ids,
            purpose=form.purpose.strip(),
            legal_basis=form.legal_basis.strip(),
            recipient=form.recipient.strip(),
            case_ref=number,
            actor=viewer.username,
            out_path=out_path,
            zaaknummer=number,
        )
    except AdwatchError:
        record(request, viewer, "export_pack", "case", [case_id], result="refused")
        return see_other(f"/cases/{case_id}?error=pack_refused#bewijs")
    return see_other(f"/cases/{case_id}?saved=pack#bewijs")
