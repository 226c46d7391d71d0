"""Issue 16, finding 5 (hostile content exhausts resources) and 6 (out-of-scope URLs in the
crawl log and alarms), reproduced against a synthetic site on 127.0.0.1.

- 43 KB of nested elements stored a 6 MB town field: now every field is cut at its limit and
  an alarm names the field;
- a page of many image tags cost a quadratic de-duplication before the scope decision: now
  image URLs are read only for an in-scope ad, once each, at most MAX_IMAGE_URLS;
- Scrapy's retry and size warnings and the spider's own named out-of-scope ad URLs in
  `crawl.log` and in alarms: now every URL there is cut to its host.
"""

from __future__ import annotations

import json

import pytest
from parsel import Selector
from sqlalchemy import select

from adwatch.config.sources import SourceConfig
from adwatch.storage.models import Ad, AdVersion
from crawler.fields import FIELD_LIMITS, MAX_IMAGE_URLS, read_fields, read_images
from crawler.logformatter import redact_urls
from tests.crawler.sites import Instance, Site, ad_html, listing_html, source_config

SECRET = "geheim-buiten-bereik"
NESTING = 250  # below lxml's depth limit, which drops a deeper page as a whole


def nested_town_page() -> str:
    """An in-scope ad whose town element nests 250 town elements (about 43 KB): each level's
    text holds all the levels below it, some 5 MB in all."""
    level = "<span class='town'>Houten " + "wijk " * 30
    town = level * NESTING + "</span>" * NESTING
    return ad_html("Titel een", "Nieuw in Houten.").replace(
        "<span class='town'>Houten</span>", town
    )


def many_images_page(count: int = 20_000) -> str:
    """An in-scope ad with tens of thousands of image tags, most of them repeats."""
    images = tuple(f"/img/{i % 5000}.png" for i in range(count))
    return ad_html("Titel twee", "Nieuw in Houten.", images=images)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    instance = Instance(tmp_path_factory.mktemp("bounds"))
    site = Site()
    links = ["/advertentie/1", "/advertentie/2", f"/advertentie/3?{SECRET}"]
    links += [f"/advertentie/4?{SECRET}", f"/advertentie/5?{SECRET}"]
    site.add("/regio/elders", listing_html(links))
    site.add("/advertentie/1", nested_town_page())
    site.add("/advertentie/2", many_images_page())
    site.add("/advertentie/3", "fout", status=500)  # retried, then given up: Scrapy says so
    big = ad_html("Elders", "Alleen in Utrecht. " + "x" * 2_100_000, town="Utrecht")
    site.add("/advertentie/4", big)  # over the size at which Scrapy warns
    site.add("/advertentie/5", "", status=302, Location=f"http://127.0.0.1:1/{SECRET}")
    with site.serve() as base_url:
        regions = [{"name": "Elders", "path": "/regio/elders"}]
        instance.add_source(source_config("grenzen", base_url, regions=regions))
        result = instance.crawl("grenzen")
    return instance, site, result


def test_the_crawl_finishes(crawled) -> None:
    instance, _, result = crawled
    assert result.returncode in (0, 1), result.stderr[-2000:]
    (run,) = instance.runs()
    assert run.finish_reason == "finished"
    assert instance.stored_ids() == {"1", "2"}, instance.log_text()[-3000:]


def test_a_nested_town_is_cut_at_its_limit_with_an_alarm(crawled) -> None:
    instance, _, _ = crawled
    with instance.db.reading() as session:
        town = session.scalar(
            select(AdVersion.town).join(AdVersion.ad).where(Ad.source_ad_id == "1")
        )
    assert 0 < len(town) <= FIELD_LIMITS["town"]
    (run,) = instance.runs()
    alarms = [a["message"] for a in run.alarms if a["kind"] == "field_truncated"]
    assert alarms == ["ad 1: town cut to its limit"]


def test_image_urls_are_capped(crawled) -> None:
    _, site, _ = crawled
    fetched = [p for p in site.paths() if p.startswith("/img/")]
    assert 0 < len(fetched) <= MAX_IMAGE_URLS


def test_no_out_of_scope_url_in_the_log_or_the_alarms(crawled) -> None:
    instance, _, _ = crawled
    log = instance.log_text()
    assert "Gave up retrying" in log or "download warn size" in log.lower(), log[-3000:]
    assert SECRET not in log
    (run,) = instance.runs()
    assert SECRET not in json.dumps(run.alarms) and SECRET not in json.dumps(run.stats)


# --- the same rules, in this process ------------------------------------------------------


def _source(**fields: str) -> SourceConfig:
    config = source_config("grenzen", "http://127.0.0.1:1")
    config["ad"]["fields"].update(fields)
    return SourceConfig.model_validate(config)


def test_fields_are_cut_and_named() -> None:
    page = Selector(text=nested_town_page())
    cut: list[str] = []
    fields = read_fields(page, _source(), "http://127.0.0.1:1/advertentie/1", cut)
    assert cut == ["town"] and len(fields["town"]) <= FIELD_LIMITS["town"]
    assert "images" not in fields


def test_image_urls_are_read_once_each_in_page_order() -> None:
    page = Selector(
        text=ad_html("T", "In Houten.", images=("/b.png", "/a.png", "/b.png", "/a.png"))
    )
    assert read_images(page, _source(), "http://127.0.0.1:1/ad") == [
        "http://127.0.0.1:1/b.png",
        "http://127.0.0.1:1/a.png",
    ]
    many = Selector(text=many_images_page())
    assert len(read_images(many, _source(), "http://127.0.0.1:1/ad")) == MAX_IMAGE_URLS


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Gave up retrying <GET http://127.0.0.1:1/ad/3?x=1>",
            "Gave up retrying <GET http://127.0.0.1:1/…>",
        ),
        (
            "fetch failed: https://localhost:8443/p (Error)",
            "fetch failed: https://localhost:8443/… (Error)",
        ),
        ("no URL here", "no URL here"),
    ],
)
def test_urls_are_cut_to_their_host(line: str, expected: str) -> None:
    assert redact_urls(line) == expected
