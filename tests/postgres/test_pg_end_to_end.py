"""End to end on PostgreSQL: crawl the demo platform, `adwatch score`, `adwatch hits --json`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from adwatch.storage.db import Database
from adwatch.storage.models import Ad, CrawlRun, Score
from application.demo.server import DemoPlatform
from tests.helpers import instance_env, run_cli

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def scored(pg_database: Database, pg_url: str, tmp_path_factory: pytest.TempPathFactory):
    """The demo crawled on day 1 and scored, into the module's PostgreSQL database."""
    env = instance_env(tmp_path_factory.mktemp("pg-e2e") / "data")
    env["ADWATCH_DATABASE_URL"] = pg_url
    platform = DemoPlatform(seed=2026, day=1)
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        crawl = run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    score = run_cli(env, "score")
    assert score.returncode == 0, score.stderr[-2000:]
    hits = run_cli(env, "hits", "--json", "--all")
    assert hits.returncode == 0, hits.stderr[-2000:]
    rows = {row["source_ad_id"]: row for row in json.loads(hits.stdout)}
    return platform, pg_database, rows


def _codes(row: dict) -> set[str]:
    return {hit["code"] for hit in row["indicators"]}


def test_the_in_scope_ads_are_stored_once_and_the_run_finished(scored) -> None:
    platform, db, _ = scored
    expected = {ad.id for ad in platform.ads_for_day(1) if ad.in_scope and not ad.vip}
    with db.reading() as session:
        stored = session.scalars(select(Ad.source_ad_id)).all()
        runs = session.scalars(select(CrawlRun.status)).all()
    assert sorted(stored) == sorted(expected)
    assert runs == ["finished"]


def test_every_stored_ad_is_scored(scored) -> None:
    _, db, rows = scored
    with db.reading() as session:
        ads = session.scalar(select(func.count()).select_from(Ad))
        scores = session.scalar(select(func.count(func.distinct(Score.ad_id))))
    assert ads == scores == len(rows)


def test_minor_cues_reach_tier_hoog(scored) -> None:
    platform, _, rows = scored
    minors = [a.id for a in platform.ads_for_day(1) if "minor_cue" in a.labels and not a.vip]
    assert minors
    for ad_id in minors:
        assert "minor_cue" in _codes(rows[ad_id]) and rows[ad_id]["tier"] == "hoog", ad_id


def test_the_shared_phone_group_is_one_network(scored) -> None:
    platform, _, rows = scored
    group = [a.id for a in platform.ads_for_day(1) if "phone_shared" in a.labels]
    assert group and all("phone_shared" in _codes(rows[ad_id]) for ad_id in group)
    assert len({rows[ad_id]["network_id"] for ad_id in group}) == 1
