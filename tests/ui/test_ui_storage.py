"""The system page says so when storage is full, as `adwatch status` does."""

from __future__ import annotations

from sqlalchemy import select

from adwatch.storage.models import CrawlRun, Source
from adwatch.timeutil import utcnow


def test_free_space_is_shown_and_no_alarm_when_there_is_room(officer):
    page = officer.get("/system").text
    assert "Opslag" in page and "GiB" in page
    assert "De opslag is vol" not in page


def test_a_run_stopped_by_a_full_disk_raises_the_alarm(officer, world):
    with world.instance.db.writing() as session:
        source = session.scalars(select(Source)).first()
        session.add(
            CrawlRun(
                source_id=source.id,
                status="failed",
                finish_reason="storage_full",
                finished_at=utcnow(),
                alarms=[{"kind": "storage_full", "message": "storage is full"}],
            )
        )
    assert "De opslag is vol" in officer.get("/system").text
