"""On PostgreSQL the triggers of migration 0004 refuse UPDATE and DELETE on evidence and
version tables, and the purge gate lets the purge through within its own transaction only."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from adwatch.storage.chain import append
from adwatch.storage.db import Database
from adwatch.storage.models import Ad, AdVersion, AuditEvent, Capture
from adwatch.storage.purgegate import purge_gate
from adwatch.timeutil import utcnow
from tests.helpers import insert_minimal_ad

pytestmark = pytest.mark.postgres
# Row triggers fire only for rows that exist: these tables have one each (see `db`).


@pytest.fixture(scope="module")
def db(pg_database: Database) -> Database:
    with pg_database.writing() as session:
        insert_minimal_ad(session)
        append(session, AuditEvent, actor="t", action="test")
    return pg_database


@pytest.mark.parametrize("table", ["capture", "ad_version", "audit_event"])
def test_update_is_refused(db: Database, table: str) -> None:
    with pytest.raises(DBAPIError, match=f"{table} is append-only"), db.writing() as session:
        session.execute(text(f"UPDATE {table} SET id = id"))


@pytest.mark.parametrize("model", [Capture, AdVersion, AuditEvent])
def test_delete_is_refused(db: Database, model) -> None:
    with pytest.raises(DBAPIError, match="append-only"), db.writing() as session:
        session.execute(delete(model))


def test_the_ad_itself_may_change(db: Database) -> None:
    with db.writing() as session:
        session.execute(update(Ad).values(last_seen=utcnow()))


def test_an_open_gate_is_invisible_to_other_transactions(db: Database) -> None:
    inside, outside_done = threading.Event(), threading.Event()
    refused: list[str] = []

    def other_writer() -> None:
        inside.wait(10)
        try:
            with db.writing() as session:
                session.execute(text("UPDATE audit_event SET id = id"))
        except DBAPIError as exc:
            refused.append(str(exc.orig))
        outside_done.set()

    thread = threading.Thread(target=other_writer)
    thread.start()
    with db.writing() as session, purge_gate(session):
        inside.set()
        assert outside_done.wait(10)
    thread.join()
    assert refused and "append-only" in refused[0]


def test_the_purge_gate_lets_rows_go_and_closes_again(db: Database) -> None:
    with db.writing() as session, purge_gate(session):
        session.execute(delete(AdVersion))
        session.execute(delete(Ad))
        session.execute(delete(Capture))
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Capture)) == 0
        assert session.scalar(text("SELECT count(*) FROM purge_gate")) == 0
    with pytest.raises(DBAPIError, match="append-only"), db.writing() as session:
        session.execute(delete(AuditEvent))
