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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from adwatch.errors import StorageError
from adwatch.storage.blobstore import PREFIX, BlobStore
from adwatch.storage.db import Database, upsert_insert
from adwatch.storage.models import Ad, AdImage, AdVersion, Capture, CrawlRun, Image, Source
from adwatch.storage.records import AdRecord, FetchedResponse, ImageRecord, SaveOutcome
from adwatch.storage.warc import RecordIds, RunWarc, exchange_of, record_ids
from adwatch.timeutil import utcnow

# PostgreSQL's deadlock and serialisation failures: the transaction may simply be run again.
RETRYABLE_SQLSTATES = {"40P01", "40001"}
WRITE_ATTEMPTS = 5


@dataclass(frozen=True)
class StoredResponse:
    """Where a response of this batch went: its WARC records and the digests of its blobs."""

    ids: RecordIds
    sha256: str
    screenshot_sha256: str | None
    blobs: dict[str, str | None]  # wire, dom, request body: the digest of each that exists

    @property
    def record_id(self) -> str:
        return self.ids.response


Stored = dict[int, StoredResponse]  # by id(response)


def content_hash(record: AdRecord, stored: Stored) -> str:
    """The hash that decides whether an ad changed: its fields and its images' bytes."""
    fields = {name: record.fields.get(name) for name in AdRecord.CONTENT_FIELDS}
    images = [stored[id(i.response)].sha256.removeprefix(PREFIX) for i in record.images]
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
        responses = list({id(r): r for record in records for r in _responses(record)}.values())
        stored = self._store_responses(responses, warc)
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return self._save_batch(run_id, records, stored)
            except OperationalError as exc:
                if attempt == WRITE_ATTEMPTS or not _retryable(exc):
                    raise StorageError(f"database write failed: {exc.orig}") from exc
                time.sleep(random.uniform(0.05, 0.2) * attempt)
        raise AssertionError("unreachable")

    def _store_responses(self, responses: list[FetchedResponse], warc: RunWarc) -> Stored:
        """The responses' bytes into the blob store and their exchanges into the WARC file, each
        digest computed once (by the blob store) for the capture rows, images and content hash."""
        extras = [(i, name, data) for i, r in enumerate(responses) for name, data in _extras(r)]
        digests = self.blobs.put_many([r.body for r in responses] + [d for _, _, d in extras])
        found: dict[int, dict[str, str]] = {}
        for (i, name, _), digest in zip(extras, digests[len(responses) :], strict=True):
            found.setdefault(i, {})[name] = digest
        stored = {}
        for i, response in enumerate(responses):
            ids = record_ids(response)
            warc.write_exchange(exchange_of(response, ids))
            blobs = found.get(i, {})
            stored[id(response)] = StoredResponse(
                ids, digests[i], blobs.pop("screenshot", None), blobs
            )
        warc.sync()
        return stored

    def _save_batch(
        self, run_id: int, records: list[AdRecord], stored: Stored
    ) -> list[SaveOutcome]:
        # Rows are locked in ad-id order, so two workers' batches rarely wait on each other.
        order = sorted(range(len(records)), key=lambda i: _ad_key(records[i]))
        outcomes: dict[int, SaveOutcome] = {}
        with self.db.writing() as session:
            source_id = session.scalar(select(CrawlRun.source_id).where(CrawlRun.id == run_id))
            # One statement per round; an ad listed twice in a batch is stored in a later round,
            # after its first record, exactly as if the records were stored one by one.
            for round_ in _rounds(order, records):
                batch = [records[i] for i in round_]
                saved = _save_round(session, source_id, run_id, batch, stored)
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


def _ad_key(record: AdRecord) -> tuple[str, str]:
    """What identifies a stored ad within its source: one copy per municipality."""
    return (record.municipality, record.source_ad_id)


def _extras(response: FetchedResponse) -> list[tuple[str, bytes]]:
    """The blobs kept beside a response's body: screenshot, DOM, wire entity, request body."""
    candidates = {
        "screenshot": response.screenshot,
        "dom": response.dom,
        "wire": response.wire_body,
        "request_body": response.request_body or None,
    }
    return [(name, data) for name, data in candidates.items() if data is not None]


