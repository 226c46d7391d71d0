"""Create or migrate the database to the newest schema with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from adwatch.storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(db: Database) -> Config:
    """An Alembic config pointing at adwatch's migrations and this database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = db.url
    return config


def upgrade(db: Database, municipality: str | None = None) -> None:
    """Bring the schema to the newest revision. `municipality` is the code the rows written
    before municipalities existed belong to (revision 0008 needs it when there are any)."""
    config = alembic_config(db)
    config.attributes["municipality"] = municipality
    with db.engine.connect() as connection:
        config.attributes["connection"] = connection
        if db.is_sqlite:
            _upgrade_sqlite(connection, config)
        else:
            with connection.begin():
                command.upgrade(config, "head")


def _upgrade_sqlite(connection: Connection, config: Config) -> None:
    """SQLite's own recipe for rebuilding a table that others reference: foreign keys off
    outside the transaction (the switch is ignored inside one), checked before commit."""
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        with connection.begin():
            command.upgrade(config, "head")
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
            if broken is not None:
                raise RuntimeError(f"migration left a broken foreign key: {tuple(broken)}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision in the code."""
    script = ScriptDirectory(str(MIGRATIONS))
    return script.get_current_head() or ""
