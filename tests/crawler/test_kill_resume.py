"""A crawl killed with SIGKILL at several moments and started again stores every ad exactly once.

`adwatch crawl` runs as a child process against a site slow enough to be caught mid-run. Each time
the database shows newly committed ads, the process is killed (right away, or a little later, so the
kill lands at different points of the fetch → blobs → WARC → transaction cycle), then started again.
After the last run completes, every ad, version, image, capture and blob must be whole and single.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zlib

import pytest
from aiohttp import web
from PIL import Image
from sqlalchemy import func, select
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.models import Ad, AdImage, AdVersion, Capture
from tests.crawler.sites import Instance, Site, ad_html, listing_html, source_config

N_ADS = 300
PAGE_SIZE = 50
AD_DELAY_S = 0.04
KILL_DELAYS_S = (0.0, 0.1, 0.3)  # after newly committed ads show up in the database
RUN_TIMEOUT_S = 60


def _photo(n: int) -> bytes:
    image = Image.new("RGB", (16, 16), (n % 256, n // 256, 77))
    for x in range(0, 16, 3):
        image.putpixel((x, x), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# Two requests at a time: a run's progress is bounded by the site, not the pipeline's speed,
# so a kill's timing decides how many ads it lets through however fast the crawler becomes.
TWO_AT_A_TIME = {"requests_per_second": 400, "concurrency": 2, "robots": "obey"}


def slow_site(site: Site, n_ads: int) -> None:
    """Listing pages of PAGE_SIZE ads and `n_ads` slow ad pages, each with its own photo."""
    pages = n_ads // PAGE_SIZE
    for page in range(pages):
        first = page * PAGE_SIZE + 1
        links = [f"/advertentie/{n}" for n in range(first, first + PAGE_SIZE)]
        more = f"/regio/houten?p={page + 2}" if page + 1 < pages else None
        path = "/regio/houten" if page == 0 else f"/regio/houten?p={page + 1}"
        site.add(path, listing_html(links, more))
    for n in range(1, n_ads + 1):
        body = ad_html(f"Advertentie {n}", f"Nummer {n}, in Houten.", images=(f"/img/{n}.png",))
        site.add_handler(f"/advertentie/{n}", _slow(body.encode()))
        site.add(f"/img/{n}.png", _photo(n), Content_Type="image/png")


def _slow(body: bytes):
    async def handler(request: web.Request) -> web.Response:
        await asyncio.sleep(AD_DELAY_S)
        return web.Response(body=body, content_type="text/html")

    return handler


def row_count(instance: Instance, table: str) -> int:
    """Rows in a table, read while a crawl may be writing."""
    path = instance.data_dir / "adwatch.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _stored_count(instance: Instance) -> int:
    return row_count(instance, "ad")


def _start(instance: Instance) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
    env.update(instance.env)
    command = [sys.executable, "-m", "application", "crawl", "traag", "--no-progress"]
    log = open(instance.root / "child-stderr.txt", "ab")  # noqa: SIM115 - closed by the caller
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)


def kill_after(instance: Instance, table: str, delay: float) -> int:
    """Start a crawl; SIGKILL it `delay` s after `table` gained a row. Ads stored then."""
    before = row_count(instance, table)
    child = _start(instance)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        while row_count(instance, table) <= before:
            assert child.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline, f"no new {table} row in time"
            time.sleep(0.02)
        time.sleep(delay)
        assert child.poll() is None, "the crawl ended before it could be killed"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL, "the crawl finished before the kill landed"
    return _stored_count(instance)


@pytest.fixture(scope="module")
def resumed(tmp_path_factory: pytest.TempPathFactory):
    """Three killed crawls of 300 slow ads, then one that completes."""
    instance = Instance(tmp_path_factory.mktemp("kill-resume"))
    site = Site()
    slow_site(site, N_ADS)
    with site.serve() as base_url:
        # A kill 0.3 s after a commit leaves at most a batch and ~15 more ads stored.
        instance.add_source(source_config("traag", base_url, politeness=TWO_AT_A_TIME))
        at_kill = [kill_after(instance, "ad", delay) for delay in KILL_DELAYS_S]
        final = _start(instance)
        final.wait(timeout=RUN_TIMEOUT_S * 2)
    print(f"\nkill/resume: {N_ADS} ads, {len(at_kill)} kills with {at_kill} ads stored at each")
    return instance, at_kill, final


def test_each_kill_landed_mid_run_and_the_last_run_completed(resumed) -> None:
    instance, at_kill, final = resumed
    stderr = (instance.root / "child-stderr.txt").read_text(errors="replace")
    assert final.returncode == 0, stderr[-3000:]
    assert at_kill == sorted(at_kill) and at_kill[-1] < N_ADS


def test_every_ad_is_stored_exactly_once_with_one_version(resumed) -> None:
    instance, _, _ = resumed
    with instance.db.reading() as session:
        ids = session.scalars(select(Ad.source_ad_id)).all()
        versions = session.execute(
            select(AdVersion.ad_id, func.count()).group_by(AdVersion.ad_id)
        ).all()
        images = session.execute(
            select(AdImage.ad_version_id, func.count()).group_by(AdImage.ad_version_id)
        ).all()
        gone = session.scalar(select(func.count()).where(Ad.gone_at.is_not(None)))
    assert sorted(ids, key=int) == [str(n) for n in range(1, N_ADS + 1)]
    assert len(versions) == N_ADS and {count for _, count in versions} == {1}
    assert len(images) == N_ADS and {count for _, count in images} == {1}
    assert gone == 0


def test_every_capture_blob_is_present_and_whole(resumed) -> None:
    instance, _, _ = resumed
    blobs = BlobStore(instance.data_dir / "blobs")
    with instance.db.reading() as session:
        digests = session.scalars(select(Capture.sha256)).all()
    assert len(digests) >= 2 * N_ADS
    assert all(blobs.verify(digest) for digest in set(digests))


def test_no_blob_name_holds_other_bytes(resumed) -> None:
    """A kill may leave a temporary behind, but never a partial file under a final name."""
    instance, _, _ = resumed
    blobs = BlobStore(instance.data_dir / "blobs")
    stored = list(blobs.digests())
    assert stored
    assert [digest for digest in stored if not blobs.verify(digest)] == []
    assert all(path.name.startswith("part-") for path in blobs.tmp.iterdir())


def test_killed_runs_are_recorded_as_interrupted(resumed) -> None:
    instance, at_kill, _ = resumed
    runs = instance.runs()
    assert [run.status for run in runs] == ["interrupted"] * len(at_kill) + ["finished"]
    assert all(run.finished_at is None for run in runs[:-1])


def _warc_record_ids(path) -> set[str]:
    """Response record ids in a WARC file, up to where a kill may have cut it off."""
    found: set[str] = set()
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        while True:
            try:
                record = next(records)
            except StopIteration:
                return found
            except (EOFError, OSError, ValueError, zlib.error, ArchiveLoadFailed):
                return found  # a killed run's file may end in a cut-off record
            if record.rec_type == "response":
                found.add(record.rec_headers.get_header("WARC-Record-ID"))


def test_every_committed_capture_has_its_warc_record(resumed) -> None:
    """WARC records are synced before the transaction, so even a killed run's captures have one."""
    instance, _, _ = resumed
    with instance.db.reading() as session:
        rows = session.execute(select(Capture.run_id, Capture.warc_record_id)).all()
    by_run: dict[int, set[str]] = {}
    for run_id, record_id in rows:
        by_run.setdefault(run_id, set()).add(record_id)
    runs = {run.id: run for run in instance.runs()}
    for run_id, record_ids in by_run.items():
        found = _warc_record_ids(instance.data_dir / "warc" / runs[run_id].warc_file)
        assert record_ids <= found, f"run {run_id}: {len(record_ids - found)} records missing"
