"""PostgreSQL fixtures: a fresh, migrated database per test module on the cluster that
`scripts/with-postgres` started (`make test` runs the suite under it)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adwatch.storage.db import Database
from adwatch.storage.migrate import upgrade
from tests.helpers import missing_prerequisite

URL_VARIABLE = "ADWATCH_TEST_POSTGRES_URL"


def server_url() -> str:
    """The cluster's URL, or a skip saying how to get one."""
    url = os.environ.get(URL_VARIABLE)
    if not url:
        missing_prerequisite(
            f"{URL_VARIABLE} is unset; run under scripts/with-postgres (make test does)"
        )
    return url


def _admin(url: str, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of an empty database created for this test module, dropped afterwards."""
    server = server_url()
    module = re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])
    name = f"{module}_{uuid.uuid4().hex[:8]}"
    _admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def pg_database(pg_url: str) -> Iterator[Database]:
    """A fresh database for this test module, migrated to the newest schema."""
    db = Database(pg_url)
    upgrade(db)
    try:
        yield db
    finally:
        db.dispose()
