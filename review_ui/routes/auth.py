"""Log in, log out, and set up an account from its one-time link."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from adwatch.accounts import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    AccountError,
    authenticate,
    end_session,
    finish_setup,
    start_session,
    user_for_setup,
)
from adwatch.models import UserSession
from review_ui.audit import add_entry, record
from review_ui.errors import UIError
from review_ui.routes.common import page, see_other
from review_ui.security import (
    EVERYONE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Viewer,
    check_csrf,
    load_viewer,
    origin_of,
    require,
    set_cookie,
)
from review_ui.texts import texts

router = APIRouter()
HOME = {"officer": "/home", "viewer": "/home", "admin": "/system"}


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
        need_totp=request.app.state.require_totp,
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
    """Check the credentials (rate-limited) and start a session."""
    check_csrf(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE))
    limiter = request.app.state.limiter
    keys = (f"ip:{origin_of(request)}", f"user:{username.lower()}")
    if limiter.blocked(*keys):
        record(request, None, "login", "user", [], result="rate_limited")
        return _login_form(request, 429, texts.login_limited)
    with request.app.state.instance.db.writing() as session:
        result = authenticate(session, username, password, code, request.app.state.require_totp)
        if result.user is None:
            add_entry(session, request, "anoniem", "login", "user", [], result=result.reason)
            limiter.failed(*keys)
            return _login_form(request, 401, texts.login_failed)
        token, _ = start_session(session, result.user, origin_of(request))
        actor = f"user:{result.user.id}:{result.user.username}"
        add_entry(session, request, actor, "login", "user", [result.user.id])
        role = result.user.role
    limiter.succeeded(keys[1])
    response = see_other(HOME[role])
    set_cookie(request, response, SESSION_COOKIE, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
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
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/setup/{token}")
def setup_page(request: Request, token: str) -> Response:
    """The one-time setup form: the TOTP key, a new password and a first code."""
    with request.app.state.instance.db.reading() as session:
        user = user_for_setup(session, token)
        if user is None:
            raise UIError(404, texts.setup_invalid, "setup_invalid")
        secret, username = user.totp_secret, user.username
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
    check_csrf(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE))
    if password != password_repeat:
        raise UIError(400, texts.setup_mismatch, "setup_mismatch")
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise UIError(400, texts.password_hint, "password_policy")
    with request.app.state.instance.db.writing() as session:
        user = user_for_setup(session, token)
        if user is None:
            raise UIError(404, texts.setup_invalid, "setup_invalid")
        try:
            finish_setup(user, password, code)
        except AccountError as exc:
            raise UIError(400, str(exc), "setup_failed") from exc
        add_entry(session, request, f"user:{user.id}:{user.username}", "setup", "user", [user.id])
    return see_other("/login?setup=1")
