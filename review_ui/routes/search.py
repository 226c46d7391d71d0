"""The search on every page. Posted, so the terms never land in a URL, history or access log;
the audit entry names the kind of search and the ids found, not what was typed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from review_ui.audit import record
from review_ui.routes.common import page
from review_ui.search import search
from review_ui.security import READERS, check_csrf, require
from review_ui.viewer import Viewer

router = APIRouter()
Reader = Annotated[Viewer, Depends(require(*READERS))]


class SearchIn(BaseModel):
    """The search form."""

    csrf_token: str = Field("", max_length=100)
    q: str = Field("", max_length=300)


@router.get("/search")
def search_page(request: Request, viewer: Reader) -> Response:
    """The empty search page."""
    return page(request, "search.html", viewer, result=None, query="")


@router.post("/search")
def run_search(request: Request, viewer: Reader, form: Annotated[SearchIn, Form()]) -> Response:
    """Search; the results page is the response (no redirect that would carry the terms)."""
    check_csrf(form.csrf_token, viewer.csrf)
    secret = request.app.state.instance.settings.secret_key
    with request.app.state.instance.db.reading() as session:
        result = search(session, form.q, secret, viewer.municipalities)
    details = {"kind": result.kind, "networks": sorted(result.networks)}
    record(request, viewer, "search", "ad", result.ad_ids, details=details)
    return page(request, "search.html", viewer, result=result, query=form.q)
