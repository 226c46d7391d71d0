"""Distributed crawling over scrapy-redis: one seeding `adwatch crawl`, many `crawl --worker`s.

With `ADWATCH_REDIS_URL` set, every process of a source shares, in Redis under `adwatch:<source>:`,
the request queue and duplicate filter (scrapy-redis) and the run's state (`SharedRun`):

- The **seeder** (`adwatch crawl`) clears the source's keys, opens the run record, publishes its
  id, pushes the start requests and fetches nothing itself. It owns the run record and the
  gone-marking: once the run is done (queue empty, no worker busy) and every worker has reported,
  it merges the workers' counters, alarms, listed and gone ad ids, marks ads gone exactly as a
  local run does, closes the run record and deletes the keys.
- A **worker** (`adwatch crawl --worker`) waits for the run id, takes requests from the shared
  queue, stores its ads under that run (its own WARC file beside the run's), records listed and
  gone ad ids in Redis as it goes (the in-scope check of an ad needs the listing another worker
  may have read), and reports its counters and alarms when the run is done.

A request moves from the queue to a worker's "busy" entry atomically, and new requests are pushed
before the worker turns idle, so "queue empty and nobody busy" means the run is done. A worker
that stops sending heartbeats is dropped after `STALE_AFTER_S`; its popped requests are lost, so
the run then counts as incomplete and no ad is marked gone for being unlisted.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis import connection
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.runreport import CrawlReport, region_key

SEED, WORKER = "seed", "worker"
STALE_AFTER_S = 300
TICK_S = 1.0
KEY_PREFIX = "adwatch:%(spider)s"

# KEYS: queue, busy. ARGV: worker, now. The request and the worker's busy mark move together.
POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return found[1]
"""
# KEYS: queue, busy, state, workers, counters, run_id. ARGV: stale-before. 1: the run is done
# (or gone: a seeder that stopped early deletes the run's keys, and its workers stop too).
DONE = """
if redis.call('EXISTS', KEYS[6]) == 0 then return 1 end
for _, set in ipairs({KEYS[2], KEYS[4]}) do
  local lost = redis.call('ZREMRANGEBYSCORE', set, '-inf', ARGV[1])
  if lost > 0 then redis.call('HINCRBY', KEYS[5], 'workers_lost', lost) end
end
if redis.call('GET', KEYS[3]) ~= 'seeded' then return 0 end
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
return 1
"""


def scrapy_settings(redis_url: str, role: str) -> dict[str, Any]:
    """The Scrapy settings of a distributed crawl process."""
    return {
        "REDIS_URL": redis_url,
        # `CLIENT LIST` on the Redis server names every crawl process by role, host and pid.
        "REDIS_PARAMS": {"client_name": f"adwatch-{role}-{worker_name()}"},
        "ADWATCH_CRAWL_ROLE": role,
        "SCHEDULER": "crawler.distributed.DistributedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_KEY": KEY_PREFIX + ":requests",
        "SCHEDULER_DUPEFILTER_KEY": KEY_PREFIX + ":dupefilter",
        # The seeder clears the keys at the start and end of a run; no process flushes on close.
        "SCHEDULER_PERSIST": True,
        "ITEM_PIPELINES": {
            "crawler.pipelines.RequiredFieldsPipeline": 100,
            "crawler.pipelines.ImagePipeline": 200,
            "crawler.distributed_store.SharedRunStorePipeline": 300,
        },
    }


def worker_name() -> str:
    """This process, as the other processes see it."""
    return f"{socket.gethostname()}-{os.getpid()}"


