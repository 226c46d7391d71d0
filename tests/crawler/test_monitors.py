"""Each crawl monitor alarms when its threshold is crossed and stays quiet when it is not.

The monitors are built with plain thresholds (as spidermon's are from settings), so these tests
need no crawl; `test_monitor_crawls.py` runs them through `adwatch crawl`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from scrapy.settings import Settings

from adwatch.config.schemas import MonitorsConfig
from adwatch.config.sources import load_source
from crawler.monitors import (
    ALL_MONITORS,
    Alarm,
    ClosedRun,
    EmptyListing,
    ErrorShare,
    FieldCoverage,
    FieldPlan,
    ListingShrunk,
    MonitorSuite,
    RequiredFields,
    RunMonitor,
    limits_from_settings,
    record,
)
from crawler.runreport import CrawlReport
from tests.crawler.sites import source_config

PLAN = FieldPlan(fields=("title", "text", "town"), required=("title", "text"))
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _limits(**values: object) -> MonitorsConfig:
    return MonitorsConfig(**values)


def _run(reason: str = "finished", listed: int = 10, previous: int | None = 10, **counters: int):
    return ClosedRun(reason=reason, counters=counters, listed=listed, previous_listed=previous)


def test_required_fields_alarms_on_an_ad_without_text_and_names_the_field() -> None:
    monitor = RequiredFields(_limits(), PLAN)
    (alarm,) = monitor.check_item("http://127.0.0.1/advertentie/1", {"title": "Titel", "text": ""})
    assert alarm == Alarm("required_missing", "http://127.0.0.1/advertentie/1: no text")


def test_required_fields_is_quiet_on_a_complete_ad() -> None:
    monitor = RequiredFields(_limits(), PLAN)
    assert monitor.check_item("http://127.0.0.1/a/1", {"title": "T", "text": "x"}) == []


def _coverage(limits: MonitorsConfig, ads: int, with_town: int) -> list[Alarm]:
    monitor = FieldCoverage(limits, PLAN)
    for i in range(ads):
        fields = {"title": "T", "text": "x", "town": "Houten" if i < with_town else ""}
        assert monitor.check_item(f"http://127.0.0.1/a/{i}", fields) == []
    return monitor.items_done()


def test_field_coverage_alarms_on_a_field_found_on_too_few_ads() -> None:
    (alarm,) = _coverage(_limits(), ads=10, with_town=4)
    assert alarm == Alarm("low_coverage", "field 'town' found on 40% of 10 ads")


def test_field_coverage_is_quiet_at_the_threshold_and_below_the_minimum_of_ads() -> None:
    assert _coverage(_limits(), ads=10, with_town=5) == []
    assert _coverage(_limits(), ads=9, with_town=0) == []


def test_field_coverage_follows_its_settings() -> None:
    strict = _limits(min_field_coverage=0.9, min_ads_for_coverage=4)
    assert [a.kind for a in _coverage(strict, ads=4, with_town=3)] == ["low_coverage"]
    assert _coverage(strict, ads=10, with_town=9) == []


def test_empty_listing_alarms_on_each_empty_page_beyond_the_allowed_number() -> None:
    monitor = EmptyListing(_limits(max_empty_listing_pages=1), PLAN)
    assert monitor.check_listing("http://127.0.0.1/regio/a", 0) == []
    assert monitor.check_listing("http://127.0.0.1/regio/b", 3) == []
    (alarm,) = monitor.check_listing("http://127.0.0.1/regio/c", 0)
    assert alarm == Alarm("listing_empty", "no ad links on http://127.0.0.1/regio/c")


def test_empty_listing_by_default_alarms_on_the_first_empty_page() -> None:
    monitor = EmptyListing(_limits(), PLAN)
    assert [a.kind for a in monitor.check_listing("http://127.0.0.1/r", 0)] == ["listing_empty"]


def test_error_share_alarms_when_too_many_requests_failed() -> None:
    monitor = ErrorShare(_limits(), PLAN)
    (alarm,) = monitor.check_run(_run(errors=10, pages=20, images_fetched=0))
    assert alarm == Alarm("error_rate", "10 of 30 requests failed (33%)")


def test_error_share_is_quiet_at_the_threshold_and_on_small_runs() -> None:
    monitor = ErrorShare(_limits(), PLAN)
    assert monitor.check_run(_run(errors=5, pages=10, images_fetched=5)) == []  # 25%
    assert monitor.check_run(_run(errors=9, pages=10)) == []  # 19 requests, under the minimum
    strict = ErrorShare(_limits(max_error_share=0.1, min_requests_for_error_share=5), PLAN)
    assert [a.kind for a in strict.check_run(_run(errors=2, pages=8))] == ["error_rate"]


def test_listing_shrunk_alarms_when_listings_emptied_since_the_last_finished_run() -> None:
    monitor = ListingShrunk(_limits(), PLAN)
    (alarm,) = monitor.check_run(_run(listed=0, previous=12))
    assert alarm == Alarm("listing_shrunk", "listings showed 0 ads; the previous finished run 12")


@pytest.mark.parametrize(
    "run",
    [
        _run(listed=1, previous=12),  # some ads left: by default only nothing alarms
        _run(listed=0, previous=0),  # the source was empty before too
        _run(listed=0, previous=None),  # no earlier finished run to compare with
        _run(reason="shutdown", listed=0, previous=12),  # an interrupted run saw only part
        _run(listed=0, previous=12, listing_incomplete=1),  # a listing failed: not all seen
    ],
)
def test_listing_shrunk_is_quiet_without_a_comparable_drop(run: ClosedRun) -> None:
    assert ListingShrunk(_limits(), PLAN).check_run(run) == []


def test_listing_shrunk_follows_its_share() -> None:
    monitor = ListingShrunk(_limits(min_listed_share=0.5), PLAN)
    assert [a.kind for a in monitor.check_run(_run(listed=6, previous=12))] == ["listing_shrunk"]
    assert monitor.check_run(_run(listed=7, previous=12)) == []


def test_the_thresholds_come_from_the_crawl_settings_with_todays_defaults() -> None:
    settings = Settings({"ADWATCH_MONITORS": {"max_empty_listing_pages": 3}})
    limits = limits_from_settings(settings)
    assert limits.max_empty_listing_pages == 3
    assert limits.min_field_coverage == 0.5 and limits.min_ads_for_coverage == 10
    assert limits_from_settings(Settings()) == MonitorsConfig()


def test_a_source_overrides_only_the_thresholds_it_writes(tmp_path: Path) -> None:
    config = source_config("klein", "http://127.0.0.1:9", monitors={"min_ads_for_coverage": 3})
    path = tmp_path / "klein.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    source = load_source(path)
    settings = Settings({"ADWATCH_MONITORS": {"min_field_coverage": 0.8}})
    suite = MonitorSuite.from_settings(settings, source)
    (coverage,) = [m for m in suite.items if isinstance(m, FieldCoverage)]
    assert coverage.limits.min_ads_for_coverage == 3  # the source's
    assert coverage.limits.min_field_coverage == 0.8  # the instance's, kept


class _Broken(RunMonitor):
    kind = "broken"

    def check_run(self, run: ClosedRun) -> list[Alarm]:
        raise ZeroDivisionError("a bug in one monitor")


def test_one_failing_monitor_leaves_the_others_and_the_report_intact(caplog) -> None:
    suite = MonitorSuite(_limits(), PLAN)
    suite.runs.insert(0, _Broken(_limits(), PLAN))
    report = CrawlReport()
    alarms = record(report, suite.check_run(_run(listed=0, previous=5)))
    assert [a.kind for a in alarms] == ["listing_shrunk"]
    assert report.alarms == [{"kind": "listing_shrunk", "message": alarms[0].message}]
    assert "monitor _Broken failed" in caplog.text


def test_every_monitor_says_what_it_checks_and_is_documented() -> None:
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    for monitor in ALL_MONITORS:
        assert monitor.__doc__ and monitor.__doc__.strip(), monitor.__name__
        assert f"`{monitor.kind}`" in text and f"`{monitor.__name__}`" in text, monitor.__name__