def _responses(record: AdRecord) -> list[FetchedResponse]:
    fetched = [record.page]
    if record.phone_response is not None:
        fetched.append(record.phone_response)
    fetched.extend(image.response for image in record.images)
    # What each response brought along: a browser's other exchanges, redirect hops.
    return [r for response in fetched for r in (response, *response.resources)]


def _close_interrupted_runs(session: Session, source_id: int) -> None:
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.source_id == source_id, CrawlRun.status == "running")
        .values(status="interrupted", finish_reason="process ended before the run finished")
    )


def _capture_values(run_id: int, ad_id: int, response: FetchedResponse, at: StoredResponse) -> dict:
    return {
        "run_id": run_id,
        "ad_id": ad_id,
        "kind": response.kind,
        "url": response.url,
        "final_url": response.final_url,
        "redirects": list(response.redirects),
        "status": response.status,
        "headers": dict(response.headers),
        "sha256": at.sha256,
        "size": len(response.body),
        "fetched_at": response.fetched_at,
        "user_agent": response.user_agent,
        "rendered": response.rendered,
        "screenshot_sha256": at.screenshot_sha256,
        "warc_record_id": at.record_id,
        **_exchange_values(response, at),
    }


def _exchange_values(response: FetchedResponse, at: StoredResponse) -> dict:
    return {
        "method": response.method,
        "request_headers": [list(pair) for pair in response.request_headers],
        "request_body_sha256": at.blobs.get("request_body"),
        "http_version": response.http_version,
        "reason": response.reason,
        "header_list": [list(pair) for pair in response.received_headers()],
        "wire_sha256": at.blobs.get("wire"),
        "content_decoded": response.content_decoded,
        "ip_address": response.ip_address,
        "dom_sha256": at.blobs.get("dom"),
        "request_record_id": at.ids.request,
        "dom_record_id": at.ids.dom,
        "screenshot_record_id": at.ids.screenshot,
    }


def _insert_captures(
    session: Session,
    run_id: int,
    owned: list[tuple[int, FetchedResponse]],
    stored: Stored,
) -> dict[tuple[int, int], int]:
    """One capture row per (ad id, response), in one INSERT; the capture id of each, by
    (ad id, id(response)): an ad shared by two municipalities has a capture for each copy."""
    rows = [_capture_values(run_id, ad_id, r, stored[id(r)]) for ad_id, r in owned]
    # A Core INSERT on the table: the ORM's per-row bulk bookkeeping cost more than the SQL.
    stmt = insert(Capture.__table__).returning(Capture.id, sort_by_parameter_order=True)
    ids = session.connection().execute(stmt, rows).scalars().all()
    return {(ad_id, id(r)): capture_id for (ad_id, r), capture_id in zip(owned, ids, strict=True)}


def _rounds(order: list[int], records: list[AdRecord]) -> list[list[int]]:
    """Record indexes in `order`, split so that no round holds one ad twice."""
    rounds: list[list[int]] = []
    seen: dict[tuple[str, str], int] = {}
    for i in order:
        key = _ad_key(records[i])
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(i)
    return rounds


def _save_round(
    session: Session,
    source_id: int,
    run_id: int,
    records: list[AdRecord],
    stored: Stored,
) -> list[SaveOutcome]:
    """Upsert the ads (each once), store their captures, add a version where content changed."""
    ads = _upsert_ads(session, source_id, run_id, records)
    ad_ids = [ads[_ad_key(r)][0] for r in records]
    owned = [
        (ad_id, r)
        for record, ad_id in zip(records, ad_ids, strict=True)
        for r in _responses(record)
    ]
    captures = _insert_captures(session, run_id, owned, stored)
    latest = _latest_digests(session, ad_ids)
    outcomes, versions, linked = [], [], []
    for record, ad_id in zip(records, ad_ids, strict=True):
        digest = content_hash(record, stored)
        previous = latest.get(ad_id)
        if previous == digest:
            outcomes.append(SaveOutcome(ad_id=ad_id, status="unchanged"))
            continue
        last_seen = ads[_ad_key(record)][1]
        versions.append(
            _version_values(record, digest, captures[(ad_id, id(record.page))], ad_id, last_seen)
        )
        if record.images:
            linked.append((ad_id, record))
        status = "new" if previous is None else "changed"
        outcomes.append(SaveOutcome(ad_id=ad_id, status=status))
    if versions:
        stmt = insert(AdVersion.__table__).returning(AdVersion.ad_id, AdVersion.id)
        version_ids = dict(session.connection().execute(stmt, versions).all())
        if linked:
            shown = [(version_ids[ad_id], ad_id, record) for ad_id, record in linked]
            _link_images(session, shown, captures, stored)
    return outcomes


