"""Scoring persistence on SQLite: small write chunks change nothing, and an incremental run
writes what a full run would (tests/postgres/test_pg_scoring.py repeats this on PostgreSQL)."""

from __future__ import annotations

import pytest

from adwatch.config.settings import DEMO_SECRET_KEY
from adwatch.storage.models import Ad
from adwatch.vocabulary import LINK_CODES
from scoring import linking, persist
from scoring.batch import run_batch
from scoring.persist import write_result
from scoring.stored import load_ads
from tests.helpers import migrated_database
from tests.scoring.persisted import (
    OWN,
    SHARED_PHONE,
    add_version,
    fill_world,
    score,
    scoring_state,
)

pytestmark = pytest.mark.slow
LINK_KINDS = set(LINK_CODES)


@pytest.fixture
def world(tmp_path):
    db = migrated_database(tmp_path)
    fill_world(db)
    yield db, db.url, tmp_path
    db.dispose()


def test_a_run_written_in_small_chunks_equals_one_written_at_once(world, monkeypatch) -> None:
    db, url, folder = world
    monkeypatch.setattr(persist, "CHUNK", 2)
    monkeypatch.setattr(linking, "PHOTO_QUERY_BATCH", 1)
    summary = score(url, folder, full=True)
    chunked = scoring_state(db)
    monkeypatch.undo()
    score(url, folder, full=True)
    assert scoring_state(db) == chunked
    assert summary.rescored == 12 and summary.networks >= 3
    assert all(any(f"'{kind}'" in row for row in chunked["hits"]) for kind in LINK_KINDS)


def test_an_unchanged_world_rescores_nothing(world) -> None:
    db, url, folder = world
    first = score(url, folder)
    written = scoring_state(db)
    again = score(url, folder)
    assert first.analysed == 12 and again.analysed == again.rescored == 0
    assert scoring_state(db) == written


def test_an_incremental_run_after_a_new_version_writes_what_a_full_run_would(world) -> None:
    db, url, folder = world
    score(url, folder)
    add_version(db, "12", OWN.format(name="Lot", extra=SHARED_PHONE))
    summary = score(url, folder)
    incremental = scoring_state(db)
    # Only the changed ad is analysed again; the three ads sharing its new number are re-scored.
    assert summary.analysed == 1 and summary.rescored == 4
    score(url, folder, full=True)
    assert scoring_state(db) == incremental


def test_a_run_over_part_of_the_ads_keeps_the_other_part_s_networks(world, rules, places) -> None:
    db, url, folder = world
    score(url, folder, full=True)
    whole = scoring_state(db)
    part = (Ad.id > 5,)  # the template group (ads 1-5) links to none of the others
    with db.reading() as session:
        ads = load_ads(session, *part)
    result = run_batch(ads, {}, {}, rules=rules, places=places, secret=DEMO_SECRET_KEY, full=True)
    write_result(db, result, rules.version, *part)
    assert [ad.ad_id for ad in ads] == list(range(6, 13))
    assert "('net-1', 5)" in whole["networks"]
    assert scoring_state(db) == whole
