"""The dashboard: trends for a period as SVG charts drawn on the server, each with its table.

The figures and charts come from `adwatch.monitoring`, the same code that writes the yearly report.
Counts are exact here (the readers can open every ad anyway); the report applies the "< 5" rule.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from adwatch.monitoring.figures import collect
from adwatch.monitoring.period import Period, PeriodError
from adwatch.monitoring.summary import previous_period, summary
from adwatch.monitoring.views import overview
from review_ui.audit import record
from review_ui.localtime import local_today
from review_ui.routes.common import page
from review_ui.security import READERS, require
from review_ui.viewer import Viewer

router = APIRouter()


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def choose_period(start: str | None, end: str | None) -> tuple[Period, bool]:
    """The period asked for (default: this year so far) and whether the request was refused."""
    today = local_today()
    chosen_end = _date(end) or today
    chosen_start = _date(start) or date(chosen_end.year, 1, 1)
    try:
        return Period(chosen_start, chosen_end), False
    except PeriodError:
        return Period(date(today.year, 1, 1), today), True


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    viewer: Annotated[Viewer, Depends(require(*READERS))],
    start: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=10)] = None,
) -> Response:
    """Ads per week, signals per month, tiers, decisions, forwards, funnel and crawl health."""
    period, refused = choose_period(start, end)
    with request.app.state.instance.db.reading() as session:
        figures = collect(session, period, municipalities=viewer.municipalities)
        before = collect(session, previous_period(period), municipalities=viewer.municipalities)
    labels = request.app.state.labels
    view = overview(figures, labels, suppress=False)
    sentences = summary(figures, before, labels, suppress=False)
    record(request, viewer, "view_dashboard", "dashboard", [], details=_details(period))
    return page(
        request,
        "dashboard.html",
        viewer,
        period=period,
        figures=figures,
        view=view,
        refused=refused,
        summary=sentences,
    )


def _details(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}
