"""Fixtures shared by every test package (helpers live in tests/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adwatch.config.production import refuse_production
from adwatch.config.settings import load_settings
from adwatch.errors import ConfigError
from adwatch.instance import Instance
from adwatch.storage.db import Database
from adwatch.storage.migrate import upgrade
from tests.helpers import instance_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """ADWATCH_* variables for a fresh instance under tmp_path (database not created yet)."""
    return instance_env(tmp_path / "data")


@pytest.fixture
def instance(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Instance:
    """A migrated instance whose settings come from `env`."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    created = Instance(load_settings())
    refuse_production(created.db, "the test suite")
    upgrade(created.db)
    return created


@pytest.fixture(scope="session", autouse=True)
def never_the_ambient_production_database() -> None:
    """A test run must not start where the environment points at real data."""
    ambient = Database(load_settings().database_url)
    try:
        refuse_production(ambient, "the test suite")
    except ConfigError as exc:
        pytest.exit(str(exc), returncode=2)
    finally:
        ambient.dispose()
