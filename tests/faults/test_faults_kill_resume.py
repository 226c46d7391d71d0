"""Ten SIGKILLs at seeded random moments during one crawl, resumed each time: nothing is lost,
nothing is stored twice, and no blob name ever holds partial bytes.

Builds on `tests/crawler/test_kill_resume.py`. Kills alternate between a seeded random delay after
the run record appears (fetching, re-storing ads seen before) and one after the run's first newly
committed ads (blob writes, WARC writes, the next transaction), so the crawl both makes progress
and is cut at every stage of a batch.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.models import Ad, AdImage, AdVersion, Capture
from tests.crawler.sites import Instance, Site, source_config
from tests.crawler.test_kill_resume import (
    AD_DELAY_S,
    RUN_TIMEOUT_S,
    TWO_AT_A_TIME,
    _start,
    _warc_record_ids,
    kill_after,
    slow_site,
)
from tests.faults.faults_helpers import capture_blob_problems, misnamed_blobs

N_ADS = 1000
PAGE_SIZE = 50
KILLS = 10
SEED = 6
# Two requests at a time and AD_DELAY_S per ad page: at most ~50 new ads a second, so a whole run
# takes over 20 s, while ten kills store at most 5 x 2.5 s x 50 + 5 x (one batch + 0.2 s x 50):
# well short of N_ADS however fast the pipeline itself becomes.
KILL_AFTER_OPEN_S = (0.0, 2.5)
KILL_AFTER_COMMIT_S = (0.0, 0.2)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def resumed(tmp_path_factory: pytest.TempPathFactory):
    """Ten killed crawls of the slow site, then one that completes."""
    instance = Instance(tmp_path_factory.mktemp("ten-kills"))
    site = Site()
    slow_site(site, N_ADS)
    rng = random.Random(SEED)
    plan = [
        ("crawl_run", rng.uniform(*KILL_AFTER_OPEN_S))
        if n % 2 == 0
        else ("ad", rng.uniform(*KILL_AFTER_COMMIT_S))
        for n in range(KILLS)
    ]
    with site.serve() as base_url:
        instance.add_source(source_config("traag", base_url, politeness=TWO_AT_A_TIME))
        at_kill = [kill_after(instance, table, delay) for table, delay in plan]
        final = _start(instance)
        final.wait(timeout=RUN_TIMEOUT_S * 2)
    moments = [f"{'open' if table == 'crawl_run' else 'commit'}+{d:.2f}s" for table, d in plan]
    print(f"\n{KILLS} kills ({AD_DELAY_S} s per ad page): {', '.join(moments)}")
    print(f"ads stored at each kill: {at_kill}")
    return instance, at_kill, final


def test_every_kill_landed_mid_run_and_the_last_run_completed(resumed) -> None:
    instance, at_kill, final = resumed
    stderr = (instance.root / "child-stderr.txt").read_text(errors="replace")
    assert final.returncode == 0, stderr[-3000:]
    assert len(at_kill) == KILLS and at_kill == sorted(at_kill)
    assert 0 < at_kill[-1] < N_ADS, "some kills must land after commits, none after the end"
    statuses = [run.status for run in instance.runs()]
    assert statuses == ["interrupted"] * KILLS + ["finished"]


def test_every_ad_is_stored_once_with_one_version_and_image(resumed) -> None:
    instance, _, _ = resumed
    with instance.db.reading() as session:
        ids = session.scalars(select(Ad.source_ad_id)).all()
        versions = session.execute(select(AdVersion.ad_id, func.count()).group_by(AdVersion.ad_id))
        images = session.execute(
            select(AdImage.ad_version_id, func.count()).group_by(AdImage.ad_version_id)
        )
        version_counts, image_counts = [c for _, c in versions], [c for _, c in images]
    print(f"\nafter {KILLS} kills: {len(ids)} ads stored, {len(set(ids))} distinct")
    assert sorted(ids, key=int) == [str(n) for n in range(1, N_ADS + 1)]
    assert len(version_counts) == N_ADS and set(version_counts) == {1}
    assert len(image_counts) == N_ADS and set(image_counts) == {1}


def test_every_committed_capture_blob_is_present_and_whole(resumed) -> None:
    instance, _, _ = resumed
    blobs = BlobStore(instance.data_dir / "blobs")
    checked, bad = capture_blob_problems(instance.db, blobs)
    stored = list(blobs.digests())
    leftovers = [p.name for p in blobs.tmp.iterdir()] if blobs.tmp.exists() else []
    print(f"\ncapture blobs checked: {checked}, blob files: {len(stored)}")
    print(f"temporaries left by kills: {len(leftovers)}")
    assert checked >= 2 * N_ADS and bad == []
    assert misnamed_blobs(blobs) == [], "a partial blob under a final name"
    assert all(name.startswith("part-") for name in leftovers)


def test_every_committed_capture_has_its_warc_record(resumed) -> None:
    instance, _, _ = resumed
    with instance.db.reading() as session:
        rows = session.execute(select(Capture.run_id, Capture.warc_record_id)).all()
    by_run: dict[int, set[str]] = {}
    for run_id, record_id in rows:
        by_run.setdefault(run_id, set()).add(record_id)
    runs = {run.id: run for run in instance.runs()}
    missing = 0
    for run_id, record_ids in by_run.items():
        found = _warc_record_ids(instance.data_dir / "warc" / runs[run_id].warc_file)
        missing += len(record_ids - found)
    print(f"\nWARC records checked: {len(rows)} in {len(by_run)} runs, missing {missing}")
    assert missing == 0
