"""The yardsticks adwatch is compared with: a plain Scrapy spider with Scrapy's default
settings, the same spider with the framework settings adwatch runs Scrapy with, and a bare
aiohttp + parsel client. All fetch every listing and ad page of the bench site and parse the ad
fields with parsel; none stores anything.

Each `run_*` function is called in a fresh child process by `bench/crawl.py` and returns the
number of pages it fetched, the seconds the crawl took and the CPU seconds it used.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import aiohttp
import scrapy
from parsel import Selector
from scrapy.core.downloader.handlers._aiohttp import AiohttpDownloadHandler
from scrapy.crawler import CrawlerProcess

REPO = Path(__file__).resolve().parent.parent
AD_LINKS = "article.ad-card a.ad-link::attr(href)"
NEXT_PAGE = "a[rel=next]::attr(href)"


def parse_ad_fields(page: Selector) -> dict[str, object]:
    """The ad's fields, read with the same selectors as the bench source YAML."""
    return {
        "title": page.css("h1.ad-title::text").get(),
        "name": page.css(".profile-name::text").get(),
        "age": page.css(".age::text").get(),
        "text": "\n".join(page.css("div.ad-text p::text").getall()),
        "prices": [": ".join(row.css("td::text").getall()) for row in page.css("table.prices tr")],
        "town": page.css(".town::text").get(),
        "posted": page.css("time.posted::attr(datetime)").get(),
    }


class PlainSpider(scrapy.Spider):
    """Listing pages → ad pages → a dict of fields; nothing else."""

    name = "plain"

    def __init__(self, start_urls: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = start_urls
        self.pages = 0

    def parse(self, response):
        """A listing page: follow each ad link and the next page."""
        self.pages += 1
        yield from response.follow_all(response.css(AD_LINKS).getall(), self.parse_ad)
        next_page = response.css(NEXT_PAGE).get()
        if next_page:
            yield response.follow(next_page, self.parse)

    def parse_ad(self, response):
        """An ad page: its fields as an item."""
        self.pages += 1
        yield parse_ad_fields(response.selector)


class LazyAiohttpDownloadHandler(AiohttpDownloadHandler):
    """Scrapy's aiohttp handler, built once the event loop runs (as adwatch's guarded one)."""

    lazy = True


# What `crawler/settings.py` sets on Scrapy itself; adwatch's own components are left out.
FRAMEWORK_KEYS = (
    "TWISTED_REACTOR",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_ITEMS",
    "TELNETCONSOLE_ENABLED",
    "WARN_ON_GENERATOR_RETURN_VALUE",
)


def adwatch_framework_settings() -> dict[str, object]:
    """Scrapy as adwatch sets it up, read from `crawler/settings.py`: the reactor, one item at a
    time, the Scrapy components it switches off (Scrapy's retry and meta refresh included: adwatch
    replaces them with its own), and (as for a plain-HTTP source) the aiohttp client; none of
    adwatch's own middlewares, pipelines or address guard."""
    os.environ.setdefault("ADWATCH_CONFIG_DIR", str(REPO / "config"))
    from crawler import settings

    handler = f"{__name__}.LazyAiohttpDownloadHandler"
    return {
        **{key: getattr(settings, key) for key in FRAMEWORK_KEYS},
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "SPIDER_MIDDLEWARES": _switched_off(settings.SPIDER_MIDDLEWARES),
        "DOWNLOADER_MIDDLEWARES": _switched_off(settings.DOWNLOADER_MIDDLEWARES),
    }


def _switched_off(components: dict[str, int | None]) -> dict[str, None]:
    return {name: None for name, order in components.items() if order is None}


def run_plain_scrapy(start_urls: list[str], *, tuned: bool = False) -> tuple[int, float, float]:
    """Crawl with Scrapy's default settings (only the log level raised to INFO), or `tuned` with
    the framework settings adwatch uses."""
    # DEBUG, Scrapy's default, would log every page and item and measure logging instead.
    settings = {"LOG_LEVEL": "INFO", **(adwatch_framework_settings() if tuned else {})}
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(PlainSpider)
    process.crawl(crawler, start_urls=start_urls)
    started, cpu = time.perf_counter(), time.process_time()
    process.start()
    return crawler.spider.pages, time.perf_counter() - started, time.process_time() - cpu


async def _aiohttp_crawl(start_urls: list[str], concurrency: int) -> int:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in start_urls:
        queue.put_nowait(url)
    pages = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal pages
            while True:
                url = await queue.get()
                try:
                    async with session.get(url) as response:
                        body = await response.text()
                    pages += 1
                    _parse_page(Selector(text=body), url, queue)
                finally:
                    queue.task_done()

        workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
        await queue.join()
        for task in workers:
            task.cancel()
    return pages


def _parse_page(page: Selector, url: str, queue: asyncio.Queue) -> None:
    if "/advertentie/" in url:
        parse_ad_fields(page)
        return
    base = url.split("/regio/")[0]
    for link in page.css(AD_LINKS).getall():
        queue.put_nowait(base + link)
    next_page = page.css(NEXT_PAGE).get()
    if next_page:
        queue.put_nowait(base + next_page)


def run_aiohttp(start_urls: list[str], concurrency: int = 16) -> tuple[int, float, float]:
    """Crawl with aiohttp and parsel, `concurrency` requests in flight."""
    started, cpu = time.perf_counter(), time.process_time()
    pages = asyncio.run(_aiohttp_crawl(start_urls, concurrency))
    return pages, time.perf_counter() - started, time.process_time() - cpu
