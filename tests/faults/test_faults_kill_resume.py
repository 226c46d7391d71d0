"""Ten SIGKILLs at seeded random moments during one crawl, resumed each time: nothing is lost,
nothing is stored twice, and no blob name ever holds partial bytes.

Builds on `tests/crawler/test_kill_resume.py`. Kills alternate between a seeded random delay after
the run record appears (fetching, re-storing ads seen before) and one after the run's first newly
committed ads (blob writes, WARC writes, the next transaction), so the crawl both makes progress
and is cut at every stage of a batch.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import time

import pytest
from sqlalchemy import func, select

from adwatch.blobstore import BlobStore
from adwatch.models import Ad, AdImage, AdVersion, Capture
from tests.crawler.sites import Instance, Site, ad_html, listing_html, source_config
from tests.crawler.test_kill_resume import (
    AD_DELAY_S,
    RUN_TIMEOUT_S,
    _photo,
    _run_and_kill,
    _slow,
    _start,
    _stored_count,
    _warc_record_ids,
)
from tests.faults.faults_helpers import capture_blob_problems, misnamed_blobs

N_ADS = 1000
PAGE_SIZE = 50
KILLS = 10
SEED = 6
# Two requests at a time and AD_DELAY_S per ad page: at most ~50 new ads a second, so a whole run
# takes over 20 s, while ten kills store at most 5 x 2.5 s x 50 + 5 x (one batch + 0.2 s x 50):
# well short of N_ADS however fast the pipeline itself becomes.
SLOW = {"requests_per_second": 400, "concurrency": 2, "robots": "obey"}
KILL_AFTER_OPEN_S = (0.0, 2.5)
KILL_AFTER_COMMIT_S = (0.0, 0.2)

pytestmark = pytest.mark.slow


def _slow_site(site: Site) -> None:
    pages = N_ADS // PAGE_SIZE
    for page in range(pages):
        first = page * PAGE_SIZE + 1
        links = [f"/advertentie/{n}" for n in range(first, first + PAGE_SIZE)]
        more = f"/regio/houten?p={page + 2}" if page + 1 < pages else None
        path = "/regio/houten" if page == 0 else f"/regio/houten?p={page + 1}"
        site.add(path, listing_html(links, more))
    for n in range(1, N_ADS + 1):
        body = ad_html(f"Advertentie {n}", f"Nummer {n}, in Houten.", images=(f"/img/{n}.png",))
        site.add_handler(f"/advertentie/{n}", _slow(body.encode()))
        site.add(f"/img/{n}.png", _photo(n), Content_Type="image/png")


def _runs(instance: Instance) -> int:
    path = instance.data_dir / "adwatch.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as connection:
        return connection.execute("SELECT count(*) FROM crawl_run").fetchone()[0]


def _open_and_kill(instance: Instance, delay: float) -> int:
    """Start a crawl; SIGKILL it `delay` s after its run record appears. Ads stored then."""
    before = _runs(instance)
    child = _start(instance)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        while _runs(instance) <= before:
            assert child.poll() is None and time.monotonic() < deadline, "the run never opened"
            time.sleep(0.02)
        time.sleep(delay)
        assert child.poll() is None, "the crawl ended before it could be killed"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    return _stored_count(instance)


@pytest.fixture(scope="module")
def resumed(tmp_path_factory: pytest.TempPathFactory):
    """Ten killed crawls of the slow site, then one that completes."""
    instance = Instance(tmp_path_factory.mktemp("ten-kills"))
    site = Site()
    _slow_site(site)
    rng = random.Random(SEED)
    plan = [
        (_open_and_kill, rng.uniform(*KILL_AFTER_OPEN_S))
        if n % 2 == 0
        else (_run_and_kill, rng.uniform(*KILL_AFTER_COMMIT_S))
        for n in range(KILLS)
    ]
    with site.serve() as base_url:
        instance.add_source(source_config("traag", base_url, politeness=SLOW))
        at_kill = [kill(instance, delay) for kill, delay in plan]
        final = _start(instance)
        final.wait(timeout=RUN_TIMEOUT_S * 2)
    moments = [f"{'open' if kill is _open_and_kill else 'commit'}+{d:.2f}s" for kill, d in plan]
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
