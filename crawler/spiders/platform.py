"""The generic platform spider: consent → region listings → ad pages → phone reveal → images.

Scope is decided as soon as an ad page is read: an out-of-scope ad's phone and images are never
fetched, and nothing of it is yielded, logged or stored; only a counter goes up.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from parsel import Selector
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from adwatch.config.schemas import MonitorsConfig
from adwatch.config.scope import ScopeMatcher
from adwatch.config.sources import Region, SourceConfig
from adwatch.storage.records import FetchedResponse
from adwatch.timeutil import utcnow
from crawler import browser
from crawler.blocking import BLOCK_STATUSES, is_block_page
from crawler.exchange import BrowserRecorder, redirect_hops, wire_fields
from crawler.fields import (
    parsed_page,
    read_fields,
    read_images,
    scope_text,
    select_nodes,
    select_values,
)
from crawler.items import AdPageItem
from crawler.logformatter import redact_urls
from crawler.middlewares import NonPublicAddressRefused
from crawler.monitors import FieldPlan, MonitorSuite, record, source_limits
from crawler.runreport import CrawlReport
from crawler.runtime import BrowserRequestFilter

MAX_IMAGES_PER_AD = 10
GONE_STATUSES = [404, 410]
# Block pages often come with these statuses; they must reach the callbacks to be counted as
# blocked (after any retries) instead of being dropped as HTTP errors.
SEEN_STATUSES = sorted(BLOCK_STATUSES)
# The guarded aiohttp handler that also records the raw exchange (crawler.exchange).
PLAIN_HTTP_HANDLER = "crawler.exchange.RecordingAiohttpDownloadHandler"
PLAIN_HTTP_HANDLERS = {"http": PLAIN_HTTP_HANDLER, "https": PLAIN_HTTP_HANDLER}


class PlatformSpider(scrapy.Spider):
    """Crawls one source as its YAML describes."""

    name = "platform"
    source: ClassVar[SourceConfig]

    @classmethod
    def for_source(cls, source: SourceConfig) -> type[PlatformSpider]:
        """A spider class bound to one source (its name is the source's name)."""
        class_name = "".join(part.title() for part in source.name.split("_")) + "Spider"
        return type(class_name, (cls,), {"name": source.name, "source": source})

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        politeness = cls.source.politeness
        delay = 1.0 / politeness.requests_per_second
        settings.set("DOWNLOAD_DELAY", delay, priority="spider")
        settings.set("AUTOTHROTTLE_START_DELAY", delay, priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", politeness.concurrency, priority="spider")
        settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", politeness.concurrency, priority="spider")
        settings.set("ROBOTSTXT_OBEY", politeness.robots == "obey", priority="spider")
        if not cls.source.render:
            # No Playwright driver for a plain-HTTP source: aiohttp, guarded per socket.
            settings.set("DOWNLOAD_HANDLERS", PLAIN_HTTP_HANDLERS, priority="spider")
        else:
            listed = frozenset(settings.getlist("ADWATCH_PROXY_RESOLVED_HOSTS"))
            browser_filter = BrowserRequestFilter(cls.source.local_test_source, listed)
            settings.set("PLAYWRIGHT_ABORT_REQUEST", browser_filter, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PlatformSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.prepare(Path(crawler.settings.get("ADWATCH_CONFIG_DIR", "config")))
        spider.monitors = MonitorSuite.from_settings(crawler.settings, spider.source)
        crawler.signals.connect(spider.on_callback_error, signal=scrapy.signals.spider_error)
        return spider

    def prepare(self, config_dir: Path) -> None:
        """Read the municipalities' scopes, resolve each region's municipality, start a report."""
        self.scope = ScopeMatcher.from_config_dir(config_dir)
        self.region_municipality = {
            region.name: self.scope.region_municipality(self.source.name, region)
            for region in self.source.regions
        }
        self.report = CrawlReport()
        limits = source_limits(MonitorsConfig(), self.source)
        self.monitors = MonitorSuite(limits, FieldPlan.of(self.source))
        self.ad_id_pattern = re.compile(self.source.ad.id_from_url)

    async def start(self):
        consent = self.source.consent
        if self.source.render and consent is not None and consent.click:
            yield self._consent_request(consent.click)
            return
        for request in self._region_requests():
            yield request

    def _consent_request(self, selector: str) -> Request:
        meta = {"playwright": True, "playwright_page_methods": browser.consent_click(selector)}
        return Request(self.source.url("/"), self.after_consent, meta=meta, dont_filter=True)

    def after_consent(self, response: Response):
        """The browser context now holds the consent cookie: start on the listings."""
        yield from self._region_requests()

    def _region_requests(self):
        for region in sorted(self.source.regions, key=lambda r: not r.in_scope):
            url = self.source.url(region.path)
            yield self._listing_request(url, region, priority=10 * region.in_scope)

    def _listing_request(self, url: str, region: Region, priority: int = 0) -> Request:
        meta: dict[str, Any] = {"handle_httpstatus_list": SEEN_STATUSES}
        if self.source.render and self.source.listing.wait_for:
            wait = browser.click_and_wait(None, self.source.listing.wait_for)
            meta["playwright_page_methods"] = [wait]
        return self._request(url, self.parse_listing, region, meta=meta, priority=priority)

    def _request(self, url: str, callback, region: Region, **kwargs: Any) -> Request:
        meta: dict[str, Any] = {"region": region, **kwargs.pop("meta", {})}
        if self.source.render:
            meta.setdefault("playwright", True)
        consent = self.source.consent
        cookies = (
            {consent.cookie_name: consent.cookie_value} if consent and consent.cookie_name else {}
        )
        return Request(url, callback, meta=meta, cookies=cookies, errback=self.on_error, **kwargs)

    def parse_listing(self, response: Response):
        """A region's listing page: every ad link, then the next page."""
        region: Region = response.meta["region"]
        self.report.count("pages")
        page = parsed_page(response)
        if self._refused(response, page):
            self.report.count("listing_incomplete")
            return
        links = select_values(page, self.source.listing.ad_links)
        record(self.report, self.monitors.check_listing(response.url, len(links)))
        for link in links:
            yield from self._ad_request(response.urljoin(link), region)
        yield from self._next_page(response, page, region)

    def _ad_request(self, url: str, region: Region):
        match = self.ad_id_pattern.search(url)
        if match is None:
            # Before scope is known: the link may be an out-of-scope ad's (issue 16, finding 6).
            self.report.alarm("ad_id_missing", f"no ad id in a link to {redact_urls(url)}")
            return
        ad_id = match.group("id")
        self.report.listed(ad_id, municipality=self.region_municipality[region.name])
        meta = {"ad_id": ad_id, "handle_httpstatus_list": GONE_STATUSES + SEEN_STATUSES}
        if self.source.render:
            recorder = BrowserRecorder()
            meta["adwatch_recorder"] = recorder
            meta["playwright_page_event_handlers"] = {"response": recorder.on_response}
            meta["playwright_page_methods"] = self._ad_page_methods(recorder)
        yield self._request(url, self.parse_ad, region, meta=meta, priority=5)

    def _ad_page_methods(self, recorder: BrowserRecorder) -> list:
        reveal = self.source.ad.phone_reveal
        methods = []
        if reveal is not None and reveal.click:
            methods.append(browser.click_and_wait(reveal.click, reveal.wait_for))
        methods.append(browser.screenshot())
        methods.append(browser.settle(recorder))
        return methods

    def _next_page(self, response: Response, page: Selector, region: Region):
        if not self.source.listing.next_page:
            return
        links = select_values(page, self.source.listing.next_page)
        if links and links[0]:
            yield self._listing_request(response.urljoin(links[0]), region)

    def _refused(self, response: Response, page: Selector) -> bool:
        markers = self.source.block_markers
        if is_block_page(response.status, _text(response), page, markers):
            self.report.count("blocked")
            self.report.alarm("blocked", f"block or CAPTCHA page at {redact_urls(response.url)}")
            return True
        consent = self.source.consent
        if consent and consent.wall_marker and select_nodes(page, consent.wall_marker):
            where = redact_urls(response.url)
            self.report.alarm("consent_wall", f"consent wall not passed at {where}")
            return True
        return False

    async def parse_ad(self, response: Response):
        """An ad page: scope first; only an in-scope ad's phone and images are fetched."""
        ad_id: str = response.meta["ad_id"]
        region: Region = response.meta["region"]
        self.report.count("pages")
        if response.status in GONE_STATUSES:
            self.report.gone(ad_id)
            return
        page = parsed_page(response)
        if self._refused(response, page):
            return
        cut: list[str] = []
        fields = read_fields(page, self.source, response.url, cut)
        listed_in = self.report.listed_by(ad_id, self.scope.codes)
        scopes = self.scope.scopes(scope_text(fields), listed_in)
        if not scopes:
            self.report.count("out_of_scope")
            return
        if cut:
            self.report.alarm("field_truncated", f"ad {ad_id}: {', '.join(cut)} cut to its limit")
        images = read_images(page, self.source, response.url)
        if images:
            fields["images"] = images
        captured = fetched(response, "ad_page")
        phone = await self._reveal_phone(ad_id, fields)
        images = await self._download_images(fields.get("images") or [])
        # One item per municipality: each keeps its own copy of the ad (its own controller).
        for municipality, places in scopes.items():
            yield AdPageItem(
                source_ad_id=ad_id,
                url=response.url,
                region=region.name,
                fields=dict(fields),
                places=[_place_dict(p) for p in places],
                page=captured,
                municipality=municipality,
                phone_response=phone,
                image_responses=images,
            )

    async def _reveal_phone(self, ad_id: str, fields: dict[str, object]) -> FetchedResponse | None:
        reveal = self.source.ad.phone_reveal
        if reveal is None or not reveal.fetch or self.source.render:
            return None
        url = self.source.url(reveal.fetch.format(id=ad_id))
        response = await self._download(url)
        if response is None or response.status != 200:
            return None
        phone = _json_value(response.body, reveal.json_key)
        if phone:
            fields["phone"] = phone
        return fetched(response, "phone_reveal")

    async def _download_images(self, urls: list) -> list[FetchedResponse]:
        responses = await asyncio.gather(*(self._download(u) for u in urls[:MAX_IMAGES_PER_AD]))
        found = [fetched(r, "image") for r in responses if r is not None and r.status == 200]
        self.report.count("images_fetched", len(found))
        return found

    async def _download(self, url: str) -> Response | None:
        try:
            return await self.crawler.engine.download_async(Request(url))
        except Exception as exc:  # one failed fetch is counted; the ad is still stored
            self.report.count("errors")
            self.logger.warning("fetch failed: %s (%s)", url, type(exc).__name__)
            return None

    def on_callback_error(self, failure, response: Response, spider: scrapy.Spider) -> None:
        """A page whose parsing raised: counted in the run, so no ad is lost without a trace."""
        if spider is self:
            self.report.count("errors")

    def on_error(self, failure):
        """A request that failed for good: counted and logged with its URL only."""
        request = failure.request
        if request.callback == self.parse_listing:
            # Its ads were not all seen, so none may be marked gone in this run.
            self.report.count("listing_incomplete")
        if failure.check(NonPublicAddressRefused):
            self.report.count("refused")
        elif _robots_refusal(failure):
            self.report.count("robots_disallowed")
            return  # obeying robots.txt is the polite outcome, not an error
        self.report.count("errors")
        self.logger.warning("request failed: %s (%s)", request.url, failure.type.__name__)


def _robots_refusal(failure) -> bool:
    """Whether a request was dropped by robots.txt; an error status after the retries is an
    error, though Scrapy's HttpError is an IgnoreRequest too."""
    return bool(failure.check(scrapy.exceptions.IgnoreRequest)) and not failure.check(HttpError)


def fetched(response: Response, kind: str) -> FetchedResponse:
    """The evidence record of a Scrapy response (of a rendered page: the server's response,
    with the DOM, the screenshot and every other exchange of the page beside it)."""
    recorder: BrowserRecorder | None = response.meta.get("adwatch_recorder")
    request = response.request
    record = FetchedResponse(
        kind=kind,
        url=response.meta.get("redirect_urls", [response.url])[0],
        final_url=response.url,
        status=response.status,
        headers=_headers(response),
        body=response.body,
        fetched_at=response.meta.get("adwatch_fetched_at") or utcnow(),
        user_agent=(request.headers.get("User-Agent") or b"").decode("latin-1"),
        redirects=tuple(response.meta.get("redirect_urls", [])),
        rendered=bool(response.meta.get("playwright")),
        screenshot=_screenshot(response),
        resources=redirect_hops(response),
        **wire_fields(response),
    )
    if recorder is None:
        return record
    return _rendered(record, recorder, response.body)


def _rendered(record: FetchedResponse, recorder: BrowserRecorder, dom: bytes) -> FetchedResponse:
    document = recorder.document(record.final_url)
    resources = recorder.resources(document)
    if document is None:
        # No server response was seen for the page: keep the DOM as the only copy, said so.
        return replace(record, dom=dom, resources=resources)
    return replace(
        document,
        kind=record.kind,
        url=record.url,
        redirects=record.redirects,
        fetched_at=document.fetched_at,
        screenshot=record.screenshot,
        dom=dom,
        resources=resources,
    )


def _screenshot(response: Response) -> bytes | None:
    for method in response.meta.get("playwright_page_methods") or []:
        if getattr(method, "method", "") == "screenshot" and isinstance(method.result, bytes):
            return method.result
    return None


def _text(response: Response) -> str:
    """The decoded page; a non-text response (an image, say) has none to look into."""
    return getattr(response, "text", "")


def _headers(response: Response) -> dict[str, str]:
    # The joined form for the capture row's `headers`; the WARC uses the list as received.
    return {
        key.decode("latin-1"): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }


def _json_value(body: bytes, key: str) -> str:
    try:
        value = json.loads(body).get(key)
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def _place_dict(place) -> dict[str, object]:
    return {
        "text": place.text,
        "canonical": place.canonical,
        "kind": place.kind,
        "start": place.start,
        "end": place.end,
        "in_scope": place.in_scope,
    }
