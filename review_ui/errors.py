"""One typed error for the UI and the one handler that renders it as HTML or JSON.

Unexpected exceptions get the same generic page; the correlation id on it finds the log entry.
Invalid form input gets it too (FastAPI's 422 echoed the input as JSON), and so does a request
uvicorn itself cannot read (its plain-text 400 carried no security headers): issue 16, finding 8.
Every refused write (wrong municipality, CSRF failure, missing role) is audited.
"""

from __future__ import annotations

import logging
import secrets

import h11
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.protocols.http.h11_impl import H11Protocol

from review_ui.audit import record
from review_ui.texts import texts

log = logging.getLogger("adwatch.review_ui")
MESSAGES = {
    400: texts.error_bad_request,
    403: texts.error_forbidden,
    404: texts.error_not_found,
}


class UIError(Exception):
    """An error the officer sees: an HTTP status and a message that is safe to show."""

    def __init__(self, status: int, message: str | None = None, code: str = "") -> None:
        super().__init__(message or MESSAGES.get(status, texts.error_text))
        self.status = status
        self.message = message or MESSAGES.get(status, texts.error_text)
        self.code = code or {401: "login_required", 403: "forbidden", 404: "not_found"}.get(
            status, "error"
        )


def route_of(request: Request) -> str:
    """The request's route as written (`/setup/{token}`), never the path itself: a path can
    carry a setup token, and logs and the audit log keep ids, not secrets (issue 16, finding 6)."""
    route = request.scope.get("route")
    return getattr(route, "path", None) or "(no route)"


def wants_json(request: Request) -> bool:
    """True for API clients: they ask for JSON and get errors as JSON."""
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render_error(
    request: Request, status: int, message: str, code: str, correlation: str = ""
) -> Response:
    """The generic error page (or JSON) with a correlation id."""
    correlation = correlation or secrets.token_hex(6)
    log.info("ui error %s %s %s on %s", correlation, status, code, route_of(request))
    if status == 401 and not wants_json(request):
        return RedirectResponse("/login?expired=1", status_code=303)
    if wants_json(request):
        body = {"error": code, "message": message, "correlation_id": correlation}
        return JSONResponse(body, status_code=status)
    templates = request.app.state.templates
    context = {"status": status, "message": message, "correlation": correlation}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def install_handlers(app: FastAPI) -> None:
    """Route every error through one renderer."""

    @app.exception_handler(UIError)
    async def _ui_error(request: Request, exc: UIError) -> Response:
        audit_refusal(request, exc.code)
        return render_error(request, exc.status, exc.message, exc.code)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code if exc.status_code in MESSAGES else 400
        status = 404 if exc.status_code in (404, 405) else status
        return render_error(request, status, MESSAGES.get(status, texts.error_text), "http")

    @app.exception_handler(RequestValidationError)
    async def _invalid_input(request: Request, exc: RequestValidationError) -> Response:
        # Never the input itself: it may hold a password or an ad's text.
        audit_refusal(request, "invalid_input")
        return render_error(request, 400, texts.error_bad_request, "invalid_input")


def audit_refusal(request: Request, code: str) -> None:
    """A refused write in the audit log (reads that are refused are audited by their routes)."""
    if request.method in ("GET", "HEAD") or getattr(request.state, "refusal_audited", False):
        return
    viewer = getattr(request.state, "viewer", None)
    record(request, viewer, "refused", "route", [route_of(request)], result=code or "refused")


def unexpected(request: Request) -> Response:
    """The 500 page for an exception nobody expected; the log holds the traceback."""
    correlation = secrets.token_hex(6)
    log.exception("unexpected error %s on %s", correlation, route_of(request))
    return render_error(request, 500, texts.error_text, "internal", correlation)


BAD_REQUEST_PAGE = (
    "<!doctype html><html lang=nl><head><meta charset=utf-8><title>Ongeldig verzoek</title>"
    '<link rel=stylesheet href="/static/style.css"></head><body><main class=narrow>'
    f"<h1>Ongeldig verzoek</h1><p>{texts.error_bad_request}</p></main></body></html>"
).encode()


class SecureH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol whose own 400 (a request it cannot parse) is the HTML error
    page with the security headers, like every response of the app."""

    security_headers: tuple[tuple[bytes, bytes], ...] = ()

    def send_400_response(self, msg: str) -> None:
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(BAD_REQUEST_PAGE)).encode("ascii")),
            (b"connection", b"close"),
            (b"cache-control", b"no-store"),
            *self.security_headers,
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=BAD_REQUEST_PAGE),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def secure_protocol(headers: dict[str, str]) -> type[H11Protocol]:
    """The protocol class for `uvicorn.run(http=...)`, carrying these headers on its 400."""
    encoded = tuple((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items())
    return type("AdwatchH11Protocol", (SecureH11Protocol,), {"security_headers": encoded})
