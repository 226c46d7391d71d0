"""`second_opinion` in adwatch.yaml: on in the shipped config, off where the key is absent, and a
wrong key or value stops adwatch with a message naming the file, the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from adwatch.config.schemas import load_app_config
from adwatch.errors import ConfigError
from tests.helpers import CONFIG_DIR


def _with(tmp_path: Path, second_opinion: object) -> Path:
    settings = yaml.safe_load((CONFIG_DIR / "adwatch.yaml").read_text(encoding="utf-8"))
    settings["second_opinion"] = second_opinion
    (tmp_path / "adwatch.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    return tmp_path


def test_the_project_ships_it_on_and_a_config_without_the_key_keeps_it_off(tmp_path: Path) -> None:
    # On in the shipped config since it raised held-out recall without lowering precision; an
    # instance's own adwatch.yaml without the key (written before) is not switched on by an upgrade.
    assert load_app_config(CONFIG_DIR).second_opinion.enabled is True
    settings = yaml.safe_load((CONFIG_DIR / "adwatch.yaml").read_text(encoding="utf-8"))
    del settings["second_opinion"]
    (tmp_path / "adwatch.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    loaded = load_app_config(tmp_path).second_opinion
    assert (loaded.enabled, loaded.learn_from_decisions, loaded.threshold) == (False, False, None)


@pytest.mark.parametrize(
    ("value", "key", "fix"),
    [
        ({"enabled": True, "enable_learning": True}, "second_opinion.enable_learning", "remove it"),
        ({"enabled": "sometimes"}, "second_opinion.enabled", "correct the value"),
        ({"threshold": 1.5}, "second_opinion.threshold", "correct the value"),
        ({"words_shown": 0}, "second_opinion.words_shown", "correct the value"),
    ],
)
def test_a_wrong_key_or_value_names_file_key_and_fix(
    tmp_path: Path, value: dict, key: str, fix: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_app_config(_with(tmp_path, value))
    message = str(raised.value)
    assert "adwatch.yaml" in message and f"key '{key}'" in message and fix in message