def _latest_digests(session: Session, ad_ids: list[int]) -> dict[int, str]:
    """The content hash of each ad's latest version (ads without one are left out)."""
    latest = (
        select(func.max(AdVersion.id))
        .where(AdVersion.ad_id.in_(ad_ids))
        .group_by(AdVersion.ad_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(AdVersion.ad_id, AdVersion.content_sha256).where(AdVersion.id.in_(latest))
    )
    return dict(rows.all())


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def _upsert_ads(
    session: Session, source_id: int, run_id: int, records: list[AdRecord]
) -> dict[tuple[str, str], tuple[int, datetime]]:
    """Insert the ads, or mark the stored ones seen again, in one statement; safe when two
    workers store one ad at once. Each ad's (id, last_seen) by (municipality, source ad id)."""
    rows = [
        {
            "municipality": record.municipality,
            "source_id": source_id,
            "source_ad_id": record.source_ad_id,
            "url": record.url,
            "region": record.region,
            "first_seen": record.page.fetched_at,
            "last_seen": record.page.fetched_at,
            "last_run_id": run_id,
        }
        for record in records
    ]
    stmt = upsert_insert(session, Ad)
    new = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=[Ad.municipality, Ad.source_id, Ad.source_ad_id],
        set_={
            "last_seen": case((new.last_seen > Ad.last_seen, new.last_seen), else_=Ad.last_seen),
            "gone_at": None,
            "last_run_id": new.last_run_id,
            "url": new.url,
        },
    ).returning(Ad.municipality, Ad.source_ad_id, Ad.id, Ad.last_seen)
    found = session.execute(stmt, rows).all()
    return {(m, source_ad_id): (ad_id, seen) for m, source_ad_id, ad_id, seen in found}


def _text(fields: dict[str, object], name: str) -> str:
    value = fields.get(name)
    return "" if value is None else str(value)


def _version_values(
    record: AdRecord, digest: str, capture_id: int, ad_id: int, seen: datetime
) -> dict:
    f = record.fields
    return {
        "ad_id": ad_id,
        "capture_id": capture_id,
        "seen_at": seen,
        "content_sha256": digest,
        "title": _text(f, "title"),
        "name": _text(f, "name"),
        "stated_age": _text(f, "age"),
        "text": _text(f, "text"),
        "prices": list(f.get("prices") or []),
        "town": _text(f, "town"),
        "posted": _text(f, "posted"),
        "phone_text": _text(f, "phone"),
        "places": record.places,
    }


def _link_images(
    session: Session,
    shown: list[tuple[int, int, AdRecord]],
    captures: dict[tuple[int, int], int],
    stored: Stored,
) -> None:
    """The new versions' images, in three statements for the round: each image row once (the
    first capture of an image keeps it: image rows are append-only), their ids, the links."""
    images: dict[str, dict] = {}
    for _, ad_id, record in shown:
        for image in record.images:
            digest = stored[id(image.response)].sha256
            capture_id = captures[(ad_id, id(image.response))]
            images.setdefault(digest, _image_values(image, digest, capture_id))
    insert_images = upsert_insert(session, Image.__table__).on_conflict_do_nothing()
    session.connection().execute(insert_images, list(images.values()))
    query = select(Image.sha256, Image.id).where(Image.sha256.in_(images))
    image_ids = dict(session.execute(query).all())
    links = [
        {
            "ad_version_id": version_id,
            "position": position,
            "image_id": image_ids[stored[id(image.response)].sha256],
            "source_url": image.source_url,
        }
        for version_id, _, record in shown
        for position, image in enumerate(record.images)
    ]
    session.connection().execute(insert(AdImage.__table__), links)


def _image_values(image: ImageRecord, digest: str, capture_id: int) -> dict:
    return {
        "sha256": digest,
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "size": len(image.response.body),
        "phash": image.phash,
        "dhash": image.dhash,
        "crop_phashes": list(image.crop_phashes),
        "hash_pipeline": image.hash_pipeline,
        "capture_id": capture_id,
        "created_at": utcnow(),
    }
