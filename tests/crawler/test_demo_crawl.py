"""End to end: `adwatch crawl demo` against the demo platform, day 1 then day 2 (plain HTTP)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.db import Database
from adwatch.storage.models import Ad, AdVersion, Capture, CrawlRun, Image
from application.demo.server import DemoPlatform
from tests.helpers import instance_env, migrated_database, run_cli


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """Crawl the demo source on day 1 and on day 2 into one fresh instance."""
    data_dir = tmp_path_factory.mktemp("demo-crawl") / "data"
    env = instance_env(data_dir)
    db = migrated_database(data_dir)
    platform = DemoPlatform(seed=2026, day=1)
    results = {}
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        for day in (1, 2):
            platform.set_day(day)
            results[day] = run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
    return platform, db, data_dir, results


def _http_in_scope(platform: DemoPlatform, day: int) -> dict[str, object]:
    return {ad.id: ad for ad in platform.ads_for_day(day) if ad.in_scope and not ad.vip}


def _ads(db: Database) -> dict[str, Ad]:
    with db.reading() as session:
        ads = session.scalars(select(Ad)).all()
        for ad in ads:
            _ = ad.versions
        return {ad.source_ad_id: ad for ad in ads}


def test_both_crawls_finish_cleanly(crawled) -> None:
    _, _, _, results = crawled
    for day, result in results.items():
        assert result.returncode == 0, f"day {day}: {result.stderr[-2000:]}"
        assert "finished" in result.stdout


def test_exactly_the_in_scope_ads_are_stored_once(crawled) -> None:
    platform, db, _, _ = crawled
    expected = set(_http_in_scope(platform, 1)) | set(_http_in_scope(platform, 2))
    assert set(_ads(db)) == expected


def test_out_of_scope_traps_are_not_stored_and_text_scope_is(crawled) -> None:
    platform, db, _, _ = crawled
    stored = _ads(db)
    day1 = platform.ads_for_day(1)
    adjective = [ad.id for ad in day1 if "trap:houten_adjective" in ad.labels]
    by_text = [ad.id for ad in day1 if "trap:in_scope_by_text" in ad.labels]
    by_region = [ad.id for ad in day1 if "trap:in_scope_by_region" in ad.labels and not ad.vip]
    assert adjective and by_text and by_region
    assert not set(adjective) & set(stored)
    assert set(by_text) <= set(stored)
    assert set(by_region) <= set(stored)


def test_edited_ads_get_a_second_version_and_unchanged_ones_do_not(crawled) -> None:
    platform, db, _, _ = crawled
    stored = _ads(db)
    changes = platform.content.changes
    in_scope = _http_in_scope(platform, 2)
    for ad_id in set(changes.edited) | set(changes.rotated):
        if ad_id in in_scope:
            assert len(stored[ad_id].versions) == 2, ad_id
    untouched = set(in_scope) - set(changes.edited) - set(changes.rotated) - set(changes.added)
    assert untouched
    assert all(len(stored[ad_id].versions) == 1 for ad_id in untouched)


def test_rotated_phone_numbers_are_in_the_versions(crawled) -> None:
    platform, db, _, _ = crawled
    stored = _ads(db)
    day1 = {ad.id: ad for ad in platform.ads_for_day(1)}
    day2 = {ad.id: ad for ad in platform.ads_for_day(2)}
    rotated = [i for i in platform.content.changes.rotated if i in _http_in_scope(platform, 2)]
    assert rotated
    for ad_id in rotated:
        phones = [version.phone_text for version in stored[ad_id].versions]
        assert phones == [day1[ad_id].phone, day2[ad_id].phone]


def test_removed_ads_are_gone_and_others_are_not(crawled) -> None:
    platform, db, _, _ = crawled
    stored = _ads(db)
    removed = set(platform.content.changes.removed) & set(stored)
    assert removed
    for ad_id, ad in stored.items():
        assert (ad.gone_at is not None) == (ad_id in removed), ad_id
        assert ad.first_seen <= ad.last_seen


def test_every_capture_blob_exists_and_matches_its_hash(crawled) -> None:
    _, db, data_dir, _ = crawled
    blobs = BlobStore(data_dir / "blobs")
    with db.reading() as session:
        captures = session.scalars(select(Capture)).all()
    assert {c.kind for c in captures} == {"ad_page", "phone_reveal", "image"}
    for capture in captures:
        assert blobs.verify(capture.sha256), capture.id
        assert capture.fetched_at.tzinfo is not None
        assert "gemeente Houten" in capture.user_agent
    assert blobs.leftover_temporaries() == []


def test_images_are_stored_once_per_hash_with_prefixed_hashes(crawled) -> None:
    _, db, _, _ = crawled
    with db.reading() as session:
        images = session.scalars(select(Image)).all()
        versions_with_images = session.scalars(select(AdVersion)).all()
        assert any(v.images for v in versions_with_images)
    assert images
    assert len({image.sha256 for image in images}) == len(images)
    for image in images:
        assert image.phash.startswith("phash:") and image.dhash.startswith("dhash:")
        assert image.format in {"jpeg", "png"}


def test_runs_are_recorded_with_their_figures(crawled) -> None:
    _, db, _, _ = crawled
    with db.reading() as session:
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    assert [run.status for run in runs] == ["finished", "finished"]
    first, second = runs
    assert first.stats["ads_new"] > 40 and first.stats["out_of_scope"] > 40
    assert second.stats["ads_changed"] > 0 and second.stats["ads_gone"] > 0
    assert first.finished_at >= first.started_at


def test_warc_holds_a_response_record_per_capture(crawled) -> None:
    _, db, data_dir, _ = crawled
    with db.reading() as session:
        runs = session.scalars(select(CrawlRun)).all()
        record_ids = set(session.scalars(select(Capture.warc_record_id)).all())
    found = set()
    for run in runs:
        with open(data_dir / "warc" / run.warc_file, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    found.add(record.rec_headers.get_header("WARC-Record-ID"))
    assert record_ids == found


def _every_stored_byte(data_dir: Path) -> bytes:
    chunks = []
    for path in data_dir.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            chunks.append(gzip.decompress(raw) if path.suffix == ".gz" else raw)
    return b"\n".join(chunks)


def test_out_of_scope_ads_leave_no_content_anywhere(crawled) -> None:
    platform, _, data_dir, _ = crawled
    everything = _every_stored_byte(data_dir)
    both_days = platform.ads_for_day(1) + platform.ads_for_day(2)
    in_scope_titles = {ad.title for ad in both_days if ad.in_scope}
    out_of_scope = [ad for ad in both_days if not ad.in_scope]
    assert len(out_of_scope) > 20
    for ad in out_of_scope:
        assert ad.text[:80].encode() not in everything, ad.id
        if ad.title not in in_scope_titles:
            assert ad.title.encode() not in everything, ad.id


def test_every_capture_records_the_ad_it_belongs_to(crawled) -> None:
    _, db, _, _ = crawled
    with db.reading() as session:
        ad_ids = set(session.scalars(select(Ad.id)).all())
        captures = session.scalars(select(Capture)).all()
        pages = {v.capture_id: v.ad_id for v in session.scalars(select(AdVersion)).all()}
    assert captures and {c.ad_id for c in captures} <= ad_ids
    by_id = {c.id: c for c in captures}
    assert all(by_id[capture_id].ad_id == ad_id for capture_id, ad_id in pages.items())
