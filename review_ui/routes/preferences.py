"""A user's saved filters and digest opt-in (POST with a CSRF token; audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from review_ui.audit import actor_of, add_entry
from review_ui.errors import UIError
from review_ui.preferences import delete_filter, save_filter, set_digest
from review_ui.routes.common import see_other
from review_ui.security import OFFICERS, READERS, check_csrf, require
from review_ui.viewer import Viewer

router = APIRouter()
Reader = Annotated[Viewer, Depends(require(*READERS))]
Officer = Annotated[Viewer, Depends(require(*OFFICERS))]


class FilterIn(BaseModel):
    """The save-filter form."""

    csrf_token: str = Field("", max_length=100)
    name: str = Field("", max_length=80)
    query: str = Field("", max_length=1000)


class TokenIn(BaseModel):
    """A form with only its CSRF token."""

    csrf_token: str = Field("", max_length=100)


class DigestIn(BaseModel):
    """The digest opt-in form: an address, or empty to opt out."""

    csrf_token: str = Field("", max_length=100)
    email: str = Field("", max_length=200)


@router.post("/filters")
def save(request: Request, viewer: Reader, form: Annotated[FilterIn, Form()]) -> Response:
    """Save the current queue filter under a name."""
    check_csrf(form.csrf_token, viewer.csrf)
    if not form.name.strip():
        return see_other("/queue?error=filter_name")
    with request.app.state.instance.db.writing() as session:
        made = save_filter(session, viewer.user_id, form.name, form.query)
        add_entry(session, request, actor_of(viewer), "save_filter", "saved_filter", [made or 0])
    return see_other("/queue?saved=filter")


@router.post("/filters/{filter_id}/delete")
def remove(
    request: Request, filter_id: int, viewer: Reader, form: Annotated[TokenIn, Form()]
) -> Response:
    """Delete one of the user's saved filters."""
    check_csrf(form.csrf_token, viewer.csrf)
    with request.app.state.instance.db.writing() as session:
        if not delete_filter(session, viewer.user_id, filter_id):
            raise UIError(404)
        add_entry(session, request, actor_of(viewer), "delete_filter", "saved_filter", [filter_id])
    return see_other("/queue")


@router.post("/digest")
def digest(request: Request, viewer: Officer, form: Annotated[DigestIn, Form()]) -> Response:
    """Opt in to (with an address) or out of the nightly digest."""
    check_csrf(form.csrf_token, viewer.csrf)
    email = form.email.strip()
    if email and ("@" not in email or any(c.isspace() for c in email)):
        return see_other("/home?error=digest_email#digest")
    with request.app.state.instance.db.writing() as session:
        set_digest(session, viewer.user_id, email)
        action = "digest_on" if email else "digest_off"
        add_entry(session, request, actor_of(viewer), action, "user", [viewer.user_id])
    return see_other("/home?saved=digest#digest")
