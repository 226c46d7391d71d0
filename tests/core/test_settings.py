"""Settings from the ADWATCH_* environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from adwatch.config.settings import KNOWN_VARIABLES, load_settings, require_secret_key
from adwatch.errors import ConfigError


def test_defaults_put_everything_under_data_and_config(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.data_dir == tmp_path / "data"
    assert settings.config_dir == tmp_path / "config"
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'adwatch.sqlite3'}"


def test_database_url_follows_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"ADWATCH_DATA_DIR": str(tmp_path / "elsewhere")})
    assert settings.database_url.endswith("elsewhere/adwatch.sqlite3")


def test_an_unknown_variable_is_an_error_naming_it() -> None:
    with pytest.raises(ConfigError, match="ADWATCH_DATABSE_URL"):
        load_settings({"ADWATCH_DATABSE_URL": "sqlite://"})


def test_a_bad_log_level_is_an_error() -> None:
    with pytest.raises(ConfigError, match="ADWATCH_LOG_LEVEL"):
        load_settings({"ADWATCH_LOG_LEVEL": "LOUD"})


def test_a_short_secret_key_is_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError, match="openssl rand"):
        require_secret_key(load_settings({"ADWATCH_SECRET_KEY": "short"}))


def test_every_variable_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()
    for name in KNOWN_VARIABLES:
        assert f"`{name}`" in docs, name
