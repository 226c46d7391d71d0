"""The collection store: the only place the crawler's results touch the database.

Order per batch, so that a crash at any point loses nothing committed and leaves nothing
half-written: blobs (write-once, synced) → WARC records (synced) → one database transaction.
A blob or WARC record without a database row is harmless and is collected by the purge.
What a response becomes is `adwatch.storage.captures`; what an ad record becomes (new, changed or
unchanged) is `adwatch.storage.versioning`; this module runs the batch and the crawl run's record.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from adwatch.errors import StorageError
from adwatch.storage.blobstore import BlobStore
from adwatch.storage.captures import Stored, responses_of, store_responses
from adwatch.storage.db import Database, upsert_insert
from adwatch.storage.models import Ad, CrawlRun, Source
from adwatch.storage.records import AdRecord, SaveOutcome
from adwatch.storage.versioning import ad_key, rounds, save_round
from adwatch.storage.warc import RunWarc
from adwatch.timeutil import utcnow

# PostgreSQL's deadlock and serialisation failures: the transaction may simply be run again.
RETRYABLE_SQLSTATES = {"40P01", "40001"}
WRITE_ATTEMPTS = 5


class CollectionStore:
    """Records crawl runs and upserts the ads they find."""

    def __init__(self, db: Database, blobs: BlobStore, warc_dir: Path) -> None:
        self.db = db
        self.blobs = blobs
        self.warc_dir = warc_dir

    def ensure_source(self, name: str, title: str) -> int:
        """The source's id, creating its row the first time."""
        with self.db.writing() as session:
            values = {"name": name, "title": title, "created_at": utcnow()}
            session.execute(upsert_insert(session, Source).values(values).on_conflict_do_nothing())
            return session.scalar(select(Source.id).where(Source.name == name))

    def start_run(
        self, source_name: str, source_title: str, warcinfo: dict[str, str] | None = None
    ) -> tuple[int, RunWarc]:
        """Open a run record and its WARC file; earlier runs left 'running' were interrupted."""
        source_id = self.ensure_source(source_name, source_title)
        with self.db.writing() as session:
            _close_interrupted_runs(session, source_id)
            run = CrawlRun(source_id=source_id, status="running", stats={}, alarms=[])
            session.add(run)
            session.flush()
            stamp = run.started_at.strftime("%Y%m%dT%H%M%SZ")
            run.warc_file = f"{source_name}/run-{run.id:06d}-{stamp}.warc.gz"
            run_id, warc_name = run.id, run.warc_file
        return run_id, RunWarc(self.warc_dir / warc_name, warcinfo)

    def save_ads(self, run_id: int, records: list[AdRecord], warc: RunWarc) -> list[SaveOutcome]:
        """Store a batch of ads: blobs, WARC records, then one transaction."""
        _require_municipality(records)
        # An ad that two municipalities share is one set of responses stored for both.
        responses = list({id(r): r for record in records for r in responses_of(record)}.values())
        stored = store_responses(self.blobs, responses, warc)
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return self._save_batch(run_id, records, stored)
            except OperationalError as exc:
                if attempt == WRITE_ATTEMPTS or not _retryable(exc):
                    raise StorageError(f"database write failed: {exc.orig}") from exc
                time.sleep(random.uniform(0.05, 0.2) * attempt)
        raise AssertionError("unreachable")

    def _save_batch(
        self, run_id: int, records: list[AdRecord], stored: Stored
    ) -> list[SaveOutcome]:
        # Rows are locked in ad-id order, so two workers' batches rarely wait on each other.
        order = sorted(range(len(records)), key=lambda i: ad_key(records[i]))
        outcomes: dict[int, SaveOutcome] = {}
        with self.db.writing() as session:
            source_id = session.scalar(select(CrawlRun.source_id).where(CrawlRun.id == run_id))
            # One statement per round; an ad listed twice in a batch is stored in a later round,
            # after its first record, exactly as if the records were stored one by one.
            for round_ in rounds(order, records):
                batch = [records[i] for i in round_]
                saved = save_round(session, source_id, run_id, batch, stored)
                for i, outcome in zip(round_, saved, strict=True):
                    outcomes[i] = outcome
        return [outcomes[i] for i in range(len(records))]

    def mark_gone(self, run_id: int, source_ad_ids: list[str], when: datetime) -> int:
        """Ads whose page answered 404/410: gone now."""
        with self.db.writing() as session:
            source_id = session.get(CrawlRun, run_id).source_id
            result = session.execute(
                update(Ad)
                .where(Ad.source_id == source_id, Ad.source_ad_id.in_(source_ad_ids))
                .where(Ad.gone_at.is_(None))
                .values(gone_at=when)
            )
            return result.rowcount or 0

    def mark_unlisted_gone(self, run_id: int, listed_ids: set[str], when: datetime) -> int:
        """After a complete run: stored ads that no listing showed any more are gone."""
        with self.db.writing() as session:
            source_id = session.get(CrawlRun, run_id).source_id
            stored = session.scalars(
                select(Ad).where(Ad.source_id == source_id, Ad.gone_at.is_(None))
            ).all()
            gone = [ad for ad in stored if ad.source_ad_id not in listed_ids]
            for ad in gone:
                ad.gone_at = when
            return len(gone)

    def finish_run(
        self, run_id: int, status: str, reason: str, stats: dict, alarms: list[dict]
    ) -> None:
        """Close the run record with its figures and alarms."""
        with self.db.writing() as session:
            run = session.get(CrawlRun, run_id)
            run.status = status
            run.finish_reason = reason
            run.finished_at = utcnow()
            run.stats = stats
            run.alarms = alarms


def _require_municipality(records: list[AdRecord]) -> None:
    missing = [r.source_ad_id for r in records if not r.municipality]
    if missing:
        raise ValueError(f"ads without a municipality cannot be stored: {missing[:5]}")


def _close_interrupted_runs(session: Session, source_id: int) -> None:
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.source_id == source_id, CrawlRun.status == "running")
        .values(status="interrupted", finish_reason="process ended before the run finished")
    )


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES
