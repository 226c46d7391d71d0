"""Fixtures for the evidence tests: one demo crawl (day 1 and day 2) shared by the modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_world import World, copy_instance, populate

from application.demo.server import DemoPlatform
from tests.helpers import instance_env, migrated_database, run_cli


@pytest.fixture(scope="session")
def crawled_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder filled by crawling the demo platform on day 1 and day 2."""
    data_dir = tmp_path_factory.mktemp("evidence-crawl") / "data"
    env = instance_env(data_dir)
    migrated_database(data_dir).dispose()
    platform = DemoPlatform(seed=2026, day=1)
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        for day in (1, 2):
            platform.set_day(day)
            result = run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
            assert result.returncode == 0, result.stderr[-2000:]
    return data_dir


@pytest.fixture(scope="module")
def world(crawled_data: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    """A private copy of the crawl per module, with an officer, decisions, a network and hits."""
    env, instance = copy_instance(crawled_data, tmp_path_factory.mktemp("evidence") / "data")
    populated = populate(env, instance)
    yield populated
    instance.db.dispose()
