"""A production database refuses the demo and the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from adwatch.db import Database
from adwatch.errors import ConfigError
from adwatch.production import is_production
from tests.helpers import instance_env, migrated_database, run_cli


def test_init_production_marks_the_database(tmp_path: Path) -> None:
    env = instance_env(tmp_path / "data")
    result = run_cli(env, "init", "--production")
    assert result.returncode == 0, result.stderr
    assert "production" in result.stdout
    assert is_production(Database(env["ADWATCH_DATABASE_URL"]))


def test_a_plain_init_is_not_production(tmp_path: Path) -> None:
    assert not is_production(migrated_database(tmp_path))


def test_the_test_helpers_refuse_a_production_database(tmp_path: Path) -> None:
    run_cli(instance_env(tmp_path), "init", "--production")
    with pytest.raises(ConfigError, match="production database"):
        migrated_database(tmp_path)


def test_the_demo_refuses_to_touch_a_production_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    demo_env = instance_env(data_dir / "demo")
    run_cli(demo_env, "init", "--production")
    before = sorted(p.name for p in (data_dir / "demo").iterdir())
    result = run_cli({"ADWATCH_DATA_DIR": str(data_dir)}, "demo", "--port", "0")
    assert result.returncode == 2
    assert "production database" in result.stderr
    assert sorted(p.name for p in (data_dir / "demo").iterdir()) == before
