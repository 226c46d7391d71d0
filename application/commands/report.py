"""`adwatch report`: the yearly monitoring report as HTML, PDF or CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from adwatch.instance import Instance
from application.commands.common import reports_errors

FORMATS = ("html", "pdf", "csv")


def render(instance: Instance, year: int, fmt: str, municipality: str | None = None) -> bytes:
    """The report for the year in the format asked for."""
    from adwatch.monitoring.yearreport import build_report, report_as_pdf, report_csv, report_html

    report = build_report(instance, year, municipality)
    if fmt == "pdf":
        return report_as_pdf(report, instance.settings.chromium_path)
    return report_csv(report) if fmt == "csv" else report_html(report)


@click.command()
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Calendar year.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="html",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (default: standard output).",
)
@click.option("--municipality", metavar="CODE",
              help="Municipality code; needed when several are set up.")  # fmt: skip
@reports_errors
def report(year: int, fmt: str, output: Path | None, municipality: str | None) -> None:
    """Write the yearly monitoring report (aggregates only; counts under 5 shown as "< 5")."""
    instance = Instance.from_environment()
    instance.require_current_schema()
    data = render(instance, year, fmt, municipality)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(data)
    click.echo(f"report written: {output} ({len(data)} bytes)", err=True)
