"""scoring.rules: the config loads, and mistakes fail at load time naming file, key and fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from adwatch.errors import ConfigError
from scoring.rules import ALL_CODES, default_rules_path, load_rules


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))


def test_repository_config_has_every_catalogue_code(rules) -> None:
    assert set(rules.indicators) == set(ALL_CODES)
    assert rules.version.startswith("rules-sha256:")


def test_version_follows_content(tmp_path: Path, raw: dict, rules) -> None:
    raw["indicators"]["third_party"]["weight"] = 3.5
    changed = load_rules(_write(tmp_path, raw))
    assert changed.version != rules.version
    assert changed.weight("third_party") == 3.5


def test_unknown_key_names_file_key_and_fix(tmp_path: Path, raw: dict) -> None:
    raw["indicators"]["third_party"]["weigth"] = 2
    with pytest.raises(
        ConfigError, match=r"indicators\.yaml: key 'indicators\.third_party\.weigth'.*Fix"
    ):
        load_rules(_write(tmp_path, raw))


def test_missing_code_is_an_error(tmp_path: Path, raw: dict) -> None:
    del raw["indicators"]["photo_reuse"]
    with pytest.raises(ConfigError, match="photo_reuse"):
        load_rules(_write(tmp_path, raw))


def test_unknown_code_is_an_error(tmp_path: Path, raw: dict) -> None:
    raw["indicators"]["made_up"] = dict(raw["indicators"]["hotel_location"])
    with pytest.raises(ConfigError, match="made_up"):
        load_rules(_write(tmp_path, raw))


def test_bad_spacy_pattern_names_its_key(tmp_path: Path, raw: dict) -> None:
    raw["indicators"]["hotel_location"]["patterns"] = [[{"LOWRE": "hotel"}]]
    with pytest.raises(ConfigError, match=r"indicators\.hotel_location\.patterns\.0"):
        load_rules(_write(tmp_path, raw))


def test_tiers_must_be_ordered(tmp_path: Path, raw: dict) -> None:
    raw["tiers"] = {"hoog": 2, "middel": 5}
    with pytest.raises(ConfigError, match="tiers"):
        load_rules(_write(tmp_path, raw))


def test_unquoted_yaml_no_is_caught(tmp_path: Path, raw: dict) -> None:
    raw["negation"]["before"] = [*raw["negation"]["before"], False]
    with pytest.raises(ConfigError, match=r"negation\.before"):
        load_rules(_write(tmp_path, raw))


def test_unless_before_is_gone(tmp_path: Path, raw: dict) -> None:
    raw["indicators"]["hotel_location"]["unless_before"] = ["geen"]
    with pytest.raises(ConfigError, match=r"unless_before.*Extra inputs"):
        load_rules(_write(tmp_path, raw))
