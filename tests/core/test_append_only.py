"""Evidence and version tables refuse UPDATE and DELETE, except through the purge gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from adwatch.chain import append
from adwatch.db import Database
from adwatch.models import Ad, AdVersion, AuditEvent, Capture, CrawlRun, Source
from adwatch.purgegate import purge_gate
from adwatch.timeutil import utcnow
from tests.helpers import migrated_database

REFUSED = (IntegrityError, OperationalError)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    db = migrated_database(tmp_path)
    now = utcnow()
    with db.writing() as session:
        source = Source(name="s", title="S")
        session.add(source)
        session.flush()
        run = CrawlRun(source_id=source.id)
        session.add(run)
        session.flush()
        capture = Capture(
            run_id=run.id, kind="ad_page", url="u", final_url="u", status=200,
            sha256="sha256:" + "0" * 64, size=1, fetched_at=now, user_agent="ua",
        )  # fmt: skip
        session.add(capture)
        session.flush()
        ad = Ad(source_id=source.id, source_ad_id="1", url="u", first_seen=now, last_seen=now)
        session.add(ad)
        session.flush()
        session.add(AdVersion(ad_id=ad.id, capture_id=capture.id, seen_at=now, content_sha256="x"))
        append(session, AuditEvent, actor="t", action="test")
    return db


@pytest.mark.parametrize("table", ["capture", "ad_version", "audit_event"])
def test_update_is_refused(db: Database, table: str) -> None:
    with pytest.raises(REFUSED, match="append-only"), db.writing() as session:
        session.execute(text(f"UPDATE {table} SET id = id"))


@pytest.mark.parametrize("model", [Capture, AdVersion, AuditEvent])
def test_delete_is_refused(db: Database, model) -> None:
    with pytest.raises(REFUSED, match="append-only"), db.writing() as session:
        session.execute(delete(model))


def test_the_ad_itself_may_change(db: Database) -> None:
    with db.writing() as session:
        session.execute(update(Ad).values(gone_at=utcnow()))


def test_the_purge_gate_lets_rows_go_and_closes_again(db: Database) -> None:
    with db.writing() as session, purge_gate(session):
        session.execute(delete(AdVersion))
        session.execute(delete(Ad))
        session.execute(delete(Capture))
    with db.reading() as session:
        assert session.scalars(select(Capture)).all() == []
    with pytest.raises(REFUSED, match="append-only"), db.writing() as session:
        session.execute(delete(AuditEvent))
