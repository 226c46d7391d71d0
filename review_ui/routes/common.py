"""Helpers every route module uses: rendering a page, redirecting after a POST."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from review_ui.viewer import Viewer


def page(request: Request, name: str, viewer: Viewer | None, **context: Any) -> Response:
    """Render a template with the viewer and the flash message code."""
    templates = request.app.state.templates
    names = request.app.state.municipality_names
    granted = sorted(names.get(code, code) for code in (viewer.municipalities if viewer else ()))
    context.update(viewer=viewer, flash=request.query_params.get("saved", ""), granted=granted)
    context.setdefault("municipality_names", names)
    context.setdefault("error_code", request.query_params.get("error", ""))
    return templates.TemplateResponse(request, name, context)


def see_other(url: str) -> RedirectResponse:
    """The redirect after a POST, so a reload never repeats it."""
    return RedirectResponse(url, status_code=303)
