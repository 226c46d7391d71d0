"""The store pipeline of a distributed crawl (see `crawler.distributed`): the seeder opens and
closes the run record and marks ads gone; workers store ads under the seeder's run."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from adwatch.storage.warc import RunWarc
from crawler.distributed import SEED
from crawler.pipelines import StorePipeline, run_warcinfo

WAIT_FOR_SEED_S = 120
POLL_S = 0.5


class SeedMissing(RuntimeError):
    """A worker found no run to work on."""


class SharedRunStorePipeline(StorePipeline):
    """StorePipeline with the run record owned by the seeding process."""

    async def open_spider(self) -> None:
        spider = self.spider
        if spider.role == SEED:
            spider.shared.reset()
            super().open_spider()
            spider.shared.publish_run(self.run_id)
            return
        self.run_id = await self._seeded_run_id(spider)
        spider.report.run_id = self.run_id
        name = f"run-{self.run_id:06d}-{spider.shared.worker}.warc.gz"
        # Each worker writes its own WARC file beside the run's; captures name their record ids.
        self.warc = RunWarc(self.store.warc_dir / spider.source.name / name, run_warcinfo(spider))

    async def _seeded_run_id(self, spider: Any) -> int:
        deadline = time.monotonic() + WAIT_FOR_SEED_S
        while (run_id := spider.shared.run_id()) is None:
            if time.monotonic() > deadline:
                raise SeedMissing(
                    f"no run of {spider.name} was seeded within {WAIT_FOR_SEED_S} s; "
                    "start `adwatch crawl` with the same ADWATCH_REDIS_URL"
                )
            await asyncio.sleep(POLL_S)
        return run_id

    def spider_closed(self, spider: Any, reason: str) -> None:
        """The seeder closes the run as a local crawl does; a worker reports and leaves."""
        if spider.role == SEED:
            try:
                super().spider_closed(spider, reason)
            finally:
                spider.shared.reset()
            return
        try:
            if self.warc is not None:
                self.warc.close()
            self.writer.shutdown(wait=True)
        finally:
            spider.shared.leave(spider.report)
