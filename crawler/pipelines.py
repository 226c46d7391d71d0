"""Item pipelines, in the order they run:

1. `RequiredFieldsPipeline`: runs the item monitors (`crawler.monitors`) on each ad and drops
   ads missing a required field; when it closes, the monitors judge the field coverage.
2. `ImagePipeline`: decodes each image safely (formats, byte and pixel caps, bombs) and hashes it.
3. `StorePipeline`: batches ads into the collection store, runs the run monitors and closes the
   run record.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.exc import SQLAlchemyError

from adwatch import SOFTWARE_NAME, __version__
from adwatch.errors import ImageRejected, StorageError
from adwatch.imaging import decode_image, image_hashes
from adwatch.storage.blobstore import BlobStore
from adwatch.storage.db import Database
from adwatch.storage.records import AdRecord, FetchedResponse, ImageRecord
from adwatch.storage.runhistory import previous_finished_stats
from adwatch.storage.store import CollectionStore
from adwatch.storage.warc import warcinfo_fields
from adwatch.timeutil import utcnow
from adwatch.vocabulary import STORAGE_FULL
from crawler.items import AdPageItem
from crawler.monitors import ClosedRun, RequiredFields, record

logger = logging.getLogger(__name__)
BATCH_SIZE = 50
WRITER_PAUSE_S = 0.02


class CrawlerBound:
    """Pipelines reach the spider through the crawler (Scrapy no longer passes it)."""

    crawler: Any = None

    @property
    def spider(self) -> Any:
        return self.crawler.spider


class RequiredFieldsPipeline(CrawlerBound):
    """Runs the item monitors on each ad; drops an ad the required-fields monitor alarmed on."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> RequiredFieldsPipeline:
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item: AdPageItem) -> AdPageItem:
        spider = self.spider
        alarms = record(spider.report, spider.monitors.check_item(item.url, item.fields))
        if any(alarm.kind == RequiredFields.kind for alarm in alarms):
            spider.report.count("missing_required")
            missing = spider.monitors.plan.missing(item.fields)
            raise DropItem(f"required field missing: {', '.join(missing)}")
        return item

    def close_spider(self) -> None:
        record(self.spider.report, self.spider.monitors.items_done())


