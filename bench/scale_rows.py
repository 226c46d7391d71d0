"""Synthetic collection rows for `bench/scale.py`: N stored ads with versions, captures and photos,
inserted with executemany, as a crawl would have left them (no blobs: scoring never reads them).

About a fifth of the ads share a phone number in groups of five, and a tenth reuse a photo in
groups of five, so linking has real work to do. Texts come from the crawl bench's generator.
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta

from sqlalchemy import insert

from adwatch.storage.db import Database
from adwatch.storage.models import Ad, AdImage, AdVersion, Capture, CrawlRun, Image, Source
from adwatch.timeutil import utcnow

# Loaded by bench/scale.py, which imports bench/crawl_site.py first.
generate_ads = sys.modules["crawl_site"].generate_ads

CHUNK = 5_000
PHOTOS_PER_AD = 2
SHARED_PHOTOS = 500


def fill(db: Database, count: int, seed: int = 2026) -> None:
    """Insert `count` ads (with one version, one capture and two photos each)."""
    rng = random.Random(seed)
    with db.writing() as session:
        source = Source(name="bench", title="Bench")
        session.add(source)
        session.flush()
        run = CrawlRun(source_id=source.id, status="finished")
        session.add(run)
        session.flush()
        run_id, source_id = run.id, source.id
    for start in range(0, count, CHUNK):
        ads = generate_ads(min(CHUNK, count - start), seed + start)
        with db.writing() as session:
            _insert_chunk(session, rng, ads, start, run_id, source_id)


def _insert_chunk(session, rng, ads, start: int, run_id: int, source_id: int) -> None:
    now = utcnow() - timedelta(days=1)
    ids = range(start + 1, start + len(ads) + 1)
    session.execute(insert(Capture), [_capture(n, run_id, now) for n in ids])
    session.execute(insert(Ad), [_ad(n, source_id, run_id, now) for n in ids])
    versions = [_version(n, ad, rng, now) for n, ad in zip(ids, ads, strict=True)]
    session.execute(insert(AdVersion), versions)
    slots = [(n, p) for n in ids for p in range(PHOTOS_PER_AD)]
    images = [_image(n, p, rng) for n, p in slots]
    fresh = [image for image in images if image["id"] > SHARED_PHOTOS]
    if start == 0:
        fresh += [_image_row(k, rng) for k in range(1, SHARED_PHOTOS + 1)]
    session.execute(insert(Image), fresh)
    links = [_ad_image(n, p, image) for (n, p), image in zip(slots, images, strict=True)]
    session.execute(insert(AdImage), links)


def _capture(n: int, run_id: int, now) -> dict:
    return {
        "id": n, "run_id": run_id, "kind": "ad_page", "url": f"http://bench/advertentie/{n}",
        "final_url": f"http://bench/advertentie/{n}", "status": 200,
        "sha256": f"sha256:{n:064x}", "size": 1500, "fetched_at": now, "user_agent": "bench",
        "redirects": [], "headers": {},
    }  # fmt: skip


def _ad(n: int, source_id: int, run_id: int, now) -> dict:
    return {
        "id": n, "municipality": "houten", "source_id": source_id, "source_ad_id": str(n),
        "url": f"http://bench/advertentie/{n}", "region": "Houten", "first_seen": now,
        "last_seen": now, "last_run_id": run_id,
    }  # fmt: skip


def _version(n: int, ad, rng: random.Random, now) -> dict:
    text = " ".join(ad.paragraphs)
    if n % 5 == 0:  # groups of five ads share one number
        text += f" Bel 06 {20_000_000 + n // 25:08d}."
    return {
        "id": n, "ad_id": n, "capture_id": n, "seen_at": now, "content_sha256": f"sha256:{n:x}",
        "title": ad.title, "name": ad.name, "stated_age": str(ad.age), "text": text,
        "prices": [], "town": ad.town, "posted": ad.posted, "phone_text": "", "places": [],
    }  # fmt: skip


def _image_id(n: int, position: int, rng: random.Random) -> int:
    # A tenth of the ads reuse their group's photo, in groups of five: many small networks, as
    # on real platforms, rather than one ever-growing component.
    if n % 10 == 1 and position == 0:
        return 1 + (n // 50) % SHARED_PHOTOS
    return SHARED_PHOTOS + (n - 1) * PHOTOS_PER_AD + position + 1


def _image(n: int, position: int, rng: random.Random) -> dict:
    image_id = _image_id(n, position, rng)
    return _image_row(image_id, rng) if image_id > SHARED_PHOTOS else {"id": image_id}


def _image_row(image_id: int, rng: random.Random) -> dict:
    return {
        "id": image_id, "sha256": f"sha256:{image_id:064x}", "format": "JPEG", "width": 640,
        "height": 480, "size": 40_000, "phash": f"phash:{rng.getrandbits(64):016x}",
        "dhash": f"dhash:{rng.getrandbits(64):016x}", "crop_phashes": [],
        "hash_pipeline": "bench", "capture_id": None, "created_at": utcnow(),
    }  # fmt: skip


def _ad_image(n: int, position: int, image: dict) -> dict:
    return {
        "ad_version_id": n, "position": position, "image_id": image["id"],
        "source_url": f"http://bench/img/{n}-{position}.jpg",
    }  # fmt: skip
