"""The collection store: the only place the crawler's results touch the database.

Order per batch, so that a crash at any point loses nothing committed and leaves nothing
half-written: blobs (write-once, synced) → WARC records (synced) → one database transaction.
A blob or WARC record without a database row is harmless and is collected by the purge.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from adwatch.blobstore import BlobStore
from adwatch.db import Database
from adwatch.errors import StorageError
from adwatch.models import Ad, AdImage, AdVersion, Capture, CrawlRun, Image, Source
from adwatch.records import AdRecord, FetchedResponse, ImageRecord, SaveOutcome
from adwatch.timeutil import utcnow
from adwatch.warc import RunWarc

# PostgreSQL's deadlock and serialisation failures: the transaction may simply be run again.
RETRYABLE_SQLSTATES = {"40P01", "40001"}
WRITE_ATTEMPTS = 5


def content_hash(record: AdRecord) -> str:
    """The hash that decides whether an ad changed: its fields and its images' bytes."""
    fields = {name: record.fields.get(name) for name in AdRecord.CONTENT_FIELDS}
    images = [hashlib.sha256(image.response.body).hexdigest() for image in record.images]
    canonical = json.dumps({"fields": fields, "images": images}, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
            session.execute(_insert(session, Source).values(values).on_conflict_do_nothing())
            return session.scalar(select(Source.id).where(Source.name == name))

    def start_run(self, source_name: str, source_title: str) -> tuple[int, RunWarc]:
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
        return run_id, RunWarc(self.warc_dir / warc_name)

    def save_ads(self, run_id: int, records: list[AdRecord], warc: RunWarc) -> list[SaveOutcome]:
        """Store a batch of ads: blobs, WARC records, then one transaction."""
        responses = [r for record in records for r in _responses(record)]
        screenshots = [r.screenshot for r in responses if r.screenshot]
        self.blobs.put_many([r.body for r in responses] + screenshots)
        record_ids = {id(r): warc.write_response(r) for r in responses}
        warc.sync()
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return self._save_batch(run_id, records, record_ids)
            except OperationalError as exc:
                if attempt == WRITE_ATTEMPTS or not _retryable(exc):
                    raise StorageError(f"database write failed: {exc.orig}") from exc
                time.sleep(random.uniform(0.05, 0.2) * attempt)
        raise AssertionError("unreachable")

    def _save_batch(
        self, run_id: int, records: list[AdRecord], record_ids: dict[int, str]
    ) -> list[SaveOutcome]:
        # Rows are locked in ad-id order, so two workers' batches rarely wait on each other.
        order = sorted(range(len(records)), key=lambda i: records[i].source_ad_id)
        outcomes: dict[int, SaveOutcome] = {}
        with self.db.writing() as session:
            for i in order:
                outcomes[i] = self._save_one(session, run_id, records[i], record_ids)
        return [outcomes[i] for i in range(len(records))]

    def _save_one(
        self, session: Session, run_id: int, record: AdRecord, record_ids: dict[int, str]
    ) -> SaveOutcome:
        captures = {
            id(r): _capture_row(session, run_id, r, record_ids[id(r)]) for r in _responses(record)
        }
        source_id = session.get(CrawlRun, run_id).source_id
        ad = _upsert_ad(session, source_id, run_id, record)
        is_new = not ad.versions
        digest = content_hash(record)
        latest = ad.versions[-1] if ad.versions else None
        if latest is not None and latest.content_sha256 == digest:
            return SaveOutcome(ad_id=ad.id, status="unchanged")
        version = _new_version(record, digest, captures[id(record.page)], ad.last_seen)
        ad.versions.append(version)
        session.flush()
        _link_images(session, version, record.images, captures)
        return SaveOutcome(ad_id=ad.id, status="new" if is_new else "changed")

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


def _responses(record: AdRecord) -> list[FetchedResponse]:
    found = [record.page]
    if record.phone_response is not None:
        found.append(record.phone_response)
    found.extend(image.response for image in record.images)
    return found


def _close_interrupted_runs(session: Session, source_id: int) -> None:
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.source_id == source_id, CrawlRun.status == "running")
        .values(status="interrupted", finish_reason="process ended before the run finished")
    )


def _capture_row(session: Session, run_id: int, response: FetchedResponse, record_id: str):
    capture = Capture(
        run_id=run_id,
        kind=response.kind,
        url=response.url,
        final_url=response.final_url,
        redirects=list(response.redirects),
        status=response.status,
        headers=dict(response.headers),
        sha256="sha256:" + hashlib.sha256(response.body).hexdigest(),
        size=len(response.body),
        fetched_at=response.fetched_at,
        user_agent=response.user_agent,
        rendered=response.rendered,
        screenshot_sha256=(
            "sha256:" + hashlib.sha256(response.screenshot).hexdigest()
            if response.screenshot
            else None
        ),
        warc_record_id=record_id,
    )
    session.add(capture)
    session.flush()
    return capture


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def _insert(session: Session, model: type):
    """The dialect's INSERT, which knows ON CONFLICT."""
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def _upsert_ad(session: Session, source_id: int, run_id: int, record: AdRecord) -> Ad:
    """Insert the ad, or mark the stored one seen again; safe when two workers store it at once."""
    seen = record.page.fetched_at
    stmt = _insert(session, Ad).values(
        source_id=source_id,
        source_ad_id=record.source_ad_id,
        url=record.url,
        region=record.region,
        first_seen=seen,
        last_seen=seen,
        last_run_id=run_id,
    )
    new = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=[Ad.source_id, Ad.source_ad_id],
        set_={
            "last_seen": case((new.last_seen > Ad.last_seen, new.last_seen), else_=Ad.last_seen),
            "gone_at": None,
            "last_run_id": new.last_run_id,
            "url": new.url,
        },
    ).returning(Ad.id)
    ad_id = session.scalar(stmt)
    return session.get(Ad, ad_id, populate_existing=True)


def _text(fields: dict[str, object], name: str) -> str:
    value = fields.get(name)
    return "" if value is None else str(value)


def _new_version(record: AdRecord, digest: str, capture: Capture, seen: datetime) -> AdVersion:
    f = record.fields
    return AdVersion(
        capture_id=capture.id,
        seen_at=seen,
        content_sha256=digest,
        title=_text(f, "title"),
        name=_text(f, "name"),
        stated_age=_text(f, "age"),
        text=_text(f, "text"),
        prices=list(f.get("prices") or []),
        town=_text(f, "town"),
        posted=_text(f, "posted"),
        phone_text=_text(f, "phone"),
        places=record.places,
    )


def _link_images(
    session: Session, version: AdVersion, images: list[ImageRecord], captures: dict[int, Capture]
) -> None:
    for position, image in enumerate(images):
        row = _image_row(session, image, captures[id(image.response)])
        session.add(
            AdImage(
                ad_version_id=version.id,
                position=position,
                image_id=row.id,
                source_url=image.source_url,
            )
        )


def _image_row(session: Session, image: ImageRecord, capture: Capture) -> Image:
    digest = "sha256:" + hashlib.sha256(image.response.body).hexdigest()
    values = {
        "sha256": digest,
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "size": len(image.response.body),
        "phash": image.phash,
        "dhash": image.dhash,
        "crop_phashes": list(image.crop_phashes),
        "hash_pipeline": image.hash_pipeline,
        "capture_id": capture.id,
        "created_at": utcnow(),
    }
    # The first capture of an image keeps it: image rows are append-only.
    session.execute(_insert(session, Image).values(values).on_conflict_do_nothing())
    return session.scalar(select(Image).where(Image.sha256 == digest))
