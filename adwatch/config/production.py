"""The production marker: a database made with `adwatch init --production` holds real data.

The demo and the test suite refuse to open such a database, and the demo refuses to touch one,
so a mistyped environment variable can never wipe or mix real evidence with synthetic ads.
"""

from __future__ import annotations

from sqlalchemy import inspect, select

from adwatch.config.settings import DEMO_SECRET_KEY
from adwatch.errors import ConfigError
from adwatch.storage.db import Database
from adwatch.storage.models import InstanceMeta

MARKER = "production"
# Keys published in this repository (the demo's, the tests'): anyone could compute a production
# instance's phone hashes and decrypt its TOTP secrets with them (issue 16, finding 7).
PUBLIC_KEYS = frozenset({DEMO_SECRET_KEY})
PRODUCTION_KEY_MIN = 32


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


def public_key_problem(secret_key: str) -> str | None:
    """Why a key must not protect real data, or None when it may."""
    if secret_key in PUBLIC_KEYS or "demo" in secret_key.lower() or "test" in secret_key.lower():
        return "is a published demo or test key"
    if len(secret_key) < PRODUCTION_KEY_MIN:
        return f"is shorter than {PRODUCTION_KEY_MIN} characters"
    return None


def refuse_public_key(db: Database, secret_key: str) -> None:
    """Raise when a production database would be opened with a published or weak key."""
    if public_key_problem(secret_key) is not None and is_production(db):
        refuse_public_key_for_production(secret_key)


def refuse_public_key_for_production(secret_key: str) -> None:
    """Raise when the key must not protect real data."""
    problem = public_key_problem(secret_key)
    if problem is not None:
        raise ConfigError(
            f"environment: ADWATCH_SECRET_KEY {problem}; a production database refuses it. "
            "Fix: export ADWATCH_SECRET_KEY=$(openssl rand -hex 32), kept outside the "
            "repository (docs/deployment.md)."
        )
