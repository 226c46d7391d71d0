"""Figures for 2026 against a database whose counts are known row by row."""

from __future__ import annotations

from datetime import date

import pytest

from adwatch.monitoring.delays import median, percentile
from adwatch.monitoring.figures import Figures, collect
from adwatch.monitoring.period import Period, PeriodError
from tests.monitoring.monitoring_world import NEW, Expected


@pytest.fixture(scope="module")
def figures(known) -> Figures:
    instance, _ = known
    with instance.db.reading() as session:
        return collect(session, Period.year(2026))


def test_the_current_rules_version_is_that_of_the_newest_score(figures):
    assert figures.rules_version == NEW


def test_ads_seen_and_new_per_iso_week(figures):
    weeks = {w.week: (w.seen, w.new) for w in figures.weeks}
    assert len(weeks) == 53  # 2026 has 53 ISO weeks; week 1 starts on 29 December 2025
    assert weeks["2026-W01"] == (2, 0)
    assert weeks["2026-W02"] == (8, 8)
    assert weeks["2026-W04"] == (8, 0)
    assert weeks["2026-W05"] == (0, 0)
    assert weeks["2026-W10"] == (3, 3)
    assert weeks["2026-W11"] == (3, 0)
    assert figures.ad_total == Expected.seen


def test_hits_per_indicator_per_month_under_the_current_rules_only(figures):
    by_code = {
        row.code: dict(zip(figures.months, row.counts, strict=True)) for row in figures.indicators
    }
    assert set(by_code) == {"third_party", "new_arrival", "minor_cue"}
    assert by_code["third_party"]["2026-01"] == 6
    assert by_code["new_arrival"]["2026-03"] == 2
    # Found on a version seen in December 2025, the ad was still online in January.
    assert by_code["minor_cue"]["2026-01"] == 1
    assert figures.indicators[0].code == "third_party"


def test_tiers_count_unscored_ads_as_geen(figures):
    assert figures.tiers == {"hoog": 1, "middel": 4, "laag": 4, "geen": 4}


def test_decisions_and_forwards_per_partner_in_the_period(figures):
    assert figures.decisions == {
        "geen_signaal": 1,
        "monitoren": 2,
        "controle_voorbereiden": 1,
        "doorzetten": 3,
        "terugkoppeling_ontvangen": 1,
        "teruggekoppeld_aan_melder": 0,
    }
    assert figures.forwards["avim_politie"] == 2
    assert figures.forwards["nla"] == 1
    assert sum(figures.forwards.values()) == 3


def test_the_funnel_is_nested(figures):
    funnel = figures.funnel
    expected = Expected()
    assert (funnel.seen, funnel.with_hits, funnel.decided, funnel.forwarded, funnel.feedback) == (
        expected.seen,
        expected.with_hits,
        expected.decided,
        expected.forwarded,
        expected.feedback,
    )


def test_time_from_first_hit_to_first_decision(figures):
    delays = list(Expected.delays)
    assert figures.delay.ads == len(delays)
    assert figures.delay.median_hours == pytest.approx(median(delays)) == pytest.approx(48)
    assert figures.delay.p90_hours == pytest.approx(119)


def test_monitored_ads_that_changed_after_the_decision(figures):
    assert (figures.monitored.monitored, figures.monitored.changed) == (2, 1)


def test_crawl_health_per_source(figures):
    health = {s.name: (s.runs, s.failures, s.alarms) for s in figures.sources}
    assert health == {"alpha": (3, 1, 2), "beta": (2, 1, 1)}


def test_a_narrower_period_counts_less(known):
    instance, _ = known
    with instance.db.reading() as session:
        march = collect(session, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert march.ad_total == 3
    assert march.decisions["doorzetten"] == 1
    assert (march.funnel.decided, march.funnel.forwarded) == (2, 2)
    assert march.months == ["2026-03"]


def test_percentiles_use_the_nearest_rank():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([5], 0.9) == 5
    assert median([1, 2, 3, 10]) == 2.5


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(PeriodError):
        Period(date(2026, 2, 1), date(2026, 1, 1))
