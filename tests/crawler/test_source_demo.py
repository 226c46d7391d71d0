"""Fixture test of the `demo` source: saved (synthetic) pages through the spider's parsing."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from adwatch.config.scope import LocationMatcher
from adwatch.config.sources import load_source
from crawler.fields import read_fields, read_images, scope_text
from crawler.runreport import region_key
from crawler.spiders.platform import PlatformSpider

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "demo"
BASE = "http://127.0.0.1:8765"
SOURCE = load_source(REPO / "config" / "sources" / "demo.yaml")
AD_PAGES = sorted(FIXTURES.glob("ad_*.html"))


def file_response(path: Path, url: str, meta: dict | None = None) -> HtmlResponse:
    """A Scrapy response built from a saved page, as if fetched from `url`."""
    request = Request(url, meta=meta or {})
    return HtmlResponse(url, body=path.read_bytes(), encoding="utf-8", request=request)


@pytest.fixture
def spider() -> PlatformSpider:
    spider_class = PlatformSpider.for_source(SOURCE)
    spider = spider_class()
    spider.prepare(REPO / "config")
    return spider


def _listing(spider: PlatformSpider, name: str) -> list[Request]:
    region = SOURCE.regions[0]
    response = file_response(FIXTURES / name, f"{BASE}/regio/houten", {"region": region})
    return list(spider.parse_listing(response))


def test_listing_yields_every_ad_and_the_next_page(spider: PlatformSpider) -> None:
    requests = _listing(spider, "listing_houten_1.html")
    ad_requests = [r for r in requests if "/advertentie/" in r.url]
    next_pages = [r for r in requests if "pagina=2" in r.url]
    assert len(ad_requests) == 20
    assert len(next_pages) == 1
    assert all({404, 410} <= set(r.meta["handle_httpstatus_list"]) for r in ad_requests)
    listed = {r.meta["ad_id"] for r in ad_requests}
    assert spider.report.in_scope_listed_ids == {region_key("houten", i) for i in listed}


def test_the_last_listing_page_has_no_next_page(spider: PlatformSpider) -> None:
    requests = _listing(spider, "listing_houten_3.html")
    assert not [r for r in requests if "pagina=" in r.url]
    assert 0 < len(requests) < 20


def test_one_ad_read_by_hand() -> None:
    page = file_response(FIXTURES / "ad_100317.html", f"{BASE}/advertentie/100317")
    fields = read_fields(page.selector, SOURCE, page.url)
    assert fields["title"] == "Chantal, sportief en spontaan"
    assert fields["name"] == "Chantal"
    assert fields["age"] == "38"
    assert fields["town"] == "Schalkwijk"
    assert fields["posted"] == "2026-10-12"
    assert fields["prices"] == [
        "30 min: € 120",
        "1 uur: € 200",
        "2 uur: € 380",
        "Escort 1 uur: € 240",
    ]
    assert read_images(page.selector, SOURCE, page.url) == [
        f"{BASE}/img/bb611cb84f.png",
        f"{BASE}/img/da46ca3a78.jpg",
    ]
    assert "\n" in fields["text"]
    assert "phone" not in fields


@pytest.mark.parametrize("path", AD_PAGES, ids=lambda p: p.stem)
def test_invariants_of_every_ad(path: Path) -> None:
    page = file_response(path, f"{BASE}/advertentie/{path.stem.removeprefix('ad_')}")
    fields = read_fields(page.selector, SOURCE, page.url)
    assert set(SOURCE.ad.required) <= set(fields)
    images = read_images(page.selector, SOURCE, page.url)
    assert all(url.startswith(f"{BASE}/img/") for url in images)
    assert all("€" in row for row in fields["prices"])
    assert "<" not in fields["text"] and "toon nummer" not in fields["text"].lower()
    assert LocationMatcher.from_config_dir(REPO / "config").in_scope(scope_text(fields))
