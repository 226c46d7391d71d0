"""The production marker: a database made with `adwatch init --production` holds real data.

The demo and the test suite refuse to open such a database, and the demo refuses to touch one,
so a mistyped environment variable can never wipe or mix real evidence with synthetic ads.
"""

from __future__ import annotations

from sqlalchemy import inspect, select

from adwatch.db import Database
from adwatch.errors import ConfigError
from adwatch.models import InstanceMeta

MARKER = "production"


def mark_production(db: Database) -> None:
    """Record in the database that it holds production data (idempotent)."""
    with db.writing() as session:
        if session.get(InstanceMeta, MARKER) is None:
            session.add(InstanceMeta(key=MARKER, value="true"))


def is_production(db: Database) -> bool:
    """True when the database carries the production marker."""
    if not inspect(db.engine).has_table(InstanceMeta.__tablename__):
        return False
    with db.reading() as session:
        value = session.scalar(select(InstanceMeta.value).where(InstanceMeta.key == MARKER))
    return value == "true"


def refuse_production(db: Database, who: str) -> None:
    """Raise when `who` (the demo, the tests) is about to open a production database."""
    if is_production(db):
        raise ConfigError(
            f"{db.url} is a production database (made with `adwatch init --production`); "
            f"{who} refuses to open it. Fix: point ADWATCH_DATA_DIR / ADWATCH_DATABASE_URL "
            "at another folder."
        )
