"""The summary in words that opens the dashboard and the report, the comparison with the year
before, and weekly charts without weeks still to come."""

from __future__ import annotations

from datetime import date

from adwatch.monitoring.figures import collect
from adwatch.monitoring.period import Period
from adwatch.monitoring.summary import previous_period, summary
from adwatch.monitoring.views import weekly_chart
from tests.monitoring.monitoring_world import Expected


def _figures(known, period: Period):
    instance, _ = known
    with instance.db.reading() as session:
        return collect(session, period)


def test_the_previous_period_is_the_same_dates_a_year_earlier():
    assert previous_period(Period(date(2024, 2, 29), date(2024, 3, 31))) == Period(
        date(2023, 2, 28), date(2023, 3, 31)
    )


def test_the_summary_says_what_was_seen_decided_and_forwarded(known):
    now = _figures(known, Period.year(2026))
    before = _figures(known, Period.year(2025))
    expected = Expected()
    lines = summary(now, before, {}, suppress=False)
    assert lines[0].startswith(f"In deze periode zijn {expected.seen} advertenties gezien")
    assert f"bij {expected.with_hits} daarvan" in lines[0]
    assert f"Over {expected.decided} advertenties" in lines[1]
    assert f"{expected.forwarded} zijn doorgezet" in lines[1]
    assert lines[-1].startswith("Een jaar eerder, in dezelfde periode: ")
    assert f"{before.funnel.seen} gezien (" in lines[-1]


def test_small_counts_stay_hidden_in_the_report_summary(known):
    lines = summary(_figures(known, Period.year(2026)), None, {}, suppress=True)
    assert "over < 5 kwam terugkoppeling" in lines[1]  # one ad had feedback


def test_no_weeks_after_today_in_the_weekly_chart(known):
    figures = _figures(known, Period.year(2026))
    chart = weekly_chart(figures, suppress=False, today=date(2026, 3, 11))
    labels = [row[0] for row in chart.table.rows]
    assert labels[0] == "29 dec" and labels[-1] == "9 mrt"  # weeks 1 to 11 of 2026
    assert len(labels) == 11
