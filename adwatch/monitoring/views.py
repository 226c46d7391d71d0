"""From figures to what a person sees: Dutch charts with their tables, and the key figures.

Shared by the dashboard and the yearly report, so both say the same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adwatch import vocabulary
from adwatch.monitoring import texts
from adwatch.monitoring.charts import Chart, Table, bar_svg, line_svg
from adwatch.monitoring.figures import Figures
from adwatch.monitoring.small_counts import THRESHOLD, enough, shown
from adwatch.timeutil import utcnow

TOP_SERIES = 5
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True)
class Overview:
    """The charts, the key figures and the indicators that fired most and least."""

    charts: list[Chart]
    key_figures: list[tuple[str, str]]
    most: list[tuple[str, str]]
    least: list[tuple[str, str]]


def duration(hours: float) -> str:
    """Hours as Dutch text: in hours up to two days, in days after."""
    if hours < 48:
        return f"{hours:.0f} uur"
    return f"{hours / 24:.1f} dagen".replace(".", ",")


def overview(figures: Figures, labels: dict[str, str], *, suppress: bool) -> Overview:
    """Everything the page or report shows for the figures."""
    charts = [
        weekly_chart(figures, suppress),
        indicator_chart(figures, labels, suppress),
        _bars("niveaus", "Advertenties per niveau", figures.tiers, vocabulary.TIERS, suppress),
        _funnel_chart(figures, suppress),
        _bars("beslissingen", "Beslissingen", figures.decisions, vocabulary.DECISIONS, suppress),
        _bars(
            "doorgezet", "Doorgezet per partner", figures.forwards, texts.FORWARD_PARTNERS, suppress
        ),
        source_chart(figures),
    ]
    most, least = ranked_indicators(figures, labels, suppress)
    return Overview(charts, key_figures(figures, suppress), most, least)


def weekly_chart(figures: Figures, suppress: bool, today: date | None = None) -> Chart:
    """In-scope ads seen and new per week, up to this week: weeks still to come are left out."""
    today = today or utcnow().date()
    weeks = [w for w in figures.weeks if _week_start(w.week) <= today]
    labels = [_week_label(w.week) for w in weeks]
    seen, new = [w.seen for w in weeks], [w.new for w in weeks]
    title = "Advertenties per week"
    description = (
        "Lijn: advertenties gezien en nieuw per week (aangeduid met de maandag waarop de week "
        "begint). De tabel geeft de aantallen."
    )
    svg = line_svg(
        "per-week",
        title,
        description,
        labels,
        [("Gezien", seen), ("Nieuw", new)],
        suppress=suppress,
    )
    rows = tuple(
        (label, shown(w.seen, suppress=suppress), shown(w.new, suppress=suppress))
        for label, w in zip(labels, weeks, strict=True)
    )
    return Chart("per-week", title, svg, Table(title, ("Week van", "Gezien", "Nieuw"), rows))


def _week_start(iso_label: str) -> date:
    year, week = iso_label.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def _week_label(iso_label: str) -> str:
    """ "2026-W02" as the officer reads it: the Monday it starts, "5 jan"."""
    start = _week_start(iso_label)
    return f"{start.day} {MONTHS[start.month - 1]}"


def indicator_chart(figures: Figures, labels: dict[str, str], suppress: bool) -> Chart:
    """Ads per indicator per month: the busiest few as lines, all of them in the table."""
    title = "Signalen per maand"
    description = (
        f"Lijn: aantal advertenties per maand voor de {TOP_SERIES} vaakst gevonden signalen. "
        "De tabel geeft alle signalen."
    )
    series = [(labels.get(r.code, r.code), list(r.counts)) for r in figures.indicators]
    svg = line_svg(
        "signalen", title, description, figures.months, series[:TOP_SERIES], suppress=suppress
    )
    rows = tuple(
        (
            name,
            *(shown(c, suppress=suppress) for c in counts),
            shown(sum(counts), suppress=suppress),
        )
        for name, counts in series
    )
    headers = ("Signaal", *figures.months, "Totaal")
    return Chart("signalen", title, svg, Table(title, headers, rows))


def _bars(
    chart_id: str, title: str, counts: dict[str, int], names: dict[str, str], suppress: bool
) -> Chart:
    items = [(names.get(key, key), value) for key, value in counts.items()]
    description = f"Staafdiagram: {title.lower()}. De tabel geeft de aantallen."
    svg = bar_svg(chart_id, title, description, items, suppress=suppress)
    rows = tuple((name, shown(value, suppress=suppress)) for name, value in items)
    return Chart(chart_id, title, svg, Table(title, ("", "Aantal"), rows))


def _funnel_chart(figures: Figures, suppress: bool) -> Chart:
    stages = {key: getattr(figures.funnel, key) for key in texts.FUNNEL}
    return _bars("trechter", "Van advertentie tot terugkoppeling", stages, texts.FUNNEL, suppress)


def source_chart(figures: Figures) -> Chart:
    """Crawls per source, with failures and alarms in the table (runs are not people)."""
    title = "Crawls per bron"
    items = [(s.title, s.runs) for s in figures.sources]
    description = "Staafdiagram: aantal crawls per bron. De tabel geeft ook mislukte crawls."
    svg = bar_svg("bronnen", title, description, items, suppress=False)
    rows = tuple((s.title, str(s.runs), str(s.failures), str(s.alarms)) for s in figures.sources)
    headers = ("Bron", "Crawls", "Mislukt", "Meldingen")
    return Chart("bronnen", title, svg, Table(title, headers, rows))


def ranked_indicators(
    figures: Figures, labels: dict[str, str], suppress: bool, top: int = 3
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The indicators that fired most and least (configured ones that never fired count as 0)."""
    totals = {code: 0 for code in labels}
    totals.update({row.code: row.total for row in figures.indicators})
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    named = [(labels.get(code, code), shown(total, suppress=suppress)) for code, total in ranked]
    return named[:top], named[::-1][:top]


def key_figures(figures: Figures, suppress: bool) -> list[tuple[str, str]]:
    """The figures shown as plain numbers."""
    delay, monitored = figures.delay, figures.monitored
    rows = [
        ("Advertenties gezien", shown(figures.ad_total, suppress=suppress)),
        ("Beoordeeld (tijd gemeten)", shown(delay.ads, suppress=suppress)),
    ]
    if delay.median_hours is not None and (enough(delay.ads) or not suppress):
        rows.append(
            ("Tijd van eerste signaal tot beslissing, mediaan", duration(delay.median_hours))
        )
        rows.append(("Idem, 90e percentiel", duration(delay.p90_hours or 0.0)))
    else:
        rows.append(
            (
                "Tijd van eerste signaal tot beslissing",
                f"niet getoond (minder dan {THRESHOLD} beoordelingen)",
            )
        )
    rows.append(("Advertenties gemonitord", shown(monitored.monitored, suppress=suppress)))
    rows.append(("Daarvan gewijzigd na besluit", shown(monitored.changed, suppress=suppress)))
    return rows