class ImagePipeline(CrawlerBound):
    """Turns downloaded image responses into hashed image records; rejects are counted."""

    def __init__(self, max_bytes: int, max_pixels: int) -> None:
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    @classmethod
    def from_crawler(cls, crawler: Any) -> ImagePipeline:
        settings = crawler.settings
        pipeline = cls(
            max_bytes=settings.getint("ADWATCH_MAX_IMAGE_BYTES", 15_000_000),
            max_pixels=settings.getint("ADWATCH_MAX_IMAGE_PIXELS", 40_000_000),
        )
        pipeline.crawler = crawler
        return pipeline

    async def process_item(self, item: AdPageItem) -> AdRecord:
        images: list[ImageRecord] = []
        if item.image_responses:  # no thread for an ad without images
            images = await asyncio.to_thread(self._decode_all, item.image_responses, self.spider)
        return AdRecord(
            source_ad_id=item.source_ad_id,
            url=item.url,
            region=item.region,
            fields=item.fields,
            places=item.places,
            page=item.page,
            phone_response=item.phone_response,
            images=images,
            municipality=item.municipality,
        )

    def _decode_all(self, responses: list[FetchedResponse], spider: Any) -> list[ImageRecord]:
        records = []
        for response in responses:
            try:
                records.append(self.decode(response))
            except ImageRejected as exc:
                spider.report.count("images_rejected")
                logger.warning("image rejected: %s (%s)", response.url, exc)
        return records

    def decode(self, response: FetchedResponse) -> ImageRecord:
        """Decode and hash one image, or raise ImageRejected."""
        decoded = decode_image(response.body, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        hashes = image_hashes(decoded)
        return ImageRecord(
            source_url=response.url,
            response=response,
            format=decoded.format,
            width=decoded.width,
            height=decoded.height,
            phash=hashes.phash,
            dhash=hashes.dhash,
            crop_phashes=hashes.crop_phashes,
            hash_pipeline=hashes.pipeline_version,
        )


class StorePipeline(CrawlerBound):
    """Writes ads in batches on one writer thread; closes the run with its figures."""

    def __init__(self, store: CollectionStore, batch_size: int = BATCH_SIZE) -> None:
        self.store = store
        self.batch_size = batch_size
        self.pending: list[AdRecord] = []
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="adwatch-store")
        self.run_id = 0
        self.warc = None
        self.stopped = False
        self.closing: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        settings = crawler.settings
        data_dir = Path(settings.get("ADWATCH_DATA_DIR", "data"))
        db = Database(settings.get("ADWATCH_DATABASE_URL", f"sqlite:///{data_dir}/adwatch.sqlite3"))
        store = CollectionStore(db, BlobStore(data_dir / "blobs"), data_dir / "warc")
        pipeline = cls(store, batch_size=settings.getint("ADWATCH_STORE_BATCH", BATCH_SIZE))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        source = self.spider.source
        info = run_warcinfo(self.spider)
        self.run_id, self.warc = self.store.start_run(source.name, source.title, info)
        self.spider.report.run_id = self.run_id

    async def process_item(self, item: AdRecord) -> AdRecord:
        if self.stopped:
            raise DropItem("not stored: the store stopped after a storage error")
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            await self._flush()
        return item

    async def _flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch or self.stopped:
            return
        loop = asyncio.get_running_loop()
        try:
            outcomes = await loop.run_in_executor(self.writer, self._save, batch)
        except (StorageError, OSError) as exc:
            self._storage_failed(exc, len(batch))
            return
        for outcome in outcomes:
            self.spider.report.count(f"ads_{outcome.status}")

    def _save(self, batch: list[AdRecord]) -> list:
        outcomes = self.store.save_ads(self.run_id, batch, self.warc)
        # SQLite's busy handler polls: without a gap between batches an officer's decision can
        # wait seconds behind a crawl that takes the write lock again at once.
        time.sleep(WRITER_PAUSE_S)
        return outcomes

    def _storage_failed(self, exc: Exception, lost: int) -> None:
        """The batch's transaction rolled back: record the alarm and end the crawl cleanly."""
        self.stopped = True
        kind = STORAGE_FULL if _is_full(exc) else "storage_error"
        report = self.spider.report
        report.count("ads_not_stored", lost)
        report.alarm(kind, f"{lost} ads not stored, crawl stopped: {exc}")
        logger.error("store failed, closing the crawl (%s): %s", kind, exc)
        # Not awaited: the engine waits for this very item before it can close.
        self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason=kind))

    async def close_spider(self) -> None:
        await self._flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Scrapy knows the finish reason only now, after the pipelines closed."""
        report = spider.report
        try:
            if not self.stopped:
                self._mark_gone(report, complete=reason == "finished")
        finally:
            self._close_warc(report)
            self.writer.shutdown(wait=True)
        self._run_monitors(spider, reason)
        status = "finished" if reason == "finished" else "failed"
        self.store.finish_run(self.run_id, status, reason, dict(report.counters), report.alarms)

    def _run_monitors(self, spider: Any, reason: str) -> None:
        """The run monitors, on this run's figures and its predecessor's."""
        report = spider.report
        report.count("ads_listed", len(report.listed_ids))
        try:
            previous = previous_finished_stats(self.store.db, self.run_id)
        except (StorageError, OSError, SQLAlchemyError) as exc:
            logger.warning("previous run not read, compared with nothing: %s", exc)
            previous = None
        run = ClosedRun(
            reason=reason,
            counters=dict(report.counters),
            listed=len(report.listed_ids),
            previous_listed=(previous or {}).get("ads_listed"),
        )
        record(report, spider.monitors.check_run(run))

    def _close_warc(self, report: Any) -> None:
        try:
            self.warc.close()
        except OSError as exc:
            # Records of committed captures were synced before their commit; this is the rest.
            report.alarm(STORAGE_FULL if _is_full(exc) else "storage_error", f"WARC file: {exc}")

    def _mark_gone(self, report: Any, *, complete: bool) -> None:
        now = utcnow()
        if report.gone_ids:
            gone = self.store.mark_gone(self.run_id, sorted(report.gone_ids), now)
            report.count("ads_gone", gone)
        if complete and not report.counters["listing_incomplete"] and report.listed_ids:
            gone = self.store.mark_unlisted_gone(self.run_id, report.listed_ids, now)
            report.count("ads_gone", gone)


def run_warcinfo(spider: Any) -> dict[str, str]:
    """The warcinfo of a run's WARC: software, the municipalities as operator, robots, source."""
    source = spider.source
    politeness = source.politeness
    robots = "obey robots.txt"
    if politeness.robots == "ignore":
        robots = f"robots.txt ignored; legal basis: {politeness.legal_basis}"
    operators = ", ".join(f"gemeente {code}" for code in spider.scope.codes)
    return warcinfo_fields(
        software=f"{SOFTWARE_NAME} {__version__}",
        operator=f"{operators} (adwatch)",
        robots=robots,
        source=source.name,
        description=f"{source.title} <{source.base_url}>",
    )


def _is_full(exc: BaseException) -> bool:
    """Whether a storage failure means the disk is full (our message, ENOSPC or SQLITE_FULL)."""
    text = str(exc)
    return (
        getattr(exc, "errno", None) == errno.ENOSPC
        or "storage is full" in text
        or "disk is full" in text
    )
