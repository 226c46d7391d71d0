"""The yearly monitoring report in Dutch: HTML from a Jinja2 template, PDF printed by Chromium, CSV.

Runs after `figures.collect`; the report states aggregates only (no ad text, names, numbers or
images) and applies the small-count rule everywhere, charts included.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from jinja2 import Environment, PackageLoader, select_autoescape

from adwatch import __version__
from adwatch.config.indicators import indicator_labels
from adwatch.config.municipalities import chosen_municipality
from adwatch.config.sources import load_sources
from adwatch.evidence.courtreport import report_pdf
from adwatch.instance import Instance
from adwatch.monitoring.figures import Figures, collect
from adwatch.monitoring.period import Period
from adwatch.monitoring.summary import previous_period, summary
from adwatch.monitoring.views import Overview, overview
from adwatch.timeutil import utcnow

TEMPLATE = "report.html.j2"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RETENTION = (
    "Advertenties die niet over de gemeente gaan, worden niet opgeslagen: niet in de database, "
    "niet in de bestandsopslag en niet in de logboeken. Opgeslagen gegevens worden verwijderd "
    "volgens de bewaartermijnen die de gemeente per categorie vaststelt; gegevens met een "
    "juridische blokkade (legal hold) blijven bewaard tot die is opgeheven."
)


@dataclass(frozen=True)
class Methods:
    """What the methods section says: sources, schedule, rules version and retention."""

    sources: list[tuple[str, bool]]
    schedule: str
    rules_version: str
    retention: str


@dataclass(frozen=True)
class Report:
    """Everything the report shows, in the order it shows it."""

    municipality: str
    year: int
    created: datetime
    software: str
    figures: Figures
    view: Overview
    methods: Methods
    summary: list[str] = field(default_factory=list)


def build_report(instance: Instance, year: int, municipality: str | None = None) -> Report:
    """Collect one municipality's figures for the year and everything around them."""
    chosen = chosen_municipality(instance.settings.config_dir, municipality, "report")
    period = Period.year(year)
    with instance.db.reading() as session:
        figures = collect(session, period, municipalities=[chosen.code])
        before = collect(session, previous_period(period), municipalities=[chosen.code])
    labels = indicator_labels(instance.settings.config_dir)
    return Report(
        municipality=chosen.name,
        year=year,
        created=utcnow(),
        software=f"adwatch {__version__}",
        figures=figures,
        view=overview(figures, labels, suppress=True),
        methods=_methods(instance, figures),
        summary=summary(figures, before, labels, suppress=True),
    )


def _methods(instance: Instance, figures: Figures) -> Methods:
    configured = load_sources(instance.settings.sources_dir)
    schedule = instance.app_config.schedule
    return Methods(
        sources=[(source.title, source.enabled) for source in configured.values()],
        schedule=f"dagelijks om {schedule.time} ({schedule.timezone})",
        rules_version=figures.rules_version or "nog niet gescoord",
        retention=RETENTION,
    )


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("adwatch.monitoring", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def report_html(report: Report) -> bytes:
    """The report as a self-contained HTML document (UTF-8)."""
    return _environment().get_template(TEMPLATE).render(r=report).encode("utf-8")


def report_as_pdf(report: Report, chromium: str | None = None) -> bytes:
    """The report printed to A4 by headless Chromium, with every network request refused."""
    return report_pdf(report_html(report), chromium)


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_csv(report: Report) -> bytes:
    """The report's aggregates as CSV: section, row, column, value (one figure per line)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["sectie", "rij", "kolom", "waarde"])
    for row in _csv_rows(report):
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def _csv_rows(report: Report) -> list[tuple[str, str, str, str]]:
    rows = [("Rapport", "Jaar", "", str(report.year))]
    rows.append(("Rapport", "Versie van de regels", "", report.methods.rules_version))
    rows += [("Kerncijfers", name, "", value) for name, value in report.view.key_figures]
    for chart in report.view.charts:
        headers = chart.table.headers
        for cells in chart.table.rows:
            rows += [
                (chart.title, cells[0], header or "Aantal", value)
                for header, value in zip(headers[1:], cells[1:], strict=True)
            ]
    rows += [("Meest gevonden signalen", name, "", value) for name, value in report.view.most]
    rows += [("Minst gevonden signalen", name, "", value) for name, value in report.view.least]
    return rows
