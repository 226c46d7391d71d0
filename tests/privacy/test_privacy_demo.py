"""End to end on a crawled and scored demo instance: the purge CLI, then a purge a month later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.privacy.purge import purge
from adwatch.storage.models import AdVersion, Capture, CrawlRun, Image, Score
from adwatch.timeutil import utcnow
from application.demo.server import DemoPlatform
from tests.helpers import instance_env, migrated_database, run_cli


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("privacy-demo") / "data"
    env = instance_env(data_dir)
    migrated_database(data_dir).dispose()
    with DemoPlatform(seed=2026, day=1).serve_in_thread(host="127.0.0.1", port=0) as base_url:
        crawled = run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
        assert crawled.returncode == 0, crawled.stderr[-2000:]
    assert run_cli(env, "score").returncode == 0
    instance = Instance(load_settings(env))
    yield env, instance
    instance.db.dispose()


def test_the_purge_cli_right_after_a_crawl_removes_nothing(scored) -> None:
    env, _ = scored
    result = run_cli(env, "purge", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "dry run, nothing changed" in result.stdout and "unflagged" not in result.stdout
    assert run_cli(env, "purge").returncode == 0


def test_a_month_later_the_unflagged_ads_go_and_the_rest_is_whole(scored) -> None:
    _, instance = scored
    with instance.db.reading() as session:
        unflagged = set(session.scalars(select(Score.ad_id).where(Score.tier == "geen")))
    report = purge(instance, utcnow() + timedelta(days=31))
    assert set(report.ads["unflagged"]) == unflagged and unflagged
    with instance.db.reading() as session:
        remaining = set(session.scalars(select(AdVersion.ad_id)))
        record_ids = {c.warc_record_id for c in session.scalars(select(Capture))}
        warc = session.scalar(select(CrawlRun.warc_file))
        digests = {*session.scalars(select(Capture.sha256)), *session.scalars(select(Image.sha256))}
    assert remaining and not remaining & unflagged
    with (instance.settings.warc_dir / warc).open("rb") as handle:
        responses = {
            r.rec_headers.get_header("WARC-Record-ID")
            for r in ArchiveIterator(handle)
            if r.rec_type == "response"
        }
    assert responses == record_ids
    assert set(instance.blobs.digests()) == digests
