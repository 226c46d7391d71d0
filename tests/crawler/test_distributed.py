"""Distributed crawling: one seeding `adwatch crawl` and two `adwatch crawl --worker` processes
share a run through Redis. Every ad is stored once, every page fetched once, by either worker;
the seeder closes the run with the workers' figures and marks unlisted ads gone."""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiohttp import web
from redis import Redis
from sqlalchemy import func, select

from adwatch.storage.models import Ad, AdVersion, Image
from tests.crawler.redis_server import redis_url
from tests.crawler.sites import Instance, Site, ad_html, listing_html, png_bytes, source_config

pytestmark = [pytest.mark.redis, pytest.mark.slow]
N_ADS = 60
PAGE_SIZE = 20
AD_DELAY_S = 0.1
REMOVED = {"7", "8", "9"}
TIMEOUT_S = 120
WORKER_CONCURRENCY = source_config("dist", "")["politeness"]["concurrency"]
GATE_TIMEOUT_S = 30


class _SplitGate:
    """Holds the ad pages until more of them wait at once than one worker may ask for at once
    (its per-site concurrency), so the first worker to start cannot fetch them all alone: the
    split is then a fact of the run, not of how quickly each process got going."""

    def __init__(self) -> None:
        self.waiting = 0
        self.open = asyncio.Event()

    async def wait(self) -> None:
        self.waiting += 1
        if self.waiting > WORKER_CONCURRENCY:
            self.open.set()
        try:
            await asyncio.wait_for(self.open.wait(), GATE_TIMEOUT_S)
        except TimeoutError:
            self.open.set()  # one worker alone: let it finish, the split test names it


def _ad_reply(n: int, gate: _SplitGate):
    # Every fifth ad reuses one photo: two workers may store the same image row at once.
    photo = "/img/shared.png" if n % 5 == 0 else f"/img/{n}.png"
    body = ad_html(f"Advertentie {n}", f"Nummer {n}, in Houten.", images=(photo,)).encode()

    async def reply(request: web.Request) -> web.Response:
        await gate.wait()
        await asyncio.sleep(AD_DELAY_S)
        return web.Response(body=body, content_type="text/html")

    return reply


def _build(site: Site, ids: list[int]) -> None:
    site.routes.clear()
    pages = [ids[i : i + PAGE_SIZE] for i in range(0, len(ids), PAGE_SIZE)]
    for number, chunk in enumerate(pages, start=1):
        path = "/regio/houten" if number == 1 else f"/regio/houten?p={number}"
        more = f"/regio/houten?p={number + 1}" if number < len(pages) else None
        site.add(path, listing_html([f"/advertentie/{n}" for n in chunk], more))
    gate = _SplitGate()
    for n in ids:
        site.add_handler(f"/advertentie/{n}", _ad_reply(n, gate))
        site.add(f"/img/{n}.png", png_bytes((n % 256, 90, 40)), Content_Type="image/png")
    site.add("/img/shared.png", png_bytes((9, 9, 9)), Content_Type="image/png")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", Content_Type="text/plain")


def _popen(env: dict[str, str], *args: str) -> subprocess.Popen:
    full = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")} | env
    command = [sys.executable, "-m", "application", "crawl", *args, "--no-progress"]
    return subprocess.Popen(command, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_workers(redis_url: str, workers: list[subprocess.Popen]) -> None:
    """Until every worker waits on Redis for the run: a worker that is still importing when the
    seeder pushes the pages finds the other one done with them, and the split is not tested."""
    expected = {f"adwatch-worker-{socket.gethostname()}-{w.pid}" for w in workers}
    client = Redis.from_url(redis_url)
    deadline = time.monotonic() + TIMEOUT_S
    while not expected <= {c["name"] for c in client.client_list()}:
        assert time.monotonic() < deadline, "the workers never connected to Redis"
        assert all(w.poll() is None for w in workers), "a worker stopped before the run"
        time.sleep(0.1)
    client.close()


def _distributed_run(instance: Instance, env: dict[str, str], base_url: str) -> dict:
    workers = [_popen(env, "dist", "--worker", "--base-url", base_url) for _ in range(2)]
    _wait_for_workers(env["ADWATCH_REDIS_URL"], workers)
    seeder = _popen(env, "dist", "--base-url", base_url)
    outcome = {}
    for name, process in [("seeder", seeder), ("worker1", workers[0]), ("worker2", workers[1])]:
        out, err = process.communicate(timeout=TIMEOUT_S)
        outcome[name] = (process.returncode, out.decode(), err.decode()[-3000:])
    return outcome


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    """Two distributed runs: all ads, then with three ads taken off the listing."""
    instance = Instance(tmp_path_factory.mktemp("distributed"))
    site, logs, outcomes = Site(), [], []
    with redis_url() as url, site.serve() as base_url:
        instance.add_source(source_config("dist", base_url))
        env = {**instance.env, "ADWATCH_REDIS_URL": url}
        for ids in (range(1, N_ADS + 1), [n for n in range(1, N_ADS + 1) if str(n) not in REMOVED]):
            _build(site, list(ids))
            site.log.clear()
            outcomes.append(_distributed_run(instance, env, base_url))
            logs.append(list(site.log))
    return instance, logs, outcomes


def _count(instance: Instance, model) -> int:
    with instance.db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_every_process_finishes(runs) -> None:
    instance, _, outcomes = runs
    for outcome in outcomes:
        for name, (code, _, err) in outcome.items():
            assert code == 0, f"{name}: {err}\n{instance.log_text()[-3000:]}"


def test_every_ad_is_stored_once(runs) -> None:
    instance, _, _ = runs
    assert instance.stored_ids() == {str(n) for n in range(1, N_ADS + 1)}
    assert _count(instance, AdVersion) == N_ADS
    assert _count(instance, Image) == N_ADS - N_ADS // 5 + 1


def test_every_page_is_fetched_once_per_run(runs) -> None:
    _, logs, _ = runs
    for log in logs:
        pages = Counter(hit.path for hit in log if not hit.path.startswith(("/robots", "/img")))
        assert len(pages) == N_ADS + 3 or len(pages) == N_ADS - len(REMOVED) + 3
        assert set(pages.values()) == {1}, [p for p, n in pages.items() if n > 1]


def _responses(warc: Path) -> int:
    with gzip.open(warc) as stream:
        return stream.read().count(b"WARC-Type: response")


def test_the_pages_were_split_between_the_workers(runs, tmp_path) -> None:
    instance, _, _ = runs
    warcs = sorted((instance.data_dir / "warc" / "dist").glob("run-000001-*.warc.gz"))
    per_worker = [_responses(path) for path in warcs]
    shares = [n for n in per_worker if n]
    assert len(shares) == 2, per_worker


def test_the_seeder_closes_the_run_with_the_workers_figures(runs) -> None:
    instance, _, _ = runs
    first, second = instance.runs()
    assert first.status == second.status == "finished"
    assert first.stats["pages"] == N_ADS + 3
    assert first.stats["ads_new"] == N_ADS
    assert second.stats["ads_unchanged"] == N_ADS - len(REMOVED)


def test_ads_no_listing_shows_any_more_are_marked_gone(runs) -> None:
    instance, _, _ = runs
    with instance.db.reading() as session:
        gone = set(session.scalars(select(Ad.source_ad_id).where(Ad.gone_at.is_not(None))))
    assert gone == REMOVED
    assert instance.runs()[1].stats["ads_gone"] == len(REMOVED)