class SharedRun:
    """One source's run state in Redis, seen from one process."""

    def __init__(self, server: Any, source: str, role: str) -> None:
        self.server = server
        self.role = role
        self.worker = worker_name()
        self.prefix = KEY_PREFIX % {"spider": source}
        self._pop = server.register_script(POP)
        self._done = server.register_script(DONE)

    @classmethod
    def from_settings(cls, settings: Any, source: str) -> SharedRun:
        role = settings.get("ADWATCH_CRAWL_ROLE")
        if role not in (SEED, WORKER):
            raise NotConfigured("ADWATCH_CRAWL_ROLE must be seed or worker")
        return cls(connection.from_settings(settings), source, role)

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def reset(self) -> None:
        """Forget any earlier run of this source (the seeder, before seeding)."""
        names = ("requests", "dupefilter", "run_id", "state", "busy", "workers", "counters")
        names += ("alarms", "listed", "listed_in_scope", "gone")
        self.server.delete(*(self.key(name) for name in names))

    def publish_run(self, run_id: int) -> None:
        self.server.set(self.key("state"), "seeding")
        self.server.set(self.key("run_id"), run_id)

    def run_id(self) -> int | None:
        value = self.server.get(self.key("run_id"))
        return int(value) if value is not None else None

    def mark_seeded(self) -> None:
        self.server.set(self.key("state"), "seeded")

    def pop(self) -> bytes | None:
        """The next request's bytes, marking this worker busy in the same step."""
        keys = [self.key("requests"), self.key("busy")]
        return self._pop(keys=keys, args=[self.worker, time.time()]) or None

    def heartbeat(self) -> None:
        """Still alive: refresh this process's marks (busy only while it is busy)."""
        now = time.time()
        if self.role == WORKER:
            self.server.zadd(self.key("workers"), {self.worker: now})
        self.server.zadd(self.key("busy"), {self.worker: now}, xx=True)

    def idle(self) -> None:
        self.server.zrem(self.key("busy"), self.worker)

    def done(self) -> bool:
        """Seeded, nothing queued, and nobody holds a request."""
        names = ("requests", "busy", "state", "workers", "counters", "run_id")
        stale_before = time.time() - STALE_AFTER_S
        return bool(self._done(keys=[self.key(n) for n in names], args=[stale_before]))

    def workers_left(self) -> int:
        return self.server.zcard(self.key("workers"))

    def leave(self, report: CrawlReport) -> None:
        """A worker's last word: its counters and alarms, then it is gone."""
        pipe = self.server.pipeline()
        for name, value in report.counters.items():
            pipe.hincrby(self.key("counters"), name, value)
        for alarm in report.alarms:
            pipe.rpush(self.key("alarms"), json.dumps(alarm))
        pipe.zrem(self.key("workers"), self.worker)
        pipe.execute()

    def merge_into(self, report: CrawlReport) -> None:
        """Everything the workers reported, into the seeder's report."""
        for name, value in self.server.hgetall(self.key("counters")).items():
            report.count(name.decode(), int(value))
        if report.counters["workers_lost"]:
            # A lost worker's popped requests were never fetched: its listings are incomplete.
            report.count("listing_incomplete")
        report.alarms.extend(json.loads(a) for a in self.server.lrange(self.key("alarms"), 0, -1))
        report.listed_ids = self._members("listed")
        report.in_scope_listed_ids = self._members("listed_in_scope")
        report.gone_ids = self._members("gone")

    def _members(self, name: str) -> set[str]:
        return {value.decode() for value in self.server.smembers(self.key(name))}


class SharedCrawlReport(CrawlReport):
    """A report whose listed and gone ad ids live in Redis, shared by all of a run's workers."""

    shared: SharedRun

    def listed(self, ad_id: str, *, municipality: str | None) -> None:
        super().listed(ad_id, municipality=municipality)
        self.shared.server.sadd(self.shared.key("listed"), ad_id)
        if municipality is not None:
            key = self.shared.key("listed_in_scope")
            self.shared.server.sadd(key, region_key(municipality, ad_id))

    def listed_by(self, ad_id: str, municipalities: Iterable[str]) -> set[str]:
        found = super().listed_by(ad_id, municipalities)
        key = self.shared.key("listed_in_scope")
        server = self.shared.server
        others = [m for m in municipalities if m not in found]
        return found | {m for m in others if server.sismember(key, region_key(m, ad_id))}

    def gone(self, ad_id: str) -> None:
        super().gone(ad_id)
        self.shared.server.sadd(self.shared.key("gone"), ad_id)
        self.shared.server.srem(self.shared.key("listed"), ad_id)


class DistributedScheduler(Scheduler):
    """scrapy-redis's scheduler; workers pop through `SharedRun.pop`, the seeder never pops."""

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.shared: SharedRun = spider.shared

    def next_request(self):
        if self.shared.role == SEED:
            return None
        data = self.shared.pop()
        if data is None:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis", spider=self.spider)
        return self.queue._decode_request(data)

    def has_pending_requests(self) -> bool:
        return self.shared.role == WORKER and len(self) > 0


class DistributedSpider:
    """Mixed into a source's spider class: the shared report, start requests, and when to stop."""

    role: ClassVar[str]

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.shared = SharedRun.from_settings(crawler.settings, spider.name)
        report = SharedCrawlReport()
        report.shared = spider.shared
        spider.report = report
        spider.ticker = None
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        return spider

    async def start(self):
        if self.role != SEED:
            return  # workers only take requests from the shared queue
        async for request in super().start():
            yield request

    def on_opened(self, spider: Any) -> None:
        self.shared.heartbeat()
        # Created only now: a LoopingCall installs the default reactor if none is yet.
        self.ticker = task.LoopingCall(self.tick)
        self.ticker.start(TICK_S, now=False)

    def tick(self) -> None:
        """Heartbeat, and look at the shared queue sooner than Scrapy's 5 s idle heartbeat."""
        self.shared.heartbeat()
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def on_idle(self, spider: Any) -> None:
        """Nothing in flight here: stop once the whole run is done (and, seeding, reported)."""
        if self.role == SEED:
            self.shared.mark_seeded()
        else:
            self.shared.idle()
        if not self.shared.done():
            raise DontCloseSpider
        if self.role == SEED:
            if self.shared.workers_left():
                raise DontCloseSpider
            self.shared.merge_into(self.report)

    def on_closed(self, spider: Any, reason: str) -> None:
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()


def distributed_spider_class(base: type, role: str) -> type:
    """The source's spider class, taking part in a shared run as `role`."""
    return type(base.__name__, (DistributedSpider, base), {"role": role})
