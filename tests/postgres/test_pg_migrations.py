"""The migrations bring an empty PostgreSQL database to head, and the models match them."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

from adwatch.storage.db import Database
from adwatch.storage.migrate import alembic_config, current_revision, head_revision
from adwatch.storage.models import Base

pytestmark = pytest.mark.postgres


def test_the_database_is_at_head(pg_database: Database) -> None:
    assert current_revision(pg_database) == head_revision()


def test_every_model_table_exists(pg_database: Database) -> None:
    tables = set(inspect(pg_database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_alembic_check_finds_no_drift(pg_database: Database) -> None:
    command.check(alembic_config(pg_database))


def test_the_append_only_triggers_exist(pg_database: Database) -> None:
    with pg_database.reading() as session:
        names = session.scalars(
            text("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%_append_only'")
        ).all()
    assert len(names) == 7
