"""A production database refuses the demo and the tests."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from adwatch.config.production import is_production
from adwatch.config.settings import DEMO_SECRET_KEY
from adwatch.errors import ConfigError
from adwatch.storage.db import Database
from tests.helpers import instance_env, migrated_database, run_cli


def production_env(data_dir: Path) -> dict[str, str]:
    """A production instance's variables: its own random key, never a published one."""
    return {**instance_env(data_dir), "ADWATCH_SECRET_KEY": secrets.token_hex(32)}


def test_init_production_marks_the_database(tmp_path: Path) -> None:
    env = production_env(tmp_path / "data")
    result = run_cli(env, "init", "--production")
    assert result.returncode == 0, result.stderr
    assert "production" in result.stdout
    assert is_production(Database(env["ADWATCH_DATABASE_URL"]))


def test_a_plain_init_is_not_production(tmp_path: Path) -> None:
    assert not is_production(migrated_database(tmp_path))


def test_the_test_helpers_refuse_a_production_database(tmp_path: Path) -> None:
    run_cli(production_env(tmp_path), "init", "--production")
    with pytest.raises(ConfigError, match="production database"):
        migrated_database(tmp_path)


def test_the_demo_refuses_to_touch_a_production_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    demo_env = production_env(data_dir / "demo")
    run_cli(demo_env, "init", "--production")
    before = sorted(p.name for p in (data_dir / "demo").iterdir())
    result = run_cli({"ADWATCH_DATA_DIR": str(data_dir)}, "demo", "--port", "0")
    assert result.returncode == 2
    assert "production database" in result.stderr
    assert sorted(p.name for p in (data_dir / "demo").iterdir()) == before


@pytest.mark.parametrize(
    "key", [DEMO_SECRET_KEY, "a-test-key-from-the-test-suite-0123456789", "x" * 20]
)
def test_production_refuses_the_demo_key_test_keys_and_short_keys(tmp_path: Path, key: str) -> None:
    """Issue 16, finding 7: a production instance accepted the demo's published key."""
    env = {**instance_env(tmp_path / "data"), "ADWATCH_SECRET_KEY": key}
    result = run_cli(env, "init", "--production")
    assert result.returncode == 2 and "ADWATCH_SECRET_KEY" in result.stderr
    assert not is_production(Database(env["ADWATCH_DATABASE_URL"]))


def test_a_production_database_opened_with_the_demo_key_is_refused(tmp_path: Path) -> None:
    env = production_env(tmp_path / "data")
    assert run_cli(env, "init", "--production").returncode == 0
    result = run_cli({**env, "ADWATCH_SECRET_KEY": DEMO_SECRET_KEY}, "sources")
    assert result.returncode == 2 and "published demo or test key" in result.stderr
