"""Security headers, sessions, roles, CSRF tokens and the login rate limit.

The session cookie carries a random token; the database keeps only its hash, so logout and expiry
are decided on the server. Every POST carries the session's CSRF token in a form field.
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request
from fastapi.responses import Response

from adwatch.accounts import end_session, grants_of, session_alive, token_hash
from adwatch.models import UserSession
from adwatch.timeutil import as_utc, utcnow
from review_ui.errors import UIError, unexpected
from review_ui.texts import texts

SESSION_COOKIE = "adwatch_session"
LOGIN_CSRF_COOKIE = "adwatch_login_csrf"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
TOUCH_EVERY = timedelta(seconds=30)


async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Security headers on every response, including the generic 500 page."""
    try:
        response = await call_next(request)
    except Exception:  # the generic page with a correlation id, never a traceback
        response = unexpected(request)
    response.headers.update(HEADERS)
    if not request.url.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class Viewer:
    """The logged-in person behind a request."""

    user_id: int
    username: str
    role: str
    csrf: str
    session_id: str
    municipalities: frozenset[str] = frozenset()  # the codes the user is granted

    @property
    def can_decide(self) -> bool:
        return self.role == "officer"


def origin_of(request: Request) -> str:
    """The client address for the audit log and the rate limit."""
    return request.client.host if request.client else ""


def load_viewer(request: Request) -> Viewer | None:
    """The viewer of a live session; touches its idle clock, ends it when it expired."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    db = request.app.state.instance.db
    with db.reading() as session:
        row = session.get(UserSession, token_hash(token))
        if row is None or row.ended_at is not None or not row.user.active:
            return None
        granted = frozenset(grants_of(session, row.user_id))
        user = row.user
        viewer = Viewer(row.user_id, user.username, user.role, row.csrf_token, row.id, granted)
        alive, stale = session_alive(row), utcnow() - as_utc(row.last_seen_at) > TOUCH_EVERY
    # A write only when the session ends or its idle clock needs moving, not on every request.
    if not alive or stale:
        with db.writing() as session:
            row = session.get(UserSession, viewer.session_id)
            if not alive:
                end_session(row)
            else:
                row.last_seen_at = utcnow()
    return viewer if alive else None


def require(*roles: str) -> Callable[[Request], Viewer]:
    """A dependency: the viewer, if logged in with one of the roles; else 401 or 403."""

    def dependency(request: Request) -> Viewer:
        viewer = load_viewer(request)
        if viewer is None:
            raise UIError(401, texts.session_expired)
        if viewer.role not in roles:
            from review_ui.audit import record  # late: audit imports this module

            record(request, viewer, "denied", "route", [request.url.path], result="denied")
            raise UIError(403)
        request.state.viewer = viewer
        return viewer

    return dependency


READERS = ("officer", "viewer")
OFFICERS = ("officer",)
ADMINS = ("admin",)
EVERYONE = ("officer", "viewer", "admin")


def check_csrf(sent: str | None, expected: str | None) -> None:
    """Refuse a POST whose CSRF token is missing or wrong."""
    if not sent or not expected or not secrets.compare_digest(sent, expected):
        raise UIError(403, texts.error_csrf, "csrf")


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """A cookie that scripts cannot read and other sites never get (Secure behind TLS)."""
    secure = request.app.state.secure_cookies or request.url.scheme == "https"
    response.set_cookie(
        name, value, httponly=True, samesite="strict", secure=secure, path="/", max_age=None
    )


class LoginLimiter:
    """At most `limit` failed logins per client address and per username in `window` seconds."""

    def __init__(self, limit: int = 5, window: float = 900.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        """True when any key has used up its failures."""
        now = time.monotonic()
        return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def failed(self, *keys: str) -> None:
        """Count one failure against each key."""
        now = time.monotonic()
        for key in keys:
            self._recent(key, now).append(now)

    def succeeded(self, username_key: str) -> None:
        """A good login clears that username's count (not the address's)."""
        self._failures.pop(username_key, None)
