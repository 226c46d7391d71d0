"""What the system itself looks like: last runs per source, for the CLI and the UI."""

from __future__ import annotations

from sqlalchemy import select

from adwatch.storage.db import Database
from adwatch.storage.models import CrawlRun, Source


def _stamp(value) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC"


def last_runs(db: Database) -> dict[str, tuple[str | None, str | None]]:
    """Per source name: (last successful run's end, last run's status and start), as text."""
    with db.reading() as session:
        rows = session.execute(
            select(Source.name, CrawlRun.status, CrawlRun.started_at, CrawlRun.finished_at)
            .join(CrawlRun, CrawlRun.source_id == Source.id)
            .order_by(CrawlRun.id)
        ).all()
    result: dict[str, tuple[str | None, str | None]] = {}
    for name, status, started, finished in rows:
        ok = result.get(name, (None, None))[0]
        if status == "finished" and finished is not None:
            ok = _stamp(finished)
        result[name] = (ok, f"{status}, started {_stamp(started)}")
    return result
