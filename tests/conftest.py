"""Fixtures shared by every test package (helpers live in tests/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adwatch.instance import Instance
from adwatch.migrate import upgrade
from adwatch.settings import load_settings
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
    upgrade(created.db)
    return created
