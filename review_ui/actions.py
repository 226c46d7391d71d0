"""The officer's writes: decisions and notes, each with its audit entry in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import Request

from adwatch.casework.networkdecisions import record_for_members
from adwatch.storage.models import Decision, Note
from adwatch.storage.models.ownership import subject_municipality
from adwatch.vocabulary import DECISIONS, MAX_NOTE, MAX_REASON, PARTNERS
from review_ui.audit import actor_of, add_entry
from review_ui.errors import UIError
from review_ui.texts import texts
from review_ui.viewer import Viewer


@dataclass(frozen=True)
class Subject:
    """What a decision or note is about: an ad or a network."""

    ad_id: int | None = None
    network_id: str | None = None

    @property
    def kind(self) -> str:
        return "ad" if self.ad_id is not None else "network"

    @property
    def object_id(self) -> int | str:
        return self.ad_id if self.ad_id is not None else str(self.network_id)


@dataclass(frozen=True)
class DecisionForm:
    """The submitted decision, as typed."""

    status: str
    reason: str
    partner: str = ""
    forwarded_on: str = ""


def validate_decision(form: DecisionForm) -> tuple[str | None, date | None]:
    """The partner and date of a valid decision; UIError 400 with the reason otherwise."""
    if form.status not in DECISIONS:
        raise UIError(400, texts.decide_bad_status, "bad_status")
    if not form.reason.strip() or len(form.reason) > MAX_REASON:
        raise UIError(400, texts.decide_need_reason, "need_reason")
    if form.status != "doorzetten":
        return None, None
    try:
        when = date.fromisoformat(form.forwarded_on)
    except ValueError:
        when = None
    if form.partner not in PARTNERS or when is None:
        raise UIError(400, texts.decide_need_partner, "need_partner")
    return form.partner, when


def check_subject(session, subject: Subject, viewer: Viewer) -> None:
    """404 unless the ad or network exists in one of the viewer's municipalities."""
    found = subject_municipality(session, subject.ad_id, subject.network_id)
    if found is None or found not in viewer.municipalities:
        raise UIError(404)


def decide(request: Request, viewer: Viewer, subject: Subject, form: DecisionForm) -> int:
    """Store the decision and its audit entry; returns the decision id."""
    partner, when = validate_decision(form)
    with request.app.state.instance.db.writing() as session:
        check_subject(session, subject, viewer)
        row = Decision(
            ad_id=subject.ad_id,
            network_id=subject.network_id,
            status=form.status,
            partner=partner,
            forwarded_on=when,
            reason=form.reason.strip(),
            actor_id=viewer.user_id,
        )
        session.add(row)
        session.flush()
        members = record_for_members(session, row) if subject.network_id else []
        details = {"decision_id": row.id, "status": form.status, "partner": partner or ""}
        if members:
            details["member_ad_ids"] = members
        add_entry(
            session,
            request,
            actor_of(viewer),
            "decide",
            subject.kind,
            [subject.object_id],
            details=details,
        )
        return row.id


def add_note(request: Request, viewer: Viewer, subject: Subject, text: str) -> int:
    """Store a note and its audit entry; returns the note id."""
    if not text.strip() or len(text) > MAX_NOTE:
        raise UIError(400, texts.note_empty, "note_empty")
    with request.app.state.instance.db.writing() as session:
        check_subject(session, subject, viewer)
        row = Note(
            ad_id=subject.ad_id,
            network_id=subject.network_id,
            text=text.strip(),
            author_id=viewer.user_id,
        )
        session.add(row)
        session.flush()
        add_entry(
            session,
            request,
            actor_of(viewer),
            "note",
            subject.kind,
            [subject.object_id],
            details={"note_id": row.id},
        )
        return row.id
