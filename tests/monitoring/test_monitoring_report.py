"""The yearly report: HTML without ad content, CSV without formulas, a PDF that renders."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from adwatch.monitoring.yearreport import build_report, csv_cell, report_csv, report_html
from tests.helpers import instance_env, run_cli
from tests.monitoring.monitoring_world import NEW, SECRET_NAME, SECRET_PHONE, SECRET_TEXT

FORBIDDEN = (SECRET_TEXT, SECRET_NAME, SECRET_PHONE, "http://127.0.0.1/a/", "ze komt")


@pytest.fixture(scope="module")
def report(known):
    instance, _ = known
    return build_report(instance, 2026)


def test_the_html_report_has_figures_but_no_ad_content(report):
    html = report_html(report).decode("utf-8")
    for forbidden in FORBIDDEN:
        assert forbidden not in html
    assert "Monitoringsrapport mensenhandel 2026" in html
    assert NEW in html
    assert "Geschreven door derde" in html  # the indicator that fired most, by its Dutch label
    assert "&lt; 5" in html
    assert "<script" not in html


def test_the_funnel_and_key_figures_follow_the_small_count_rule(report):
    funnel = next(c for c in report.view.charts if c.id == "trechter")
    assert [row[1] for row in funnel.table.rows] == ["13", "9", "7", "< 5", "< 5"]
    figures = dict(report.view.key_figures)
    assert figures["Advertenties gemonitord"] == "< 5"
    assert figures["Tijd van eerste signaal tot beslissing, mediaan"] == "2,0 dagen"


def test_the_most_and_least_fired_indicators(report):
    assert report.view.most[0] == ("Geschreven door derde", "6")
    assert all(count == "0" for _, count in report.view.least)


@pytest.mark.parametrize("value", ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_start_a_formula_are_escaped(value):
    assert csv_cell(value) == "'" + value


def test_csv_cells_that_do_not_start_a_formula_stay(value="< 5"):
    assert csv_cell(value) == value and csv_cell(12) == "12"


def test_the_csv_holds_aggregates_only_and_no_formula(report):
    text = report_csv(report).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["sectie", "rij", "kolom", "waarde"]
    assert all(len(row) == 4 for row in rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert ["Crawls per bron", "'=Beta platform", "Crawls", "2"] in rows
    for forbidden in FORBIDDEN:
        assert forbidden not in text


@pytest.mark.browser
def test_adwatch_report_prints_a_pdf(known, tmp_path):
    instance, _ = known
    env = instance_env(instance.settings.data_dir)
    target = tmp_path / "rapport.pdf"
    result = run_cli(env, "report", "--year", "2026", "--format", "pdf", "-o", str(target))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Monitoringsrapport mensenhandel 2026" in text
    assert "Werkwijze" in text and "Houten" in text
    for forbidden in FORBIDDEN:
        assert forbidden not in text


def test_adwatch_report_writes_csv_to_standard_output(known):
    instance, _ = known
    result = run_cli(
        instance_env(instance.settings.data_dir), "report", "--year", "2026", "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sectie,rij,kolom,waarde")


def test_the_report_opens_with_a_summary_and_last_year(report):
    html = report_html(report).decode("utf-8")
    summary = html[html.index("<h2>In het kort</h2>") : html.index("<h2>Kerncijfers</h2>")]
    assert "In deze periode zijn 13 advertenties gezien" in summary
    assert "Een jaar eerder, in dezelfde periode:" in summary
    assert 'section class="chart"' in html  # each heading kept with its chart in the PDF
