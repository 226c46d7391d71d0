"""One typed error for the UI and the one handler that renders it as HTML or JSON.

Unexpected exceptions get the same generic page; the correlation id on it finds the log entry.
"""

from __future__ import annotations

import logging
import secrets

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

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


def wants_json(request: Request) -> bool:
    """True for API clients: they ask for JSON and get errors as JSON."""
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render_error(
    request: Request, status: int, message: str, code: str, correlation: str = ""
) -> Response:
    """The generic error page (or JSON) with a correlation id."""
    correlation = correlation or secrets.token_hex(6)
    log.info("ui error %s %s %s on %s", correlation, status, code, request.url.path)
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
        return render_error(request, exc.status, exc.message, exc.code)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code if exc.status_code in MESSAGES else 400
        status = 404 if exc.status_code in (404, 405) else status
        return render_error(request, status, MESSAGES.get(status, texts.error_text), "http")


def unexpected(request: Request) -> Response:
    """The 500 page for an exception nobody expected; the log holds the traceback."""
    correlation = secrets.token_hex(6)
    log.exception("unexpected error %s on %s", correlation, request.url.path)
    return render_error(request, 500, texts.error_text, "internal", correlation)
