"""Decisions and notes on an ad or a network (officers only; POST with a CSRF token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from adwatch.vocabulary import MAX_NOTE, MAX_REASON
from review_ui.actions import DecisionForm, Subject, add_note, decide
from review_ui.errors import UIError
from review_ui.routes.ads import render_ad
from review_ui.routes.common import see_other
from review_ui.routes.networks import render_network
from review_ui.security import OFFICERS, check_csrf, require
from review_ui.viewer import Viewer

router = APIRouter()
Officer = Annotated[Viewer, Depends(require(*OFFICERS))]


class DecisionIn(BaseModel):
    """The decision form as posted."""

    csrf_token: str = Field("", max_length=100)
    status: str = Field("", max_length=40)
    reason: str = Field("", max_length=MAX_REASON)
    partner: str = Field("", max_length=40)
    forwarded_on: str = Field("", max_length=20)


class NoteIn(BaseModel):
    """The note form as posted."""

    csrf_token: str = Field("", max_length=100)
    text: str = Field("", max_length=MAX_NOTE)


def _record_decision(
    request: Request, viewer: Viewer, subject: Subject, url: str, form: DecisionIn
) -> Response:
    check_csrf(form.csrf_token, viewer.csrf)
    try:
        decide(
            request,
            viewer,
            subject,
            DecisionForm(form.status, form.reason, form.partner, form.forwarded_on),
        )
    except UIError as exc:
        if exc.status != 400:
            raise
        if subject.ad_id is not None:
            return render_ad(request, subject.ad_id, viewer, form, exc.code)
        return render_network(request, str(subject.network_id), viewer, form, exc.code)
    return see_other(f"{url}?saved=decision#beslissen")


def _record_note(
    request: Request, viewer: Viewer, subject: Subject, url: str, form: NoteIn
) -> Response:
    check_csrf(form.csrf_token, viewer.csrf)
    try:
        add_note(request, viewer, subject, form.text)
    except UIError as exc:
        if exc.status != 400:
            raise
        return see_other(f"{url}?error={exc.code}#notities")
    return see_other(f"{url}?saved=note#notities")


@router.post("/ads/{ad_id}/decisions")
def ad_decision(
    request: Request, ad_id: int, viewer: Officer, form: Annotated[DecisionIn, Form()]
) -> Response:
    """Record a decision on an ad."""
    return _record_decision(request, viewer, Subject(ad_id=ad_id), f"/ads/{ad_id}", form)


@router.post("/networks/{network_id}/decisions")
def network_decision(
    request: Request, network_id: str, viewer: Officer, form: Annotated[DecisionIn, Form()]
) -> Response:
    """Record a decision on a network."""
    key = network_id[:40]
    return _record_decision(request, viewer, Subject(network_id=key), f"/networks/{key}", form)


@router.post("/ads/{ad_id}/notes")
def ad_note(
    request: Request, ad_id: int, viewer: Officer, form: Annotated[NoteIn, Form()]
) -> Response:
    """Keep a note on an ad."""
    return _record_note(request, viewer, Subject(ad_id=ad_id), f"/ads/{ad_id}", form)


@router.post("/networks/{network_id}/notes")
def network_note(
    request: Request, network_id: str, viewer: Officer, form: Annotated[NoteIn, Form()]
) -> Response:
    """Keep a note on a network."""
    key = network_id[:40]
    return _record_note(request, viewer, Subject(network_id=key), f"/networks/{key}", form)
