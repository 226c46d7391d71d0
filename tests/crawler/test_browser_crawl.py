"""End to end with Chromium: the demo's VIP section only exists after JavaScript runs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adwatch.blobstore import BlobStore
from adwatch.demo.server import DemoPlatform
from adwatch.models import Ad, Capture
from tests.helpers import instance_env, migrated_database, run_cli

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("vip-crawl") / "data"
    db = migrated_database(data_dir)
    platform = DemoPlatform(seed=2026, day=1)
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        result = run_cli(
            instance_env(data_dir), "crawl", "demo_vip", "--base-url", base_url, "--no-progress"
        )
    return platform, db, data_dir, result


def test_the_rendered_crawl_finishes(rendered) -> None:
    _, _, _, result = rendered
    assert result.returncode == 0, result.stderr[-2000:]


def test_javascript_listed_in_scope_ads_are_stored(rendered) -> None:
    platform, db, _, _ = rendered
    expected = {ad.id for ad in platform.ads_for_day(1) if ad.vip and ad.in_scope}
    with db.reading() as session:
        stored = set(session.scalars(select(Ad.source_ad_id)).all())
    assert expected and stored == expected


def test_the_clicked_phone_number_is_in_the_stored_version(rendered) -> None:
    platform, db, _, _ = rendered
    truth = {ad.id: ad.phone for ad in platform.ads_for_day(1)}
    with db.reading() as session:
        for ad in session.scalars(select(Ad)).all():
            assert ad.versions[-1].phone_text == truth[ad.source_ad_id]


def test_every_rendered_page_has_a_screenshot_blob(rendered) -> None:
    _, db, data_dir, _ = rendered
    blobs = BlobStore(data_dir / "blobs")
    with db.reading() as session:
        pages = session.scalars(select(Capture).where(Capture.kind == "ad_page")).all()
    assert pages
    for capture in pages:
        assert capture.rendered
        assert capture.screenshot_sha256 and blobs.verify(capture.screenshot_sha256)
        assert blobs.read(capture.screenshot_sha256).startswith(b"\x89PNG")
