"""Crawl monitors, in the manner of spidermon: named checks whose alarms the officer reads.

Each monitor is a small class named for what it checks, with the alarm kind it raises and its
threshold from `monitors.*` in `config/adwatch.yaml` (the Scrapy setting `ADWATCH_MONITORS`).
They run at three moments, as spidermon's item validation and spider-close suites do:

1. per ad, in `RequiredFieldsPipeline` (ITEM_MONITORS; they may also judge all ads they saw when
   the pipeline closes, in each process of a distributed crawl);
2. per listing page, in the spider (LISTING_MONITORS);
3. when the run closes, in `StorePipeline`, before the run record is closed (RUN_MONITORS): they
   read the whole run's counters and the figures of the source's previous finished run.

An alarm is a kind and a message: the run's report keeps it (`CrawlReport.alarm`) and the run
record stores it, where the system page, `adwatch status` and the year report read it. Events that
need no threshold (a block page, a consent wall, a full disk) are raised where they happen.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from adwatch.config.schemas import MonitorsConfig

logger = logging.getLogger(__name__)
SETTING = "ADWATCH_MONITORS"


class Alarm(NamedTuple):
    """What a monitor raises: the kind the UI and health read, and a message for the officer."""

    kind: str
    message: str


@dataclass(frozen=True)
class FieldPlan:
    """The fields a source's ad pages should yield: all configured ones, and the required."""

    fields: tuple[str, ...]
    required: tuple[str, ...]

    @classmethod
    def of(cls, source: Any) -> FieldPlan:
        """The plan of a source's configuration (`ad.fields`, `ad.required`)."""
        return cls(tuple(source.ad.fields), tuple(source.ad.required))

    def missing(self, fields: Mapping[str, Any]) -> list[str]:
        """The required fields an ad lacks (absent or empty)."""
        return [name for name in self.required if not fields.get(name)]


@dataclass(frozen=True)
class ClosedRun:
    """What the run-close monitors read: the run's figures and its predecessor's."""

    reason: str
    counters: Mapping[str, int]
    listed: int
    previous_listed: int | None  # None: no earlier finished run, or one that did not count


class Monitor:
    """A named check: `kind` is the alarm it raises, its docstring what that means."""

    kind: ClassVar[str]

    def __init__(self, limits: MonitorsConfig, plan: FieldPlan) -> None:
        self.limits = limits
        self.plan = plan

    def alarm(self, message: str) -> Alarm:
        return Alarm(self.kind, message)


class ItemMonitor(Monitor):
    """Sees every ad before it is stored; may judge them all when the ads are done."""

    def check_item(self, url: str, fields: Mapping[str, Any]) -> list[Alarm]:
        return []

    def items_done(self) -> list[Alarm]:
        return []


class ListingMonitor(Monitor):
    """Sees every listing page with the number of ad links found on it."""

    def check_listing(self, url: str, links: int) -> list[Alarm]:
        return []


class RunMonitor(Monitor):
    """Judges the run as a whole when it closes."""

    def check_run(self, run: ClosedRun) -> list[Alarm]:
        return []


class RequiredFields(ItemMonitor):
    """An ad lacks a required field, so it is not stored: the officer would never see it."""

    kind = "required_missing"

    def check_item(self, url: str, fields: Mapping[str, Any]) -> list[Alarm]:
        missing = self.plan.missing(fields)
        return [self.alarm(f"{url}: no {', '.join(missing)}")] if missing else []


class FieldCoverage(ItemMonitor):
    """A field was found on too few ads: the site's layout changed and the crawl "succeeded"
    with little, so flags that need that field go quiet."""

    kind = "low_coverage"

    def __init__(self, limits: MonitorsConfig, plan: FieldPlan) -> None:
        super().__init__(limits, plan)
        self.seen = 0
        self.present: Counter = Counter()

    def check_item(self, url: str, fields: Mapping[str, Any]) -> list[Alarm]:
        self.seen += 1
        self.present.update(name for name, value in fields.items() if value)
        return []

    def items_done(self) -> list[Alarm]:
        if self.seen < self.limits.min_ads_for_coverage:
            return []
        alarms = []
        for name in self.plan.fields:
            coverage = self.present[name] / self.seen
            if coverage < self.limits.min_field_coverage:
                message = f"field {name!r} found on {coverage:.0%} of {self.seen} ads"
                alarms.append(self.alarm(message))
        return alarms


