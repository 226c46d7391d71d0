"""Scoring persistence on PostgreSQL: the ON CONFLICT upserts, chunked writes and incremental
runs give what they give on SQLite (tests/scoring/test_persist.py)."""

from __future__ import annotations

import pytest

from adwatch.storage.db import Database
from scoring import linking, persist
from tests.scoring.persisted import (
    OWN,
    SHARED_PHONE,
    add_version,
    fill_world,
    score,
    scoring_state,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_chunked_full_and_incremental_runs_agree(
    pg_database: Database, pg_url, tmp_path, monkeypatch
):
    fill_world(pg_database)
    monkeypatch.setattr(persist, "CHUNK", 2)
    monkeypatch.setattr(linking, "PHOTO_QUERY_BATCH", 1)
    assert score(pg_url, tmp_path, full=True).rescored == 12
    chunked = scoring_state(pg_database)
    monkeypatch.undo()
    score(pg_url, tmp_path, full=True)
    assert scoring_state(pg_database) == chunked

    again = score(pg_url, tmp_path)
    assert again.analysed == again.rescored == 0
    assert scoring_state(pg_database) == chunked

    add_version(pg_database, "12", OWN.format(name="Lot", extra=SHARED_PHONE))
    summary = score(pg_url, tmp_path)
    incremental = scoring_state(pg_database)
    assert summary.analysed == 1 and summary.rescored == 4
    score(pg_url, tmp_path, full=True)
    assert scoring_state(pg_database) == incremental
