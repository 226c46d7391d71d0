"""Hostile ad pages: malformed HTML, bad images, block pages, a changed layout, oversized responses.

One synthetic site serves well-formed ads next to hostile ones; `adwatch crawl` must finish, store
the ads it can read, count what it refused, and leave the refused content nowhere.
"""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.models import Ad, AdVersion, Capture
from tests.crawler.sites import (
    Instance,
    Site,
    ad_html,
    alarm_kinds,
    jpeg_bytes,
    listing_html,
    png_bytes,
    png_declaring,
    source_config,
)

HOUTEN_TEXT = "Nieuw in Houten, bel 06 1234 5678 voor een afspraak."


def _nested(title: bytes, text: bytes, depth: int) -> bytes:
    """An ad page whose text sits `depth` elements deep."""
    return (
        b"<html><body><h1 class='ad-title'>"
        + title
        + b"</h1><div class='ad-text'>"
        + b"<div><span>" * (depth // 2)
        + text
        + b"</span></div>" * (depth // 2)
        + b"</div></body></html>"
    )


def _long_line() -> bytes:
    return (
        b"<html><body><h1 class='ad-title'>Titel zes</h1><div class='ad-text'>Tekst zes in Houten "
        + b"bla " * 260_000
        + b"</div></body></html>"
    )


# Malformed pages that still carry a readable title and text: stored, with that text.
MALFORMED = {
    "2": (  # unclosed tags everywhere
        b"<html><head><title>Open</title><body><h1 class='ad-title'>Titel twee</h1>"
        b"<div class='ad-text'><p>Tekst twee in Houten<p>nog een alinea<b><i>"
    ),
    "3": (  # an encoding declaration that names no encoding, over Latin-1 bytes
        b"<html><head><meta charset='x-bestaat-niet-42'></head><body>"
        b"<h1 class='ad-title'>Caf\xe9 drie</h1><div class='ad-text'>Tekst drie in Houten</div>"
    ),
    "4": (  # NUL bytes inside the fields
        b"<html><body><h1 class='ad-title'>Titel\x00 vier</h1>"
        b"<div class='ad-text'>Tekst\x00 vier in Houten\x00</div></body></html>"
    ),
    "5": _nested(b"Titel vijf", b"Tekst vijf in Houten", depth=2_000),
}
# Nested deeper than the HTML parser follows: the text is unreadable, so the ad is dropped as
# missing a required field (counted and alarmed), and the crawl goes on.
TOO_DEEP = "14"
# A 1 MB single line of ad text.
LONG_LINE = "6"
BLOCK_PAGES = {
    "10": (
        200,
        "<html><head><title>Even controleren</title></head><body>"
        "<form class='captcha-form'><div class='g-recaptcha'></div></form></body></html>",
    ),
    "11": (403, "<html><head><title>Toegang geweigerd</title></head><body></body></html>"),
    "12": (
        200,
        "<html><head><title>Controle</title></head><body><h1>Are you a robot?</h1>"
        "<div class='ad-text'>Houten</div></body></html>",
    ),
}
GOOD = {"1", "7", "8", "9"}
NO_TEXT = "13"


def _hostile_site(site: Site) -> None:
    ids = ["1", *MALFORMED, LONG_LINE, "7", "8", "9", *BLOCK_PAGES, NO_TEXT, TOO_DEEP]
    site.add("/regio/houten", listing_html([f"/advertentie/{i}" for i in ids]))
    site.add("/regio/leeg", "<html><body><p>Er ging iets mis.</p></body></html>")
    site.add("/advertentie/1", ad_html("Titel een", HOUTEN_TEXT, images=("/img/1.png",)))
    for ad_id, body in MALFORMED.items():
        site.add(f"/advertentie/{ad_id}", body, Content_Type="text/html; charset=bogus-enc")
    site.add(f"/advertentie/{LONG_LINE}", _long_line())
    site.add(f"/advertentie/{TOO_DEEP}", _nested(b"Titel diep", b"Tekst diep", depth=20_000))
    bad_images = {"7": "/img/bom.png", "8": "/img/half.jpg", "9": "/img/nep.jpg"}
    for ad_id, bad in bad_images.items():
        page = ad_html(f"Titel {ad_id}", HOUTEN_TEXT, images=(bad, f"/img/{ad_id}.png"))
        site.add(f"/advertentie/{ad_id}", page)
        site.add(
            f"/img/{ad_id}.png", png_bytes((int(ad_id) * 20, 90, 160)), Content_Type="image/png"
        )
    site.add("/img/1.png", png_bytes((10, 200, 30)), Content_Type="image/png")
    site.add("/img/bom.png", png_declaring(30_000, 30_000), Content_Type="image/png")
    site.add("/img/half.jpg", jpeg_bytes()[:400], Content_Type="image/jpeg")
    site.add("/img/nep.jpg", ad_html("Geen foto", "Dit is HTML."), Content_Type="image/jpeg")
    for ad_id, (status, body) in BLOCK_PAGES.items():
        site.add(f"/advertentie/{ad_id}", body, status=status)
    site.add(f"/advertentie/{NO_TEXT}", "<html><body><h1 class='ad-title'>Alleen een titel</h1>")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    """One crawl of the hostile site."""
    instance = Instance(tmp_path_factory.mktemp("hostile"))
    site = Site()
    _hostile_site(site)
    with site.serve() as base_url:
        regions = [
            {"name": "Houten", "path": "/regio/houten", "in_scope": True},
            {"name": "Leeg", "path": "/regio/leeg"},
        ]
        instance.add_source(source_config("hostile", base_url, regions=regions))
        result = instance.crawl("hostile")
    return instance, site, result


def _versions(instance: Instance) -> dict[str, AdVersion]:
    with instance.db.reading() as session:
        rows = session.execute(select(Ad.source_ad_id, AdVersion).join(AdVersion.ad)).all()
        for _, version in rows:
            _ = version.images
        return {ad_id: version for ad_id, version in rows}


def test_the_crawl_finishes_without_a_crash(hostile) -> None:
    instance, _, result = hostile
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = instance.runs()
    assert (run.status, run.finish_reason) == ("finished", "finished")
    log = instance.log_text()
    failures = [line for line in log.splitlines() if "Spider error processing" in line]
    assert failures == []
    assert "Traceback" not in log


def test_well_formed_and_readable_malformed_ads_are_stored(hostile) -> None:
    instance, _, _ = hostile
    assert GOOD | set(MALFORMED) <= instance.stored_ids()
    assert not (set(BLOCK_PAGES) | {NO_TEXT, TOO_DEEP}) & instance.stored_ids()


def test_every_listed_ad_is_stored_or_counted(hostile) -> None:
    """Nothing is lost without a trace: each ad page ends stored, blocked, dropped or an error."""
    instance, _, _ = hostile
    (run,) = instance.runs()
    outcomes = ("ads_new", "blocked", "missing_required", "errors", "out_of_scope")
    listed = len(GOOD | set(MALFORMED) | set(BLOCK_PAGES) | {LONG_LINE, NO_TEXT, TOO_DEEP})
    assert sum(run.stats.get(key, 0) for key in outcomes) == listed, run.stats


def test_an_ad_with_a_one_megabyte_line_is_stored(hostile) -> None:
    instance, _, _ = hostile
    assert LONG_LINE in instance.stored_ids()


@pytest.mark.parametrize(
    ("ad_id", "title", "text_start"),
    [
        ("2", "Titel twee", "Tekst twee in Houten"),
        ("3", "Café drie", "Tekst drie in Houten"),
        ("4", "Titel vier", "Tekst vier in Houten"),
        ("5", "Titel vijf", "Tekst vijf in Houten"),
    ],
)
def test_malformed_pages_are_read_without_control_characters(
    hostile, ad_id: str, title: str, text_start: str
) -> None:
    instance, _, _ = hostile
    version = _versions(instance)[ad_id]
    assert version.title == title
    assert version.text.startswith(text_start)
    # PostgreSQL refuses NUL in text columns; no stored field may carry one.
    assert "\x00" not in version.title + version.text


def test_bad_images_are_rejected_and_their_ads_kept(hostile) -> None:
    instance, _, _ = hostile
    (run,) = instance.runs()
    assert run.stats.get("images_rejected") == 3
    versions = _versions(instance)
    for ad_id in ("7", "8", "9"):
        assert [image.source_url.rsplit("/", 1)[1] for image in versions[ad_id].images] == [
            f"{ad_id}.png"
        ]
    assert len(versions["1"].images) == 1


def test_block_and_captcha_pages_are_counted_and_never_stored(hostile) -> None:
    instance, site, _ = hostile
    (run,) = instance.runs()
    assert run.stats.get("blocked") == len(BLOCK_PAGES)
    assert "blocked" in alarm_kinds(run)
    assert not set(BLOCK_PAGES) & instance.stored_ids()
    with instance.db.reading() as session:
        urls = set(session.scalars(select(Capture.url)).all())
    assert not {u for u in urls if u.rsplit("/", 1)[1] in BLOCK_PAGES}
    blobs = BlobStore(instance.data_dir / "blobs")
    for _, body in BLOCK_PAGES.values():
        assert not blobs.exists("sha256:" + hashlib.sha256(body.encode()).hexdigest())
    assert all(f"/advertentie/{i}" in site.paths() for i in BLOCK_PAGES)


def test_an_ad_missing_a_required_field_raises_an_alarm_and_is_not_stored(hostile) -> None:
    instance, _, _ = hostile
    (run,) = instance.runs()
    assert NO_TEXT not in instance.stored_ids()
    assert "required_missing" in alarm_kinds(run)
    messages = [a["message"] for a in run.alarms if a["kind"] == "required_missing"]
    assert any(f"/advertentie/{NO_TEXT}" in m and "text" in m for m in messages)


def test_a_listing_without_ads_raises_an_alarm(hostile) -> None:
    instance, _, _ = hostile
    (run,) = instance.runs()
    messages = [a["message"] for a in run.alarms if a["kind"] == "listing_empty"]
    assert len(messages) == 1 and messages[0].endswith("/regio/leeg")


# --- oversized responses, in an instance with a small response limit -------------------------

LIMIT = 100_000


def _big_page(ad_id: str, size: int) -> str:
    return ad_html(f"Titel {ad_id}", HOUTEN_TEXT + " " + "x" * size)


@pytest.fixture(scope="module")
def oversized(tmp_path_factory: pytest.TempPathFactory):
    """A crawl with max_response_bytes=100 kB: ads 2 (declared length) and 3 (streamed) too big."""
    instance = Instance(tmp_path_factory.mktemp("oversized"), {"max_response_bytes": LIMIT})
    site = Site()
    site.add("/regio/houten", listing_html([f"/advertentie/{i}" for i in "1234"]))
    site.add("/advertentie/1", _big_page("1", LIMIT // 2))
    site.add("/advertentie/2", _big_page("2", LIMIT * 3))

    async def streamed(request):
        from aiohttp import web

        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(30):
            await response.write(b"<p>" + b"y" * 10_000 + b"</p>")
        await response.write_eof()
        return response

    site.add_handler("/advertentie/3", streamed)
    site.add("/advertentie/4", ad_html("Titel 4", HOUTEN_TEXT, images=("/img/groot.png",)))
    site.add("/img/groot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * LIMIT * 2, Content_Type="image/png")
    with site.serve() as base_url:
        instance.add_source(source_config("groot", base_url))
        result = instance.crawl("groot")
    return instance, site, result


def test_oversized_responses_are_refused_and_the_crawl_goes_on(oversized) -> None:
    instance, site, result = oversized
    assert result.returncode == 0, result.stderr[-3000:]
    assert {"/advertentie/2", "/advertentie/3", "/img/groot.png"} <= set(site.paths())
    assert instance.stored_ids() == {"1", "4"}
    (run,) = instance.runs()
    assert run.status == "finished"
    assert run.stats.get("errors") == 3
    with instance.db.reading() as session:
        sizes = session.scalars(select(Capture.size)).all()
    assert sizes and max(sizes) <= LIMIT
