"""What earlier crawl runs of a source recorded, for the monitors that compare a run with them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from adwatch.storage.db import Database
from adwatch.storage.models import CrawlRun


def previous_finished_stats(db: Database, run_id: int) -> dict[str, Any] | None:
    """The figures of the source's last finished run before `run_id`, or None if it has none."""
    source_id = select(CrawlRun.source_id).where(CrawlRun.id == run_id).scalar_subquery()
    query = (
        select(CrawlRun.stats)
        .where(CrawlRun.source_id == source_id, CrawlRun.id < run_id)
        .where(CrawlRun.status == "finished")
        .order_by(CrawlRun.id.desc())
        .limit(1)
    )
    with db.reading() as session:
        return session.scalar(query)