class EmptyListing(ListingMonitor):
    """A listing page showed no ad links: the link selector no longer matches, or a region
    emptied, so ads may be missed (and none of them is marked gone)."""

    kind = "listing_empty"

    def __init__(self, limits: MonitorsConfig, plan: FieldPlan) -> None:
        super().__init__(limits, plan)
        self.empty = 0

    def check_listing(self, url: str, links: int) -> list[Alarm]:
        if links:
            return []
        self.empty += 1
        if self.empty <= self.limits.max_empty_listing_pages:
            return []
        return [self.alarm(f"no ad links on {url}")]


class ErrorShare(RunMonitor):
    """Too many requests failed for good: the site was down, slow or refusing this crawler, so
    the run saw only part of it."""

    kind = "error_rate"

    def check_run(self, run: ClosedRun) -> list[Alarm]:
        errors = run.counters.get("errors", 0)
        requests = errors + run.counters.get("pages", 0) + run.counters.get("images_fetched", 0)
        if requests < self.limits.min_requests_for_error_share:
            return []
        share = errors / requests
        if share <= self.limits.max_error_share:
            return []
        return [self.alarm(f"{errors} of {requests} requests failed ({share:.0%})")]


class ListingShrunk(RunMonitor):
    """A finished run's listings showed (almost) no ads where the previous finished run showed
    some: a layout or address change the crawl took for an empty site."""

    kind = "listing_shrunk"

    def check_run(self, run: ClosedRun) -> list[Alarm]:
        previous = run.previous_listed
        if run.reason != "finished" or run.counters.get("listing_incomplete", 0) or not previous:
            return []
        if run.listed > previous * self.limits.min_listed_share:
            return []
        message = f"listings showed {run.listed} ads; the previous finished run {previous}"
        return [self.alarm(message)]


ITEM_MONITORS: tuple[type[ItemMonitor], ...] = (RequiredFields, FieldCoverage)
LISTING_MONITORS: tuple[type[ListingMonitor], ...] = (EmptyListing,)
RUN_MONITORS: tuple[type[RunMonitor], ...] = (ErrorShare, ListingShrunk)
ALL_MONITORS: tuple[type[Monitor], ...] = ITEM_MONITORS + LISTING_MONITORS + RUN_MONITORS


def limits_from_settings(settings: Any) -> MonitorsConfig:
    """The thresholds a crawl runs with: `ADWATCH_MONITORS`, defaults for what it leaves out."""
    return MonitorsConfig.model_validate(settings.getdict(SETTING))


def source_limits(limits: MonitorsConfig, source: Any) -> MonitorsConfig:
    """The instance's thresholds with the keys the source's own `monitors` sets put over them."""
    own = getattr(source, "monitors", None)
    if own is None:
        return limits
    return limits.model_copy(update=own.model_dump(exclude_unset=True))


class MonitorSuite:
    """The monitors of one crawl, built once with their thresholds, run at their moments."""

    def __init__(self, limits: MonitorsConfig, plan: FieldPlan) -> None:
        self.plan = plan
        self.items = [cls(limits, plan) for cls in ITEM_MONITORS]
        self.listings = [cls(limits, plan) for cls in LISTING_MONITORS]
        self.runs = [cls(limits, plan) for cls in RUN_MONITORS]

    @classmethod
    def from_settings(cls, settings: Any, source: Any) -> MonitorSuite:
        """The suite of a source's crawl, with the thresholds of the crawl's settings."""
        return cls(source_limits(limits_from_settings(settings), source), FieldPlan.of(source))

    def check_item(self, url: str, fields: Mapping[str, Any]) -> list[Alarm]:
        """Every item monitor on one ad."""
        return _each(self.items, lambda m: m.check_item(url, fields))

    def items_done(self) -> list[Alarm]:
        """The item monitors' verdicts on all ads they saw."""
        return _each(self.items, lambda m: m.items_done())

    def check_listing(self, url: str, links: int) -> list[Alarm]:
        """Every listing monitor on one listing page."""
        return _each(self.listings, lambda m: m.check_listing(url, links))

    def check_run(self, run: ClosedRun) -> list[Alarm]:
        """Every run monitor on the closing run."""
        return _each(self.runs, lambda m: m.check_run(run))


def _each(monitors: Iterable[Monitor], check: Callable[[Any], list[Alarm]]) -> list[Alarm]:
    alarms: list[Alarm] = []
    for monitor in monitors:
        try:
            alarms.extend(check(monitor))
        except Exception:  # one broken monitor must not cost the run its record
            logger.exception("monitor %s failed", type(monitor).__name__)
    return alarms


def record(report: Any, alarms: Iterable[Alarm]) -> list[Alarm]:
    """Put alarms in the run's report; returns them for the caller's own decisions."""
    alarms = list(alarms)
    for alarm in alarms:
        report.alarm(alarm.kind, alarm.message)
    return alarms
