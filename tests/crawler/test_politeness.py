"""Politeness: Retry-After honoured, 404/410 not retried, robots.txt obeyed, the municipality named.

The synthetic site logs every request, so the tests assert on what the crawler asked for.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web
from scrapy import Spider
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from adwatch.timeutil import utcnow
from crawler.middlewares import BackoffRetryMiddleware, retry_after_seconds
from tests.crawler.sites import Instance, Site, ad_html, alarm_kinds, listing_html, source_config

RETRY_AFTER_S = 1
ROBOTS = "User-agent: *\nDisallow: /verboden/\n"
LINKS = ["/advertentie/1", "/advertentie/2", "/advertentie/3", "/advertentie/4"]
LINKS += ["/verboden/advertentie/5", "/advertentie/6", "/advertentie/7"]


def _fails_first(times: int, status: int, retry_after: str, page: str):
    """A handler answering `status` with Retry-After `times` times, then the page."""
    calls = {"n": 0}

    async def handler(request: web.Request) -> web.Response:
        calls["n"] += 1
        if calls["n"] <= times:
            return web.Response(
                status=status, text="even geduld", headers={"Retry-After": retry_after}
            )
        return web.Response(text=page, content_type="text/html")

    return handler


def _polite_site(site: Site) -> None:
    site.add("/robots.txt", ROBOTS, Content_Type="text/plain")
    site.add("/regio/houten", listing_html(LINKS))
    site.add("/verboden/regio", listing_html(["/advertentie/8"]))
    site.add("/advertentie/1", ad_html("Titel een", "Afspraak in Houten."))
    page = ad_html("Titel twee", "Afspraak in Houten.")
    site.add_handler("/advertentie/2", _fails_first(1, 429, str(RETRY_AFTER_S), page))
    site.add("/advertentie/3", "weg", status=404)
    site.add("/advertentie/4", "weg", status=410)
    site.add("/verboden/advertentie/5", ad_html("Titel vijf", "Afspraak in Houten."))
    page = ad_html("Titel zes", "Afspraak in Houten.")
    site.add_handler("/advertentie/6", _fails_first(1, 503, "0", page))
    site.add_handler("/advertentie/7", _fails_first(99, 429, "0", ""))


@pytest.fixture(scope="module")
def polite(tmp_path_factory: pytest.TempPathFactory):
    """One crawl of a site with robots.txt rules, rate limiting and gone ads (2 retries at most)."""
    instance = Instance(tmp_path_factory.mktemp("polite"), {"retry_times": 2})
    site = Site()
    _polite_site(site)
    with site.serve() as base_url:
        regions = [
            {"name": "Houten", "path": "/regio/houten", "in_scope": True},
            {"name": "Verboden", "path": "/verboden/regio"},
        ]
        instance.add_source(source_config("beleefd", base_url, regions=regions))
        result = instance.crawl("beleefd")
    return instance, site, result


def test_the_crawl_finishes(polite) -> None:
    instance, _, result = polite
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = instance.runs()
    assert run.status == "finished"


def test_429_is_retried_after_retry_after_and_then_stored(polite) -> None:
    instance, site, _ = polite
    first, second = site.times("/advertentie/2")
    assert second - first >= RETRY_AFTER_S
    assert site.paths().count("/advertentie/6") == 2
    assert {"2", "6"} <= instance.stored_ids()


def test_a_persistent_429_gives_up_after_the_retry_limit_and_counts_as_blocked(polite) -> None:
    instance, site, _ = polite
    assert site.paths().count("/advertentie/7") == 3  # the first try and 2 retries
    assert "7" not in instance.stored_ids()
    (run,) = instance.runs()
    assert run.stats.get("blocked") == 1
    assert "blocked" in alarm_kinds(run)


def test_404_and_410_are_fetched_once_and_not_stored(polite) -> None:
    instance, site, _ = polite
    assert site.paths().count("/advertentie/3") == 1
    assert site.paths().count("/advertentie/4") == 1
    assert instance.stored_ids() == {"1", "2", "6"}


def test_paths_disallowed_by_robots_txt_are_never_fetched(polite) -> None:
    instance, site, _ = polite
    (run,) = instance.runs()
    assert run.stats.get("robots_disallowed", 0) >= 1
    assert run.stats.get("refused", 0) == 0
    assert site.paths().count("/robots.txt") == 1
    assert "/regio/houten" in site.paths()
    assert not [path for path in site.paths() if path.startswith("/verboden/")]
    assert "/advertentie/8" not in site.paths()


def test_every_request_names_the_municipality(polite) -> None:
    _, site, _ = polite
    assert site.log
    assert all("gemeente Houten" in hit.user_agent for hit in site.log)


# --- the retry rules, on the middleware directly ---------------------------------------------


def test_retry_after_reads_seconds_and_http_dates_and_caps_them() -> None:
    assert retry_after_seconds(b"7", cap=300) == 7
    assert retry_after_seconds(b"86400", cap=300) == 300
    soon = format_datetime(utcnow() + timedelta(seconds=120), usegmt=True).encode()
    assert 100 <= retry_after_seconds(soon, cap=300) <= 120
    past = format_datetime(utcnow() - timedelta(hours=1), usegmt=True).encode()
    assert retry_after_seconds(past, cap=300) == 0
    assert retry_after_seconds(b"morgen", cap=300) is None
    assert retry_after_seconds(None, cap=300) is None


def _middleware() -> BackoffRetryMiddleware:
    settings = {"RETRY_TIMES": 2, "ADWATCH_MAX_RETRY_AFTER_S": 0, "ADWATCH_BACKOFF_BASE_S": 0}
    crawler = get_crawler(Spider, settings_dict=settings)
    crawler.spider = crawler._create_spider("beleefd")
    return BackoffRetryMiddleware.from_crawler(crawler)


@pytest.mark.parametrize("status", [404, 410])
def test_gone_statuses_are_not_retried(status: int) -> None:
    middleware = _middleware()
    request = Request("http://127.0.0.1/advertentie/3")
    response = Response(request.url, status=status, request=request)
    assert asyncio.run(middleware.process_response(request, response)) is response


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limit_statuses_are_retried(status: int) -> None:
    middleware = _middleware()
    request = Request("http://127.0.0.1/advertentie/2")
    response = Response(request.url, status=status, request=request)
    retry = asyncio.run(middleware.process_response(request, response))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1


def test_without_retry_after_the_wait_backs_off_exponentially() -> None:
    crawler = get_crawler(settings_dict={"ADWATCH_BACKOFF_BASE_S": 2})
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1/advertentie/2")
    response = Response(request.url, status=503, request=request)
    waits = []
    for attempt in range(4):
        request.meta["retry_times"] = attempt
        waits.append(middleware._delay(request, response))
    assert waits == [2, 4, 8, 16]
