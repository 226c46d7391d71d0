"""The review queue: open ads first, by tier and score, with filters and counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from adwatch.vocabulary import TIERS
from review_ui.audit import record
from review_ui.grouping import grouped_page
from review_ui.preferences import saved_filters
from review_ui.queries.access import restriction
from review_ui.queries.queue import queue_page, source_choices
from review_ui.routes.common import page, see_other
from review_ui.security import READERS, require
from review_ui.texts import STATUSES
from review_ui.viewer import Viewer
from review_ui.views import QueueFilter

router = APIRouter()
STATUS_CHOICES = ("open", "nieuw", *[s for s in STATUSES if s != "nieuw"], "")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_filter(request: Request, labels: dict[str, str]) -> QueueFilter:
    """The filter from the query string; unknown values are ignored, never echoed."""
    q = request.query_params
    status = q.get("status", "open")
    try:
        number = max(1, int(q.get("page", "1")))
    except ValueError:
        number = 1
    return QueueFilter(
        tier=q.get("tier", "") if q.get("tier") in TIERS else "",
        indicator=q.get("indicator", "") if q.get("indicator") in labels else "",
        source=q.get("source", "")[:64],
        place=q.get("place", "")[:100],
        status=status if status in STATUS_CHOICES else "open",
        seen_from=_date(q.get("from")),
        seen_to=_date(q.get("to")),
        page=min(number, 100_000),
    )


@router.get("/queue")
def queue(request: Request, viewer: Annotated[Viewer, Depends(require(*READERS))]) -> Response:
    """The queue page; the search is audited by its filter, not by what it found."""
    labels = request.app.state.labels
    flt = parse_filter(request, labels)
    grouped = request.query_params.get("group") == "network"
    with request.app.state.instance.db.reading() as session:
        limited = restriction(session, viewer.municipalities)
        if grouped:
            result = grouped_page(session, limited, flt.page)
        else:
            result = queue_page(session, replace(flt, municipalities=limited))
        sources = source_choices(session)
        saved = saved_filters(session, viewer.user_id)
    details = {**flt.audit_details(), "group": "network" if grouped else ""}
    record(request, viewer, "view_queue", "search", [], details=details)
    return page(
        request,
        "queue_grouped.html" if grouped else "queue.html",
        viewer,
        result=result,
        flt=flt,
        sources=sources,
        status_choices=STATUS_CHOICES,
        saved_filters=saved,
    )


@router.get("/queue/next")
def next_open(request: Request, viewer: Annotated[Viewer, Depends(require(*READERS))]) -> Response:
    """The first open ad of the queue ("volgende" after a decision), or the queue when none."""
    with request.app.state.instance.db.reading() as session:
        limited = restriction(session, viewer.municipalities)
        result = queue_page(session, QueueFilter(municipalities=limited))
    return see_other(f"/ads/{result.rows[0].id}" if result.rows else "/queue")
