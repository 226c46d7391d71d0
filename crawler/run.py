"""Running crawls in this process: all chosen sources at once, with a progress display.

Scrapy's reactor starts once per process, so `adwatch crawl` runs one batch of crawls and
exits; the scheduler and the demo start it as a child process for each batch.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from adwatch.config.settings import Settings
from adwatch.config.sources import SourceConfig
from adwatch.errors import ConfigError
from crawler import distributed
from crawler.runtime import instance_settings
from crawler.spiderloader import spider_class_for

# Young-generation collections every 20,000 allocations instead of 700: a crawl allocates and
# frees many short-lived objects per page, and few of them form cycles.
CRAWL_GC_THRESHOLDS = (20_000, 20, 20)
PROGRESS_KEYS = ("pages", "ads_new", "ads_changed", "ads_unchanged", "out_of_scope", "blocked")
SUMMARY_KEYS = (
    "pages",
    "ads_new",
    "ads_changed",
    "ads_unchanged",
    "ads_gone",
    "out_of_scope",
    "images_fetched",
    "images_rejected",
    "blocked",
    "errors",
)


@dataclass
class RunSummary:
    """One source's crawl, as the console and the scheduler report it."""

    source: str
    run_id: int
    finish_reason: str
    counters: dict[str, int]
    alarms: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.finish_reason == "finished"


def scrapy_settings(settings: Settings, extra: dict[str, Any] | None = None) -> ScrapySettings:
    """adwatch's Scrapy settings for this instance, logging to a file under the data folder."""
    result = ScrapySettings()
    result.setmodule("crawler.settings", priority="project")
    result.setdict(instance_settings(settings), priority="project")
    log_dir = settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    result.set("LOG_FILE", str(log_dir / "crawl.log"), priority="project")
    result.setdict(extra or {}, priority="cmdline")
    return result


def with_base_url(source: SourceConfig, base_url: str | None) -> SourceConfig:
    """The source pointed at another host; allowed for local test sources only."""
    if base_url is None:
        return source
    if not source.local_test_source:
        raise ValueError(f"--base-url applies to local test sources only, not {source.name}")
    return source.model_copy(update={"base_url": base_url.rstrip("/")})


def run_crawl(
    settings: Settings,
    sources: list[SourceConfig],
    *,
    show_progress: bool = True,
    extra_settings: dict[str, Any] | None = None,
    worker: bool = False,
) -> list[RunSummary]:
    """Crawl the sources (concurrently) and return a summary per source."""
    role = crawl_role(settings, worker)
    if role is not None:
        extra_settings = {
            **distributed.scrapy_settings(settings.redis_url, role),
            **(extra_settings or {}),
        }
    process = CrawlerProcess(scrapy_settings(settings, extra_settings))
    _log_at_level(process.settings)
    crawlers = []
    for source in sources:
        spider_class = spider_class_for(source)
        if role is not None:
            spider_class = distributed.distributed_spider_class(spider_class, role)
        crawler = process.create_crawler(spider_class)
        crawler.signals.connect(_freeze_loaded_objects, signal=signals.spider_opened)
        crawlers.append(crawler)
        process.crawl(crawler)
    console = Console(stderr=True)
    with _crawl_gc():
        if show_progress and console.is_terminal:
            _run_with_progress(process, crawlers, console)
        else:
            process.start()
    return [_summary(crawler) for crawler in crawlers]


@contextmanager
def _crawl_gc() -> Iterator[None]:
    """Garbage collection tuned for the crawl. Each spider, once open, freezes what is loaded
    by then (settings, the location matcher's vocabulary, the database's metadata: hundreds of
    thousands of long-lived objects) out of the collector's way, so full collections no longer
    walk them again and again; all is handed back to the collector afterwards."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*CRAWL_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _freeze_loaded_objects() -> None:
    gc.freeze()


def _log_at_level(settings: ScrapySettings) -> None:
    """Scrapy's loggers at LOG_LEVEL: Scrapy sets them to DEBUG and filters in the handler, so
    two DEBUG records per page (crawled, scraped) would be built only to be dropped."""
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))


def crawl_role(settings: Settings, worker: bool) -> str | None:
    """seed or worker in a distributed crawl (ADWATCH_REDIS_URL set), None for a local one."""
    if settings.redis_url is None:
        if worker:
            raise ConfigError(
                "environment: `adwatch crawl --worker` needs ADWATCH_REDIS_URL. "
                "Fix: export ADWATCH_REDIS_URL=redis://host:6379/0 (the seeder's Redis)."
            )
        return None
    return distributed.WORKER if worker else distributed.SEED


def _run_with_progress(process: CrawlerProcess, crawlers: list, console: Console) -> None:
    from twisted.internet import task

    with Live(_progress_table(crawlers), console=console, refresh_per_second=4) as live:
        refresher = task.LoopingCall(lambda: live.update(_progress_table(crawlers)))
        refresher.start(0.5, now=False)
        process.start()
        live.update(_progress_table(crawlers))


def _counters(crawler: Any) -> dict[str, int]:
    spider = getattr(crawler, "spider", None)
    report = getattr(spider, "report", None)
    return dict(report.counters) if report is not None else {}


def _progress_table(crawlers: list) -> Table:
    table = Table(title="adwatch crawl", show_edge=False)
    table.add_column("source")
    for key in PROGRESS_KEYS:
        table.add_column(key.replace("_", " "), justify="right")
    for crawler in crawlers:
        counters = _counters(crawler)
        name = crawler.spidercls.name
        table.add_row(name, *(str(counters.get(key, 0)) for key in PROGRESS_KEYS))
    return table


def _summary(crawler: Any) -> RunSummary:
    spider = crawler.spider
    report = spider.report
    reason = crawler.stats.get_value("finish_reason") or "unknown"
    return RunSummary(
        source=spider.name,
        run_id=getattr(report, "run_id", 0),
        finish_reason=reason,
        counters=dict(report.counters),
        alarms=list(report.alarms),
    )


def summary_table(summaries: list[RunSummary]) -> Table:
    """The end-of-crawl table: one column per source, one row per figure."""
    table = Table(title="crawl summary")
    table.add_column("")
    for s in summaries:
        table.add_column(s.source, justify="right")
    table.add_row("run", *(str(s.run_id) for s in summaries))
    table.add_row("result", *(s.finish_reason for s in summaries))
    for key in SUMMARY_KEYS:
        table.add_row(key.replace("_", " "), *(str(s.counters.get(key, 0)) for s in summaries))
    table.add_row("alarms", *(str(len(s.alarms)) for s in summaries))
    return table
