"""Migration 0009 gives network decisions taken before it their member rows, so the queue and the
yearly report agree on old decisions too."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from adwatch.storage.db import Database
from adwatch.storage.migrate import alembic_config, upgrade

NOW = "2026-05-01 10:00:00.000000"


def test_old_network_decisions_get_member_rows(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = alembic_config(db)
    with db.engine.connect() as connection:
        config.attributes["connection"] = connection
        with connection.begin():
            command.upgrade(config, "0008")
    with db.engine.begin() as connection:
        for statement in (
            "INSERT INTO source (id, name, title, created_at) VALUES (1, 's', 'S', :now)",
            "INSERT INTO ad (id, municipality, source_id, source_ad_id, url, region, first_seen,"
            " last_seen) VALUES (1, 'houten', 1, 'a', 'u1', 'h', :now, :now),"
            " (2, 'houten', 1, 'b', 'u2', 'h', :now, :now)",
            "INSERT INTO network (id, size, first_seen, updated_at)"
            " VALUES ('net-1', 2, :now, :now)",
            "INSERT INTO network_member (network_id, ad_id, links) VALUES ('net-1', 1, '[]'),"
            " ('net-1', 2, '[]')",
            "INSERT INTO user_account (id, username, display_name, role, totp_last_step, active,"
            " created_at) VALUES (1, 'o', 'O', 'officer', 0, 1, :now)",
            "INSERT INTO decision (municipality, network_id, status, reason, actor_id, created_at)"
            " VALUES ('houten', 'net-1', 'monitoren', 'volgen', 1, :now)",
        ):
            connection.execute(text(statement), {"now": NOW})
    upgrade(db)
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT ad_id, via_network, status FROM decision WHERE ad_id IS NOT NULL")
        ).all()
    assert sorted(rows) == [(1, "net-1", "monitoren"), (2, "net-1", "monitoren")]
    db.dispose()
