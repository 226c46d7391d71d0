"""The few sentences a dashboard or report opens with, and the comparison with the year before.

Counts go through the small-count rule when the caller suppresses (the report), so a sentence
never says more than the tables do.
"""

from __future__ import annotations

from datetime import date

from adwatch.monitoring.figures import Figures
from adwatch.monitoring.period import Period
from adwatch.monitoring.small_counts import is_small, shown


def previous_period(period: Period) -> Period:
    """The same dates one year earlier (29 February becomes 28 February)."""
    return Period(_year_before(period.start), _year_before(period.end))


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _change(now: int, before: int, suppress: bool) -> str:
    """The change from the year before in words: "nu 20% meer", "nu evenveel"."""
    if suppress and (is_small(now) or is_small(before)):
        return "te weinig om te vergelijken"
    if now == before:
        return "nu evenveel"
    if before == 0:
        return "nu meer"
    percent = round(abs(now - before) * 100 / before)
    return f"nu {percent}% {'meer' if now > before else 'minder'}"


def summary(
    figures: Figures,
    previous: Figures | None,
    labels: dict[str, str],
    *,
    suppress: bool,
) -> list[str]:
    """Three to five short Dutch sentences: what was seen, decided, forwarded, and the trend."""
    funnel = figures.funnel

    def n(count: int) -> str:
        return shown(count, suppress=suppress)

    sentences = [
        f"In deze periode zijn {n(funnel.seen)} advertenties gezien die de gemeente noemen; "
        f"bij {n(funnel.with_hits)} daarvan vond adwatch minstens één signaal.",
        f"Over {n(funnel.decided)} advertenties met een signaal is een beslissing genomen; "
        f"{n(funnel.forwarded)} zijn doorgezet naar een partner en over "
        f"{n(funnel.feedback)} kwam terugkoppeling.",
    ]
    if figures.indicators:
        top = figures.indicators[0]
        sentences.append(
            f"Het vaakst gevonden signaal was '{labels.get(top.code, top.code)}' "
            f"({n(top.total)} advertenties)."
        )
    if previous is not None:
        before = previous.funnel
        parts = [
            f"{n(before.seen)} gezien ({_change(funnel.seen, before.seen, suppress)})",
            f"{n(before.with_hits)} met een signaal "
            f"({_change(funnel.with_hits, before.with_hits, suppress)})",
            f"{n(before.decided)} beslist ({_change(funnel.decided, before.decided, suppress)})",
        ]
        sentences.append("Een jaar eerder, in dezelfde periode: " + ", ".join(parts) + ".")
    return sentences
