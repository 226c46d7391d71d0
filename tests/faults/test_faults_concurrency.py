"""The crawler's store upserting 5,000 ads while the UI records 500 decisions, on one SQLite file.

The store runs in its own process (its own connections, as in a real crawl); decisions and their
audit entries are written from this process, one transaction each, as the UI does. Writers queue
on `BEGIN IMMEDIATE` and the busy timeout: no "database is locked" may escape either side.
"""

from __future__ import annotations

import multiprocessing
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.chain import append, verify_chain
from adwatch.storage.db import Database
from adwatch.storage.models import Ad, AuditEvent, Decision, User
from adwatch.storage.records import AdRecord, FetchedResponse
from adwatch.storage.store import CollectionStore
from tests.helpers import migrated_database

N_ADS = 5000
BATCH = 50  # as the store pipeline batches
N_DECISIONS = 500
FIRST_ADS = 50  # stored before, so the officer has ads to decide on
DECISION_PAUSE_S = 0.03  # an officer's clicks, compressed; spreads decisions over the crawl
# One page body for every ad: this test is about the database, not about syncing 5,000 blobs.
PAGE_BODY = b"<h1>Advertentie</h1><p>Houten</p>"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.slow


def _record(n: int) -> AdRecord:
    page = FetchedResponse(
        kind="ad_page",
        url=f"http://127.0.0.1/advertentie/{n}",
        final_url=f"http://127.0.0.1/advertentie/{n}",
        status=200,
        headers={"Content-Type": "text/html"},
        body=PAGE_BODY,
        fetched_at=T0 + timedelta(seconds=n),
        user_agent="adwatch-test",
    )
    fields = {"title": f"Advertentie {n}", "text": f"Nummer {n}, Houten."}
    return AdRecord(str(n), page.url, "Houten", fields, [], page, municipality="houten")


def _store(data_dir: Path) -> CollectionStore:
    db = Database(f"sqlite:///{data_dir / 'adwatch.sqlite3'}")
    return CollectionStore(db, BlobStore(data_dir / "blobs"), data_dir / "warc")


def crawl_side(data_dir: str, first: int, last: int, errors) -> None:
    """Upsert ads first..last in batches, as the store pipeline does; errors go to the queue."""
    store = _store(Path(data_dir))
    run_id, warc = store.start_run("gelijktijdig", "Gelijktijdig (synthetisch)")
    try:
        for start in range(first, last + 1, BATCH):
            batch = [_record(n) for n in range(start, min(start + BATCH, last + 1))]
            store.save_ads(run_id, batch, warc)
        store.finish_run(run_id, "finished", "finished", {}, [])
    except Exception as exc:  # reported to the test, which fails on it
        errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        warc.close()


def _decide(db: Database, actor_id: int, ad_id: int, n: int) -> None:
    with db.writing() as session:
        session.add(
            Decision(ad_id=ad_id, status="monitoren", reason=f"besluit {n}", actor_id=actor_id)
        )
        append(session, AuditEvent, actor="officer1", action="decision", object_ids=[ad_id])


def _wait_for_ads(db: Database, count: int, crawler) -> None:
    while True:
        with db.reading() as session:
            if session.scalar(select(func.count()).select_from(Ad)) >= count:
                return
        assert crawler.is_alive(), "the store process ended early"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def raced(tmp_path_factory: pytest.TempPathFactory):
    """Both sides at once; returns the data folder, errors of each side and figures."""
    data_dir = tmp_path_factory.mktemp("race") / "data"
    db = migrated_database(data_dir)
    crawl_side(str(data_dir), 1, FIRST_ADS, multiprocessing.get_context("spawn").Queue())
    with db.writing() as session:
        user = User(username="officer1", display_name="Test officer", role="officer")
        session.add(user)
        session.flush()
        actor_id = user.id
    context = multiprocessing.get_context("spawn")
    crawl_errors = context.Queue()
    crawler = context.Process(target=crawl_side, args=(str(data_dir), 1, N_ADS, crawl_errors))
    started = time.monotonic()
    crawler.start()
    _wait_for_ads(db, FIRST_ADS + BATCH, crawler)
    ui_errors, waits, overlapping = [], [], 0
    for n in range(N_DECISIONS):
        before = time.monotonic()
        try:
            _decide(db, actor_id, 1 + n % FIRST_ADS, n)
        except Exception as exc:  # counted, then asserted empty
            ui_errors.append(f"{type(exc).__name__}: {exc}")
        waits.append(time.monotonic() - before)
        overlapping += crawler.is_alive()
        time.sleep(DECISION_PAUSE_S)
    crawler.join(timeout=600)
    total = time.monotonic() - started
    errors = [crawl_errors.get() for _ in range(crawl_errors.qsize())]
    print(
        f"\nconcurrency: {N_ADS} ads in batches of {BATCH} (other process), {N_DECISIONS}"
        f" decisions ({overlapping} while the store was writing, slowest {max(waits):.2f} s),"
        f" {total:.1f} s; errors: store {len(errors)}, ui {len(ui_errors)}"
    )
    return db, crawler.exitcode, errors, ui_errors


def test_no_database_is_locked_escapes(raced) -> None:
    _, exitcode, crawl_errors, ui_errors = raced
    assert exitcode == 0
    assert crawl_errors == [] and ui_errors == []


def test_all_ads_and_all_decisions_are_present(raced) -> None:
    db, _, _, _ = raced
    with db.reading() as session:
        ads = session.scalar(select(func.count()).select_from(Ad))
        decisions = session.scalar(select(func.count()).select_from(Decision))
        chain = verify_chain(session, AuditEvent)
    print(f"\nstored: {ads} ads, {decisions} decisions, {chain.entries} audit entries")
    assert ads == N_ADS and decisions == N_DECISIONS
    assert chain.entries == N_DECISIONS and chain.ok
