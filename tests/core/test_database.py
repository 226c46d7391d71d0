"""SQLite as adwatch opens it, and the migrations matching the models."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from sqlalchemy import event, select, text

from adwatch.storage.db import Database
from adwatch.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from adwatch.storage.models import Source


def _db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    upgrade(db)
    return db


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    with _db(tmp_path).reading() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_writes_begin_immediate_and_reads_do_not(tmp_path: Path) -> None:
    db = _db(tmp_path)
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with db.writing() as session:
        session.add(Source(name="x", title="X"))
    with db.reading() as session:
        session.scalars(select(Source)).all()
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN DEFERRED"]


def test_concurrent_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    db = _db(tmp_path)
    errors: list[Exception] = []

    def write(worker: int) -> None:
        try:
            for i in range(40):
                with db.writing() as session:
                    session.add(Source(name=f"w{worker}_{i}", title="t"))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.reading() as session:
        assert len(session.scalars(select(Source)).all()) == 160


def test_a_failed_write_rolls_back(tmp_path: Path) -> None:
    db = _db(tmp_path)
    try:
        with db.writing() as session:
            session.add(Source(name="kept?", title="t"))
            session.flush()
            raise RuntimeError("fault in the middle of a transaction")
    except RuntimeError:
        pass
    with db.reading() as session:
        assert session.scalars(select(Source)).all() == []


def test_migrations_reach_head_and_match_the_models(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert current_revision(db) == head_revision()
    with db.engine.begin() as connection:
        config = alembic_config(db)
        config.attributes["connection"] = connection
        command.check(config)  # raises when the models differ from the migrations
