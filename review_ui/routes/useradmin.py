"""User administration for admins: create an account with a one-time setup link, grant and revoke
municipalities, deactivate. Every change is audited through the core's audit chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from adwatch.access.accounts import (
    AccountError,
    change_grant,
    create_user,
    grants_by_user,
    set_active,
)
from adwatch.storage.models import User
from adwatch.vocabulary import ADMIN, ROLES
from review_ui.audit import actor_of, record
from review_ui.errors import UIError
from review_ui.queries.access import users
from review_ui.routes.common import page, see_other
from review_ui.security import ADMINS, check_csrf, require
from review_ui.viewer import Viewer

router = APIRouter()
Admin = Annotated[Viewer, Depends(require(*ADMINS))]


class NewUserIn(BaseModel):
    """The create-account form."""

    csrf_token: str = Field("", max_length=100)
    username: str = Field("", max_length=64)
    role: str = Field("", max_length=16)
    municipality: list[str] = Field(default_factory=list, max_length=50)


class GrantIn(BaseModel):
    """A grant or revoke of one municipality."""

    csrf_token: str = Field("", max_length=100)
    municipality: str = Field("", max_length=40)


class TokenIn(BaseModel):
    """A form with only its CSRF token."""

    csrf_token: str = Field("", max_length=100)


def users_page_for(request: Request, viewer: Viewer, **extra) -> Response:
    """The accounts with role, municipalities, state and the admin's forms."""
    with request.app.state.instance.db.reading() as session:
        grants = grants_by_user(session)
        accounts = [
            (
                u.id,
                u.username,
                u.role,
                grants.get(u.id, []),
                u.active,
                u.setup_token_hash is None,
                u.last_login_at,
            )
            for u in users(session)
        ]
    record(request, viewer, "view_users", "user", [a[0] for a in accounts])
    return page(request, "users.html", viewer, accounts=accounts, **extra)


@router.post("/users")
def create(request: Request, viewer: Admin, form: Annotated[NewUserIn, Form()]) -> Response:
    """Create an account; the page shows its one-time setup link (never put in a URL)."""
    check_csrf(form.csrf_token, viewer.csrf)
    names = request.app.state.municipality_names
    wanted = [m for m in form.municipality if m in names]
    name = form.username.strip()
    if form.role not in ROLES or not name or (form.role == ADMIN) == bool(wanted):
        return users_page_for(request, viewer, error_code="user_form")
    try:
        instance = request.app.state.instance
        with instance.db.writing() as session:
            # The core audits the new account (and each grant below) and encrypts its secret.
            user, token = create_user(
                session, name, form.role, key=instance.totp_key, actor=actor_of(viewer)
            )
            for code in wanted:
                change_grant(session, user, code, granted=True, actor=actor_of(viewer))
    except AccountError:
        return users_page_for(request, viewer, error_code="user_exists")
    link = f"{str(request.base_url).rstrip('/')}/setup/{token}"
    return users_page_for(request, viewer, setup_link=link, setup_for=name)


def _change(request: Request, viewer: Viewer, user_id: int, code: str, granted: bool) -> Response:
    if code not in request.app.state.municipality_names:
        raise UIError(400, "Onbekende gemeente.", "bad_municipality")
    with request.app.state.instance.db.writing() as session:
        user = session.get(User, user_id)
        if user is None:
            raise UIError(404)
        try:
            change_grant(session, user, code, granted=granted, actor=actor_of(viewer))
        except AccountError as exc:
            raise UIError(400, "Beheerders zien geen advertenties.", "admin_grant") from exc
    return see_other("/users?saved=grant")


@router.post("/users/{user_id}/grant")
def grant(
    request: Request, user_id: int, viewer: Admin, form: Annotated[GrantIn, Form()]
) -> Response:
    """Let the user see one more municipality."""
    check_csrf(form.csrf_token, viewer.csrf)
    return _change(request, viewer, user_id, form.municipality, True)


@router.post("/users/{user_id}/revoke")
def revoke(
    request: Request, user_id: int, viewer: Admin, form: Annotated[GrantIn, Form()]
) -> Response:
    """Take one municipality away from the user."""
    check_csrf(form.csrf_token, viewer.csrf)
    return _change(request, viewer, user_id, form.municipality, False)


@router.post("/users/{user_id}/deactivate")
def deactivate(
    request: Request, user_id: int, viewer: Admin, form: Annotated[TokenIn, Form()]
) -> Response:
    """Switch the account off and end its sessions; its history stays."""
    check_csrf(form.csrf_token, viewer.csrf)
    if user_id == viewer.user_id:
        raise UIError(400, "U kunt uw eigen account niet uitzetten.", "self_deactivate")
    with request.app.state.instance.db.writing() as session:
        user = session.get(User, user_id)
        if user is None:
            raise UIError(404)
        user.setup_token_hash = None
        set_active(session, user, False, actor=actor_of(viewer))
    return see_other("/users?saved=deactivated")
