"""What a batch of ad records becomes in the database: the ad rows (one per municipality and
source ad id, upserted), a new version only where the content hash changed, and its images.

`content_hash` decides whether an ad changed: its content fields and its images' bytes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from adwatch.storage.blobstore import PREFIX
from adwatch.storage.captures import Stored, insert_captures, responses_of
from adwatch.storage.db import upsert_insert
from adwatch.storage.models import Ad, AdImage, AdVersion, Image
from adwatch.storage.records import AdRecord, ImageRecord, SaveOutcome
from adwatch.timeutil import utcnow


def content_hash(record: AdRecord, stored: Stored) -> str:
    """The hash that decides whether an ad changed: its fields and its images' bytes."""
    fields = {name: record.fields.get(name) for name in AdRecord.CONTENT_FIELDS}
    images = [stored[id(i.response)].sha256.removeprefix(PREFIX) for i in record.images]
    canonical = json.dumps({"fields": fields, "images": images}, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def ad_key(record: AdRecord) -> tuple[str, str]:
    """What identifies a stored ad within its source: one copy per municipality."""
    return (record.municipality, record.source_ad_id)


def rounds(order: list[int], records: list[AdRecord]) -> list[list[int]]:
    """Record indexes in `order`, split so that no round holds one ad twice."""
    rounds: list[list[int]] = []
    seen: dict[tuple[str, str], int] = {}
    for i in order:
        key = ad_key(records[i])
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(i)
    return rounds


def save_round(
    session: Session,
    source_id: int,
    run_id: int,
    records: list[AdRecord],
    stored: Stored,
) -> list[SaveOutcome]:
    """Upsert the ads (each once), store their captures, add a version where content changed."""
    ads = _upsert_ads(session, source_id, run_id, records)
    ad_ids = [ads[ad_key(r)][0] for r in records]
    owned = [
        (ad_id, r)
        for record, ad_id in zip(records, ad_ids, strict=True)
        for r in responses_of(record)
    ]
    captures = insert_captures(session, run_id, owned, stored)
    latest = _latest_digests(session, ad_ids)
    outcomes, versions, linked = [], [], []
    for record, ad_id in zip(records, ad_ids, strict=True):
        digest = content_hash(record, stored)
        previous = latest.get(ad_id)
        if previous == digest:
            outcomes.append(SaveOutcome(ad_id=ad_id, status="unchanged"))
            continue
        last_seen = ads[ad_key(record)][1]
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
