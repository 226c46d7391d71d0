"""The system page: how each source's crawls went, and the alarms of the recent runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import CrawlRun, Source
from adwatch.timeutil import utcnow
from review_ui.views import AlarmView, SourceHealth


def source_health(session: Session, stale_after: timedelta) -> list[SourceHealth]:
    """Per source: last successful run, last attempt, and whether it is overdue."""
    ok = (
        select(CrawlRun.source_id, func.max(CrawlRun.finished_at).label("at"))
        .where(CrawlRun.status == "finished")
        .group_by(CrawlRun.source_id)
        .subquery()
    )
    last = select(func.max(CrawlRun.id)).group_by(CrawlRun.source_id)
    attempts = {
        run.source_id: run for run in session.scalars(select(CrawlRun).where(CrawlRun.id.in_(last)))
    }
    rows = session.execute(
        select(Source, ok.c.at).outerjoin(ok, ok.c.source_id == Source.id).order_by(Source.name)
    ).all()
    now = utcnow()
    result = []
    for source, last_ok in rows:
        attempt = attempts.get(source.id)
        result.append(
            SourceHealth(
                name=source.name,
                title=source.title,
                last_ok=last_ok,
                last_run=attempt.started_at if attempt else None,
                last_status=attempt.status if attempt else "",
                stale=last_ok is None or now - last_ok > stale_after,
            )
        )
    return result


def recent_alarms(session: Session, runs: int = 20) -> list[AlarmView]:
    """The alarms of the most recent crawl runs, newest first."""
    rows = session.execute(
        select(CrawlRun, Source.name)
        .join(Source, Source.id == CrawlRun.source_id)
        .order_by(CrawlRun.id.desc())
        .limit(runs)
    ).all()
    return [
        AlarmView(run.id, name, run.started_at, str(a.get("kind", "")), str(a.get("message", "")))
        for run, name in rows
        for a in (run.alarms or [])
        if isinstance(a, dict)
    ]
