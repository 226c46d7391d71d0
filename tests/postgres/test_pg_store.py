"""The collection store on PostgreSQL: upserts keep one row per ad and per image, also when
several workers store the same ads at the same time."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.db import Database
from adwatch.storage.models import Ad, AdImage, AdVersion, Image, Source
from adwatch.storage.records import AdRecord, FetchedResponse, ImageRecord
from adwatch.storage.store import CollectionStore
from adwatch.storage.warc import RunWarc
from adwatch.timeutil import utcnow

pytestmark = pytest.mark.postgres
WORKERS = 4
ADS = 40


def _response(kind: str, url: str, body: bytes, when) -> FetchedResponse:
    return FetchedResponse(
        kind=kind, url=url, final_url=url, status=200, headers={}, body=body,
        fetched_at=when, user_agent="adwatch-test",
    )  # fmt: skip


def _record(n: int, text: str = "", when=None) -> AdRecord:
    when = when or utcnow()
    url = f"http://127.0.0.1/ad/{n}"
    # Every third ad shares one photo, as reused photos do.
    photo = b"photo-shared" if n % 3 == 0 else f"photo-{n}".encode()
    image = ImageRecord(
        source_url=f"{url}.jpg", response=_response("image", f"{url}.jpg", photo, when),
        format="JPEG", width=10, height=10, phash="0" * 16, dhash="0" * 16,
        crop_phashes=(), hash_pipeline="test",
    )  # fmt: skip
    page = _response("ad_page", url, f"<p>ad {n} {text}</p>".encode(), when)
    fields = {"title": f"Ad {n}", "text": f"Houten {text}", "town": "Houten"}
    return AdRecord(str(n), url, "houten", fields, [], page, None, [image], "houten")


def _store(db: Database, folder: Path) -> CollectionStore:
    return CollectionStore(db, BlobStore(folder / "blobs"), folder / "warc")


def _count(db: Database, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_workers_storing_the_same_ads_at_once_keep_one_row_each(pg_database, tmp_path) -> None:
    run_id = _store(pg_database, tmp_path).start_run("pgstore", "PG store test")[0]
    barrier, errors = threading.Barrier(WORKERS), []

    def worker(w: int) -> None:
        db = Database(pg_database.url)
        warc = RunWarc(tmp_path / f"worker-{w}.warc.gz")
        records = [_record(n) for n in range(ADS)]
        order = records if w % 2 else list(reversed(records))
        barrier.wait()
        try:
            for start in range(0, ADS, 10):
                _store(db, tmp_path).save_ads(run_id, order[start : start + 10], warc)
        except Exception as exc:
            errors.append(exc)
        finally:
            warc.close()
            db.dispose()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:2]
    assert _count(pg_database, Ad) == ADS
    assert _count(pg_database, AdVersion) == ADS
    assert _count(pg_database, Image) == ADS - len(range(0, ADS, 3)) + 1
    assert _count(pg_database, AdImage) == ADS
    assert _count(pg_database, Source) == 1


def test_a_changed_ad_gets_a_version_and_a_later_sighting_moves_last_seen(
    pg_database, tmp_path
) -> None:
    store = _store(pg_database, tmp_path)
    run_id, warc = store.start_run("pgstore", "PG store test")
    later = utcnow() + timedelta(hours=1)
    outcomes = store.save_ads(run_id, [_record(1000), _record(1001)], warc)
    assert [o.status for o in outcomes] == ["new", "new"]
    outcomes = store.save_ads(run_id, [_record(1000, "edited", later), _record(1001)], warc)
    assert [o.status for o in outcomes] == ["changed", "unchanged"]
    store.save_ads(run_id, [_record(1000, "edited", later - timedelta(hours=5))], warc)
    warc.close()
    with pg_database.reading() as session:
        ad = session.scalar(select(Ad).where(Ad.source_ad_id == "1000"))
        assert ad.last_seen == later and len(ad.versions) == 2 and ad.gone_at is None
