"""Evidence and version tables refuse UPDATE and DELETE, except through the purge gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from adwatch.storage.chain import append
from adwatch.storage.db import Database
from adwatch.storage.models import Ad, AdVersion, AuditEvent, Capture
from adwatch.storage.purgegate import purge_gate
from adwatch.timeutil import utcnow
from tests.helpers import insert_minimal_ad, migrated_database

REFUSED = (IntegrityError, OperationalError)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    db = migrated_database(tmp_path)
    with db.writing() as session:
        insert_minimal_ad(session)
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
