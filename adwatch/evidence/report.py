"""The human-readable report: report.html from a Jinja2 template, report.pdf printed by Chromium.

Runs after ad.json is built, from the same documents, so the report says nothing the data does
not. The PDF is printed from the HTML with every network request refused.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from adwatch.chromium import launch_options
from adwatch.errors import AdwatchError

TEMPLATE = "report.html.j2"


class ReportError(AdwatchError):
    """The report could not be rendered (for instance, Chromium is missing)."""


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("adwatch.evidence", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def report_html(meta: dict[str, Any], ads: list[dict[str, Any]], members: list[Any]) -> bytes:
    """The report as HTML (UTF-8), in Dutch."""
    html = _environment().get_template(TEMPLATE).render(meta=meta, ads=ads)
    return html.encode("utf-8")


def report_pdf(html: bytes, chromium: str | None, meta: dict[str, Any]) -> bytes:
    """The HTML printed to an A4 PDF by headless Chromium."""
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options(chromium))
            try:
                return _print(browser, html.decode("utf-8"))
            finally:
                browser.close()
    except Error as exc:
        raise ReportError(f"could not print report.pdf with Chromium: {exc}") from exc


def _print(browser: Any, html: str) -> bytes:
    page = browser.new_page()
    # The report must load nothing from anywhere; refuse every request outright.
    page.route("**/*", lambda route: route.abort())
    page.set_content(html, wait_until="load")
    return page.pdf(format="A4", print_background=True, margin=_MARGINS)


_MARGINS = {"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}
