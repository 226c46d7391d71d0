"""The nightly schedule: its time, and a job that survives a failing step."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adwatch.config.schemas import AppConfig, ScheduleConfig, load_app_config
from adwatch.operations import scheduler
from tests.helpers import instance_env, run_cli

CONFIG = Path(__file__).resolve().parents[2] / "config"


def test_default_time_is_half_past_two_amsterdam_time() -> None:
    config = load_app_config(CONFIG)
    winter = scheduler.next_run(config, datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    summer = scheduler.next_run(config, datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    assert (winter.astimezone(UTC).hour, winter.minute) == (1, 30)
    assert (summer.astimezone(UTC).hour, summer.minute) == (0, 30)


def test_configured_time_and_zone_are_used() -> None:
    config = AppConfig(
        municipality="Houten",
        contact="test",
        schedule=ScheduleConfig(time="23:05", timezone="UTC"),
    )
    after = scheduler.next_run(config, datetime(2026, 3, 3, 23, 6, tzinfo=UTC))
    assert after == datetime(2026, 3, 4, 23, 5, tzinfo=UTC)


def test_a_failing_step_is_logged_and_the_next_step_still_runs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for key, value in instance_env(tmp_path / "data").items():
        monkeypatch.setenv(key, value)
    steps = (("crawl", "no_such_source"), ("--version",))
    with caplog.at_level("INFO", logger="adwatch.schedule"):
        results = scheduler.nightly_job(steps)
    assert [r.exit_code != 0 for r in results] == [True, False]
    assert "ended with exit code" in caplog.text
    assert "1 of 2 steps ok" in caplog.text


def test_schedule_refuses_to_start_on_an_unmigrated_database(tmp_path: Path) -> None:
    result = run_cli(instance_env(tmp_path / "data"), "schedule", timeout=60)
    assert result.returncode == 2
    assert "adwatch init" in result.stderr
