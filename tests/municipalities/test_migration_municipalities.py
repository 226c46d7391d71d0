"""Migration 0008 on a database that already holds ads, decisions, notes, packs and users."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from adwatch.storage.db import Database
from adwatch.storage.migrate import alembic_config, upgrade
from adwatch.storage.models import Ad, Decision, EvidencePack, Note, UserGrant

NOW = "2026-03-01 10:00:00"
ROWS = [
    "INSERT INTO source (id, name, title, created_at) VALUES (1, 's', 'S', :now)",
    "INSERT INTO ad (id, source_id, source_ad_id, url, first_seen, last_seen)"
    " VALUES (7, 1, 'a7', 'u', :now, :now)",
    "INSERT INTO user_account (id, username, display_name, role, totp_last_step, active,"
    " created_at) VALUES (1, 'off', 'Off', 'officer', 0, 1, :now)",
    "INSERT INTO user_account (id, username, display_name, role, totp_last_step, active,"
    " created_at) VALUES (2, 'adm', 'Adm', 'admin', 0, 1, :now)",
    "INSERT INTO decision (id, ad_id, status, reason, actor_id, created_at)"
    " VALUES (1, 7, 'monitoren', 'r', 1, :now)",
    "INSERT INTO note (id, ad_id, text, author_id, created_at) VALUES (1, 7, 'n', 1, :now)",
    "INSERT INTO evidence_pack (id, created_at, actor, purpose, legal_basis, recipient, case_ref,"
    " ad_ids, manifest_digest, file_name) VALUES (1, :now, 'off', 'p', 'b', 'r', 'c', '[7]',"
    " 'sha256:0', 'f.zip')",
]


def _database_at_0007(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with db.engine.begin() as connection:
        config = alembic_config(db)
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
        for statement in ROWS:
            connection.execute(text(statement), {"now": NOW})
    return db


def test_stored_rows_join_the_municipality_the_installation_was_for(tmp_path: Path) -> None:
    db = _database_at_0007(tmp_path)
    upgrade(db, "houten")
    with db.reading() as session:
        assert session.get(Ad, 7).municipality == "houten"
        assert session.get(Decision, 1).municipality == "houten"
        assert session.get(Note, 1).municipality == "houten"
        assert session.get(EvidencePack, 1).municipality == "houten"
        grants = session.execute(select(UserGrant.user_id, UserGrant.municipality)).all()
    assert grants == [(1, "houten")]  # the officer; administrators see no ads
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        triggers = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'evidence_pack'"
        ).all()
    assert triggers, "the append-only triggers of evidence_pack survive"


def test_without_a_municipality_the_migration_stops_and_changes_nothing(tmp_path: Path) -> None:
    db = _database_at_0007(tmp_path)
    with pytest.raises(RuntimeError, match="needs the municipality the stored ads belong to"):
        upgrade(db)
    with db.engine.connect() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(ad)")]
    assert revision == "0007" and "municipality" not in columns


def test_the_same_ad_may_now_be_stored_once_per_municipality(tmp_path: Path) -> None:
    db = _database_at_0007(tmp_path)
    upgrade(db, "houten")
    with db.writing() as session:
        copy = session.get(Ad, 7)
        session.add(
            Ad(
                municipality="nieuwegein",
                source_id=1,
                source_ad_id="a7",
                url=copy.url,
                first_seen=copy.first_seen,
                last_seen=copy.last_seen,
            )
        )
    with db.reading() as session:
        assert len(session.scalars(select(Ad).where(Ad.source_ad_id == "a7")).all()) == 2
