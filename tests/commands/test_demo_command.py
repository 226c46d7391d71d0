"""`adwatch demo` end to end (without serving the UI): crawl both days, score, show the queue."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import func, select

from adwatch.storage.db import Database
from adwatch.storage.models import Ad, Capture, Score, SecondOpinion
from tests.helpers import run_cli


def test_the_demo_crawls_scores_and_prints_the_queue(tmp_path: Path) -> None:
    result = run_cli({"ADWATCH_DATA_DIR": str(tmp_path)}, "demo", "--no-serve", "--port", "0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "top of the review queue" in result.stdout
    assert "hoog" in result.stdout
    db = Database(f"sqlite:///{tmp_path / 'demo' / 'adwatch.sqlite3'}")
    with db.reading() as session:
        assert session.scalar(select(func.count(Ad.id))) > 50
        assert session.scalar(select(func.count(Score.id))) > 50
        rendered = select(func.count(Capture.id)).where(Capture.screenshot_sha256.is_not(None))
        assert session.scalar(rendered) > 0


def test_the_demo_can_show_the_second_opinion_trained_on_the_dev_corpus(tmp_path: Path) -> None:
    env = {"ADWATCH_DATA_DIR": str(tmp_path)}
    result = run_cli(env, "demo", "--no-serve", "--port", "0", "--second-opinion")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "second opinion: training on the development corpus" in " ".join(result.stdout.split())
    assert "recorded" in result.stdout and "second opinion:" in result.stdout
    db = Database(f"sqlite:///{tmp_path / 'demo' / 'adwatch.sqlite3'}")
    with db.reading() as session:
        assert session.scalar(select(func.count(SecondOpinion.ad_version_id))) > 50
    demo_config = yaml.safe_load((tmp_path / "demo" / "config" / "adwatch.yaml").read_text("utf-8"))
    assert demo_config["second_opinion"]["enabled"] is True


def test_a_failed_step_stops_the_demo_with_one_clear_message(tmp_path: Path) -> None:
    env = {"ADWATCH_DATA_DIR": str(tmp_path), "ADWATCH_CONFIG_DIR": str(tmp_path / "missing")}
    result = run_cli(env, "demo", "--no-serve", "--port", "0")
    assert result.returncode == 1
    assert "configuration folder not found" in result.stderr
    assert "the demo stopped: `adwatch crawl` failed (exit 2)" in result.stderr
    assert "Traceback" not in result.stderr
    assert "crawl, day 2" not in result.stdout


def test_the_second_opinion_demo_without_a_config_folder_says_so(tmp_path: Path) -> None:
    env = {"ADWATCH_DATA_DIR": str(tmp_path), "ADWATCH_CONFIG_DIR": str(tmp_path / "missing")}
    result = run_cli(env, "demo", "--no-serve", "--port", "0", "--second-opinion")
    assert result.returncode == 1
    assert "configuration folder not found" in result.stderr
    assert "Traceback" not in result.stderr
