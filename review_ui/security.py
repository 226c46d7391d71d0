"""Security headers, sessions, roles, CSRF tokens, the Host check and the login limit.

The session cookie carries a random token; the database keeps only its hash, so logout and expiry
are decided on the server. Every POST carries the session's CSRF token in a form field.
Behind TLS the cookies are named `__Host-...` (Secure, path /, no domain) and responses carry
HSTS (issue 16, finding 6). A request for a Host that is not allowed gets the error page.
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import Request
from fastapi.responses import Response

from adwatch.access.accounts import end_session, grants_of, session_alive, token_hash
from adwatch.storage.models import UserSession
from adwatch.timeutil import as_utc, utcnow
from adwatch.vocabulary import ADMIN, OFFICER, ROLES, VIEWER
from review_ui.audit import record
from review_ui.errors import UIError, render_error, route_of, unexpected
from review_ui.texts import texts
from review_ui.viewer import Viewer

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
HSTS = "max-age=31536000"
TOUCH_EVERY = timedelta(seconds=30)
# Headers a reverse proxy adds: a "local-only" UI that receives one is not local after all.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip")


async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Host check, then security headers on every response, the generic 500 page included."""
    if not host_allowed(request):
        response = render_error(request, 400, texts.error_bad_request, "host")
    else:
        try:
            response = await call_next(request)
        except Exception:  # the generic page with a correlation id, never a traceback
            response = unexpected(request)
    add_security_headers(request, response)
    return response


def add_security_headers(request: Request, response: Response) -> None:
    """The headers every response carries; HSTS behind TLS; no caching outside /static."""
    response.headers.update(HEADERS)
    if request.app.state.secure_cookies:
        response.headers["Strict-Transport-Security"] = HSTS
    if not request.url.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"


def host_allowed(request: Request) -> bool:
    """The Host header names an allowed host (every host when no list is configured)."""
    allowed = request.app.state.allowed_hosts
    if allowed is None:
        return True
    host = request.headers.get("host", "").lower()
    name = host.rpartition("]")[0] + "]" if host.startswith("[") else host.rpartition(":")[0]
    return (name or host) in allowed


def totp_required(request: Request) -> bool:
    """TOTP on every login, except in the explicit local-only mode for a request that no
    reverse proxy forwarded (issue 16, finding 2)."""
    if request.app.state.require_totp:
        return True
    return any(header in request.headers for header in FORWARDING_HEADERS)


def cookie_name(request: Request, base: str) -> str:
    """`__Host-<base>` behind TLS: only this host, over HTTPS, may set or read it."""
    return f"__Host-{base}" if request.app.state.secure_cookies else base


def load_viewer(request: Request) -> Viewer | None:
    """The viewer of a live session; touches its idle clock, ends it when it expired."""
    token = request.cookies.get(cookie_name(request, SESSION_COOKIE))
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
            record(request, viewer, "denied", "route", [route_of(request)], result="denied")
            raise UIError(403)
        request.state.viewer = viewer
        return viewer

    return dependency


READERS = (OFFICER, VIEWER)
OFFICERS = (OFFICER,)
ADMINS = (ADMIN,)
EVERYONE = tuple(ROLES)


def check_csrf(sent: str | None, expected: str | None) -> None:
    """Refuse a POST whose CSRF token is missing or wrong."""
    if not sent or not expected or not secrets.compare_digest(sent, expected):
        raise UIError(403, texts.error_csrf, "csrf")


def set_cookie(request: Request, response: Response, base: str, value: str) -> None:
    """A cookie that scripts cannot read and other sites never get (Secure behind TLS)."""
    secure = request.app.state.secure_cookies or request.url.scheme == "https"
    name = cookie_name(request, base)
    response.set_cookie(
        name, value, httponly=True, samesite="strict", secure=secure, path="/", max_age=None
    )


def delete_cookie(request: Request, response: Response, base: str) -> None:
    """Drop a cookie set by `set_cookie`."""
    secure = bool(request.app.state.secure_cookies)
    response.delete_cookie(cookie_name(request, base), path="/", secure=secure, httponly=True)


class LoginLimiter:
    """Failed logins slow down per (username, origin) pair, with growing delays; an origin that
    fails for many usernames is slowed down as a whole. A username failing from many origins
    is slowed down only from origins it never logged in from, so strangers cannot lock the
    owner out (issue 16, finding 7)."""

    def __init__(
        self,
        free_failures: int = 3,
        first_delay: float = 2.0,
        max_delay: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_failures = free_failures
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.clock = clock
        self._failures: dict[str, int] = defaultdict(int)
        self._until: dict[str, float] = {}
        self._known: dict[str, set[str]] = defaultdict(set)

    def wait(self, username: str, origin: str, known_origins: set[str] = frozenset()) -> float:
        """Seconds before this username may try again from this origin (0: now)."""
        now = self.clock()
        keys = [f"pair:{username}|{origin}", f"origin:{origin}"]
        if origin not in self._known[username] | set(known_origins):
            keys.append(f"user:{username}")
        return max(0.0, *(self._until.get(k, now) - now for k in keys))

    def failed(self, username: str, origin: str) -> None:
        """Count one failure; past the free ones each doubles the wait."""
        limits = {f"pair:{username}|{origin}": 1, f"origin:{origin}": 5, f"user:{username}": 5}
        for key, scale in limits.items():
            self._failures[key] += 1
            over = self._failures[key] - self.free_failures * scale
            if over >= 0:
                delay = min(self.first_delay * 2 ** (over // scale), self.max_delay)
                self._until[key] = self.clock() + delay

    def succeeded(self, username: str, origin: str) -> None:
        """A good login clears the pair and remembers the origin as the user's own (strangers'
        failures against the username still count for other origins)."""
        self._known[username].add(origin)
        self._failures.pop(f"pair:{username}|{origin}", None)
        self._until.pop(f"pair:{username}|{origin}", None)
