"""End to end with Chromium: the demo's VIP section only exists after JavaScript runs."""

from __future__ import annotations

import zipfile

import pytest
from sqlalchemy import select

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.models import Ad, Capture
from application.demo.server import DemoPlatform
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


def _records(data_dir) -> list:
    from warcio.archiveiterator import ArchiveIterator

    found = []
    for path in sorted((data_dir / "warc").rglob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                found.append((record.rec_type, record.rec_headers, record.content_stream().read()))
    return found


def test_server_bytes_and_rendered_dom_are_separate_records(rendered) -> None:
    """The response record holds what the server sent (no phone number: the click fetched it);
    the DOM after JavaScript is a conversion record, the screenshot a resource record, both
    referring to that response."""
    platform, db, data_dir, _ = rendered
    truth = {ad.id: ad.phone for ad in platform.ads_for_day(1)}
    records = _records(data_dir)
    by_id = {h.get_header("WARC-Record-ID"): (t, h, body) for t, h, body in records}
    with db.reading() as session:
        pages = session.scalars(select(Capture).where(Capture.kind == "ad_page")).all()
        ads = {ad.id: ad.source_ad_id for ad in session.scalars(select(Ad))}
    for capture in pages:
        phone = truth[ads[capture.ad_id]].encode()
        kind, _, server_bytes = by_id[capture.warc_record_id]
        assert kind == "response" and phone not in server_bytes
        kind, headers, dom = by_id[capture.dom_record_id]
        assert kind == "conversion" and phone in dom
        assert headers.get_header("WARC-Refers-To") == capture.warc_record_id
        kind, headers, shot = by_id[capture.screenshot_record_id]
        assert kind == "resource" and shot.startswith(b"\x89PNG")
        assert headers.get_header("WARC-Refers-To") == capture.warc_record_id
        request = by_id[capture.request_record_id]
        assert request[0] == "request"
        assert request[1].get_header("WARC-Concurrent-To") == capture.warc_record_id


def test_every_request_the_browser_made_for_the_ad_is_archived(rendered) -> None:
    _, db, data_dir, _ = rendered
    with db.reading() as session:
        pages = session.scalars(select(Capture).where(Capture.kind == "ad_page")).all()
        resources = session.scalars(select(Capture).where(Capture.kind == "resource")).all()
        ads = {ad.id: ad.source_ad_id for ad in session.scalars(select(Ad))}
    per_ad: dict[int, set[str]] = {}
    for capture in resources:
        per_ad.setdefault(capture.ad_id, set()).add(capture.url.split("/", 3)[3])
    for page in pages:
        fetched = per_ad[page.ad_id]
        assert f"api/telefoon/{ads[page.ad_id]}" in fetched  # the phone reveal XHR
        assert "static/reveal.js" in fetched
    records = _records(data_dir)
    assert records[0][0] == "warcinfo"
    assert all(h.protocol == "WARC/1.1" for _, h, _ in records)
    requests = [h for t, h, _ in records if t == "request"]
    assert all(h.get_header("WARC-Concurrent-To") for h in requests)
    sent = [dict((k.lower(), v) for k, v in p.request_headers) for p in pages]
    assert all("user-agent" in headers for headers in sent)
    # The consent cookie the click set in the browser goes with what the page fetched.
    fetched = [dict((k.lower(), v) for k, v in r.request_headers) for r in resources]
    assert all(headers.get("cookie") == "leeftijd_ok=1" for headers in fetched)


def test_a_pack_of_a_rendered_ad_holds_the_crawl_records_with_their_ids(rendered, tmp_path):
    """Screenshot, DOM, request and every browser exchange keep their crawl-time record ids."""
    from datetime import UTC, datetime

    from adwatch.config.settings import load_settings
    from adwatch.evidence import export_pack
    from adwatch.instance import Instance
    from adwatch.storage.models import Decision, User
    from tests.evidence.tools import warcio

    _, db, data_dir, _ = rendered
    with db.writing() as session:
        ad = session.scalars(select(Ad).order_by(Ad.id)).first()
        officer = User(username="officer1", display_name="Officer", role="officer")
        session.add(officer)
        session.flush()
        at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        session.add(Decision(ad_id=ad.id, status="controle_voorbereiden", reason="test",
                             actor_id=officer.id, created_at=at))  # fmt: skip
        ad_id = ad.id
    instance = Instance(load_settings(instance_env(data_dir)))
    result = export_pack(instance, ad_ids=[ad_id], purpose="p", legal_basis="b", recipient="r",
                         case_ref="c", actor="officer1", out_path=tmp_path / "p.zip")  # fmt: skip
    with zipfile.ZipFile(result.path) as archive:
        (tmp_path / "captures.warc.gz").write_bytes(archive.read("archive/captures.warc.gz"))
    packed = {h.get_header("WARC-Record-ID"): t for t, h, _ in _records_in(tmp_path)}
    crawled = {h.get_header("WARC-Record-ID"): t for t, h, _ in _records(data_dir)}
    with db.reading() as session:
        captures = session.scalars(select(Capture).where(Capture.ad_id == ad_id)).all()
    ids = {c.warc_record_id for c in captures} | {c.request_record_id for c in captures}
    ids |= {c.dom_record_id for c in captures if c.dom_record_id}
    ids |= {c.screenshot_record_id for c in captures if c.screenshot_record_id}
    assert ids <= set(packed) and all(packed[i] == crawled[i] for i in ids)
    assert {"conversion", "resource", "request", "response"} <= set(packed.values())
    check = warcio("check", tmp_path / "captures.warc.gz")
    assert check.returncode == 0, check.stdout + check.stderr


def _records_in(folder) -> list:
    from warcio.archiveiterator import ArchiveIterator

    with (folder / "captures.warc.gz").open("rb") as handle:
        return [(r.rec_type, r.rec_headers, None) for r in ArchiveIterator(handle)]
