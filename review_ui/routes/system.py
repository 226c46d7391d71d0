"""The system page (crawl health and alarms) and the admin's list of accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from adwatch.operations.health import storage_state
from review_ui.audit import record
from review_ui.queries.health import recent_alarms, source_health
from review_ui.routes.common import page
from review_ui.security import ADMINS, EVERYONE, require
from review_ui.viewer import Viewer

router = APIRouter()
# The schedule runs once a day; a source is overdue after twice that.
SCHEDULE = timedelta(hours=24)


@router.get("/system")
def system_page(
    request: Request, viewer: Annotated[Viewer, Depends(require(*EVERYONE))]
) -> Response:
    """Last successful crawl per source, overdue warnings, and recent alarms."""
    instance = request.app.state.instance
    with instance.db.reading() as session:
        health = source_health(session, 2 * SCHEDULE)
        alarms = recent_alarms(session)
    storage = storage_state(instance)
    record(request, viewer, "view_system", "system", [])
    return page(
        request,
        "system.html",
        viewer,
        health=health,
        alarms=alarms,
        storage=storage,
        stale_hours=int(2 * SCHEDULE.total_seconds() // 3600),
    )


@router.get("/users")
def users_page(request: Request, viewer: Annotated[Viewer, Depends(require(*ADMINS))]) -> Response:
    """The accounts with role, municipalities and last login, and the admin's forms."""
    from review_ui.routes.useradmin import users_page_for

    return users_page_for(request, viewer)
