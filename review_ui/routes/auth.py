"""Log in, log out, and set up an account from its one-time link."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from adwatch.access.accounts import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    AccountError,
    authenticate,
    end_session,
    finish_setup,
    known_origins,
    start_session,
    totp_secret_of,
    user_for_setup,
)
from adwatch.storage.models import UserSession
from adwatch.vocabulary import ADMIN, OFFICER, VIEWER
from review_ui.audit import add_entry, record
from review_ui.errors import UIError
from review_ui.routes.common import page, see_other
from review_ui.security import (
    EVERYONE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    cookie_name,
    delete_cookie,
    load_viewer,
    require,
    set_cookie,
    totp_required,
)
from review_ui.texts import texts
from review_ui.viewer import Viewer, origin_of

router = APIRouter()
HOME = {OFFICER: "/home", VIEWER: "/home", ADMIN: "/system"}


def _login_form(request: Request, status: int = 200, message: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    response = page(
        request,
        "login.html",
        None,
        csrf=token,
        message=message,
        expired=request.query_params.get("expired") == "1",
        logged_out=request.query_params.get("out") == "1",
        need_totp=totp_required(request),
    )
    response.status_code = status
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token)
    return response


@router.get("/", include_in_schema=False)
def root(request: Request) -> Response:
    """The home page of the role, or the login page."""
    viewer = load_viewer(request)
    return see_other(HOME[viewer.role] if viewer else "/login")


@router.get("/login")
def login_page(request: Request) -> Response:
    """The login form."""
    return _login_form(request)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form(max_length=100)],
    code: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Check the credentials (with growing delays after failures) and start a session."""
    check_csrf(csrf_token, request.cookies.get(cookie_name(request, LOGIN_CSRF_COOKIE)))
    limiter, origin, name = request.app.state.limiter, origin_of(request), username.lower()
    with request.app.state.instance.db.reading() as session:
        known = known_origins(session, username)
    if limiter.wait(name, origin, known) > 0:
        record(request, None, "login", "user", [], result="rate_limited")
        return _login_form(request, 429, texts.login_limited)
    with request.app.state.instance.db.writing() as session:
        key = request.app.state.instance.totp_key
        result = authenticate(session, username, password, code, totp_required(request), key)
        if result.user is None:
            add_entry(session, request, "anoniem", "login", "user", [], result=result.reason)
            limiter.failed(name, origin)
            return _login_form(request, 401, texts.login_failed)
        token, _ = start_session(session, result.user, origin_of(request))
        actor = f"user:{result.user.id}:{result.user.username}"
        add_entry(session, request, actor, "login", "user", [result.user.id])
        role = result.user.role
    limiter.succeeded(name, origin)
    response = see_other(HOME[role])
    set_cookie(request, response, SESSION_COOKIE, token)
    delete_cookie(request, response, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request,
    viewer: Annotated[Viewer, Depends(require(*EVERYONE))],
    csrf_token: Annotated[str, Form(max_length=100)],
) -> Response:
    """End the session on the server and drop the cookie."""
    check_csrf(csrf_token, viewer.csrf)
    with request.app.state.instance.db.writing() as session:
        row = session.get(UserSession, viewer.session_id)
        if row is not None:
            end_session(row)
        add_entry(
            session,
            request,
            f"user:{viewer.user_id}:{viewer.username}",
            "logout",
            "user",
            [viewer.user_id],
        )
    response = see_other("/login?out=1")
    delete_cookie(request, response, SESSION_COOKIE)
    return response


@router.get("/setup/{token}")
def setup_page(request: Request, token: str) -> Response:
    """The one-time setup form: the TOTP key, a new password and a first code. Every view is
    audited: the page shows the second factor's secret (issue 16, finding 7)."""
    instance = request.app.state.instance
    with instance.db.reading() as session:
        user = user_for_setup(session, token)
        user_id = user.id if user is not None else None
        secret = totp_secret_of(user, instance.totp_key) if user else None
        username = user.username if user else None
    if user_id is None:
        record(request, None, "view_setup", "user", [], result="setup_invalid")
        raise UIError(404, texts.setup_invalid, "setup_invalid")
    record(request, None, "view_setup", "user", [user_id])
    csrf = secrets.token_urlsafe(24)
    response = page(request, "setup.html", None, csrf=csrf, secret=secret, username=username)
    set_cookie(request, response, LOGIN_CSRF_COOKIE, csrf)
    return response


@router.post("/setup/{token}")
def setup(
    request: Request,
    token: str,
    password: Annotated[str, Form(max_length=256)],
    password_repeat: Annotated[str, Form(max_length=256)],
    code: Annotated[str, Form(max_length=12)],
    csrf_token: Annotated[str, Form(max_length=100)],
) -> Response:
    """Finish the setup; the link is spent afterwards."""
    check_csrf(csrf_token, request.cookies.get(cookie_name(request, LOGIN_CSRF_COOKIE)))
    if password != password_repeat:
        raise UIError(400, texts.setup_mismatch, "setup_mismatch")
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise UIError(400, texts.password_hint, "password_policy")
    with request.app.state.instance.db.writing() as session:
        user = user_for_setup(session, token)
        if user is None:
            raise UIError(404, texts.setup_invalid, "setup_invalid")
        try:
            finish_setup(user, password, code, request.app.state.instance.totp_key)
        except AccountError as exc:
            raise UIError(400, str(exc), "setup_failed") from exc
        add_entry(session, request, f"user:{user.id}:{user.username}", "setup", "user", [user.id])
    return see_other("/login?setup=1")
