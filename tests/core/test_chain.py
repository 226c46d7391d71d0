"""The hash-chained logs detect an edited, removed or reordered entry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from adwatch.storage.chain import append, verify_chain
from adwatch.storage.db import Database
from adwatch.storage.models import AuditEvent, CustodyEvent
from adwatch.storage.purgegate import purge_gate
from tests.helpers import migrated_database


@pytest.fixture
def db(tmp_path: Path) -> Database:
    db = migrated_database(tmp_path)
    with db.writing() as session:
        for n in range(5):
            append(session, AuditEvent, actor="officer1", action="view_ad", object_ids=[n])
    return db


@contextmanager
def tampering(db: Database) -> Iterator[Session]:
    """Someone with direct access to the database file, past the append-only triggers."""
    with db.writing() as session, purge_gate(session):
        yield session


def _check(db: Database, model=AuditEvent):
    with db.reading() as session:
        return verify_chain(session, model)


def test_an_untouched_chain_verifies(db: Database) -> None:
    report = _check(db)
    assert report.ok and report.entries == 5


def test_an_edited_entry_is_found(db: Database) -> None:
    with tampering(db) as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="someone"))
    report = _check(db)
    assert report.problems == ["entry 3: its content was changed after it was written"]


def test_a_removed_entry_is_found(db: Database) -> None:
    with tampering(db) as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    problems = _check(db).problems
    assert any("expected sequence number 2" in p for p in problems)
    assert any("does not follow" in p for p in problems)


def test_reordered_entries_are_found(db: Database) -> None:
    with tampering(db) as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.seq.in_([2, 3]))).all()
        two, three = sorted(rows, key=lambda r: r.seq)
        two.seq, three.seq = -2, -3
        session.flush()
        two.seq, three.seq = 3, 2
    assert not _check(db).ok


def test_each_log_has_its_own_chain(db: Database) -> None:
    with db.writing() as session:
        first = append(session, CustodyEvent, actor="officer1", action="export", purpose="controle")
    assert first.seq == 1
    assert _check(db, CustodyEvent).ok and _check(db).ok
