"""`adwatch custody verify`: intact after exports; an edited, removed or reordered entry fails."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from evidence_world import NETWORK, World
from sqlalchemy import delete, select, update

from adwatch.evidence import export_pack
from adwatch.storage.db import Database
from adwatch.storage.models import CustodyEvent
from adwatch.storage.purgegate import purge_gate
from application.cli import main
from tests.helpers import instance_env


@pytest.fixture(scope="module")
def exported(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder after three exports, each writing a custody entry."""
    folder = tmp_path_factory.mktemp("custody-packs")
    subjects = [{"ad_ids": [world.single]}, {"network_id": NETWORK}, {"ad_ids": [world.single]}]
    for n, subject in enumerate(subjects):
        export_pack(
            world.instance,
            purpose=f"controle {n}",
            legal_basis="APV",
            recipient="AVIM",
            case_ref=f"HTN-{n}",
            actor=world.officer,
            out_path=folder / f"pack-{n}.zip",
            **subject,
        )
    world.instance.db.dispose()
    return world.instance.settings.data_dir


@pytest.fixture
def copy(exported: Path, tmp_path: Path) -> tuple[dict[str, str], Database]:
    """A private copy of the database alone (custody needs no blobs)."""
    target = tmp_path / "data"
    target.mkdir()
    _copy_database(exported / "adwatch.sqlite3", target / "adwatch.sqlite3")
    _drop_custody_triggers(target / "adwatch.sqlite3")
    db = Database(f"sqlite:///{target / 'adwatch.sqlite3'}")
    yield instance_env(target), db
    db.dispose()


def _copy_database(source: Path, target: Path) -> None:
    # The backup API includes what is still in the write-ahead log; a file copy would not.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _drop_custody_triggers(path: Path) -> None:
    # Whoever tampers with the database file can drop its append-only triggers first; the chain
    # must catch the edit all the same.
    with closing(sqlite3.connect(path)) as connection:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"
        for (name,) in connection.execute(query, ("custody_event",)).fetchall():
            connection.execute(f'DROP TRIGGER "{name}"')
        connection.commit()


def _verify(env: dict[str, str]):
    return CliRunner().invoke(main, ["custody", "verify"], env=env)


def test_an_untouched_custody_log_verifies(copy) -> None:
    env, _ = copy
    result = _verify(env)
    assert result.exit_code == 0, result.output
    assert "3 entries" in result.output


def test_an_edited_entry_is_caught(copy) -> None:
    env, db = copy
    # Past the append-only triggers, as someone with direct access to the database could.
    with db.writing() as session, purge_gate(session):
        session.execute(update(CustodyEvent).where(CustodyEvent.seq == 2).values(purpose="anders"))
    result = _verify(env)
    assert result.exit_code == 1
    assert "entry 2: its content was changed" in result.output


def test_a_removed_entry_is_caught(copy) -> None:
    env, db = copy
    # Past the append-only triggers, as someone with direct access to the database could.
    with db.writing() as session, purge_gate(session):
        session.execute(delete(CustodyEvent).where(CustodyEvent.seq == 2))
    result = _verify(env)
    assert result.exit_code == 1
    assert "expected sequence number 2" in result.output


def test_a_removed_last_entry_is_caught_through_its_pack(copy) -> None:
    env, db = copy
    # Past the append-only triggers, as someone with direct access to the database could.
    with db.writing() as session, purge_gate(session):
        session.execute(delete(CustodyEvent).where(CustodyEvent.seq == 3))
    result = _verify(env)
    assert result.exit_code == 1
    assert "has no matching export entry" in result.output


def test_reordered_entries_are_caught(copy) -> None:
    env, db = copy
    with db.writing() as session:
        rows = session.scalars(select(CustodyEvent).where(CustodyEvent.seq.in_([1, 2]))).all()
        one, two = sorted(rows, key=lambda r: r.seq)
        one.seq, two.seq = -1, -2
        session.flush()
        one.seq, two.seq = 2, 1
    assert _verify(env).exit_code == 1
