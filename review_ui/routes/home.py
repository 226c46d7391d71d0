"""The home page: what is new since the previous visit, saved filters and the digest opt-in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from review_ui.audit import record
from review_ui.localtime import local_today
from review_ui.preferences import digest_address, saved_filters
from review_ui.routes.common import page
from review_ui.security import READERS, require
from review_ui.since import since_last_visit
from review_ui.viewer import Viewer

router = APIRouter()


@router.get("/home")
def home(request: Request, viewer: Annotated[Viewer, Depends(require(*READERS))]) -> Response:
    """News since the previous login: new hoog/middel ads, new network members, changes,
    follow-ups due."""
    instance = request.app.state.instance
    with instance.db.reading() as session:
        news = since_last_visit(session, viewer.user_id, viewer.municipalities, local_today())
        filters = saved_filters(session, viewer.user_id)
        email = digest_address(session, viewer.user_id)
    record(request, viewer, "view_home", "ad", [a.id for a in news.listed])
    return page(
        request,
        "home.html",
        viewer,
        news=news,
        saved_filters=filters,
        digest_email=email,
        digest_enabled=instance.settings.digest.enabled
        if hasattr(instance.settings, "digest")
        else False,
    )
