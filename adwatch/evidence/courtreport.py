"""The report for police and court: report.html from a Jinja2 template, report.pdf printed by
Chromium and made PDF/A-2b by pikepdf.

Runs after ad.json and the media members are built, from the same documents, so the report says
nothing the data does not. The PDF is printed from the HTML with every network request refused
(photos and screenshots are embedded as data: URIs). pikepdf then adds what PDF/A-2b asks of
the file: XMP metadata (title = zaaknummer or case, creator = adwatch and its version, PDF/A
identification), an sRGB output intent, the document language. Chromium embeds every font.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from jinja2 import Environment, PackageLoader, select_autoescape
from PIL import ImageCms

from adwatch import SOFTWARE_NAME, __version__
from adwatch.chromium import launch_options
from adwatch.errors import AdwatchError
from adwatch.evidence import reportview

TEMPLATE = "report.html.j2"
SRGB = "sRGB IEC61966-2.1"


class ReportError(AdwatchError):
    """The report could not be rendered (for instance, Chromium is missing)."""


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("adwatch.evidence", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def report_title(meta: dict[str, Any]) -> str:
    """The zaaknummer, or the case reference when there is none."""
    return meta.get("zaaknummer") or meta["case"]


def report_html(
    meta: dict[str, Any],
    ads: list[dict[str, Any]],
    members: list[Any],
    labels: dict[str, str] | None = None,
) -> bytes:
    """The report as HTML (UTF-8), in Dutch."""
    files = {m.path: m.data for m in members}
    shown = [
        {
            **ad,
            "signals": reportview.signals(ad, labels or {}),
            "photos": reportview.photos(ad, files),
            "screenshots": reportview.screenshots(ad, files),
        }
        for ad in ads
    ]
    html = (
        _environment()
        .get_template(TEMPLATE)
        .render(
            meta=meta,
            title=report_title(meta),
            ads=shown,
            ad_ids={ad["ad_id"] for ad in ads},
            contents=reportview.contents(members, ads),
            nl_time=reportview.nl_time,
            decision_words=reportview.decision_words,
            kind_words=reportview.kind_words,
        )
    )
    return html.encode("utf-8")


def report_pdf(
    html: bytes, chromium: str | None = None, meta: dict[str, Any] | None = None
) -> bytes:
    """The HTML printed to an A4 PDF by headless Chromium; made PDF/A-2b for a pack (meta)."""
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options(chromium))
            try:
                printed = _print(browser, html.decode("utf-8"))
            finally:
                browser.close()
    except Error as exc:
        raise ReportError(f"could not print report.pdf with Chromium: {exc}") from exc
    return pdf_a(printed, report_title(meta)) if meta else printed


def _print(browser: Any, html: str) -> bytes:
    page = browser.new_page()
    # The report must load nothing from anywhere; refuse every request outright.
    page.route("**/*", lambda route: route.abort())
    page.set_content(html, wait_until="load")
    return page.pdf(format="A4", print_background=True, margin=_MARGINS, tagged=True)


_MARGINS = {"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}


def pdf_a(pdf: bytes, title: str) -> bytes:
    """The PDF with PDF/A-2b identification, XMP metadata and an sRGB output intent."""
    creator = f"{SOFTWARE_NAME} {__version__}"
    with pikepdf.open(io.BytesIO(pdf)) as document:
        with document.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:title"] = title
            xmp["dc:creator"] = [creator]
            xmp["xmp:CreatorTool"] = creator
            xmp["pdf:Producer"] = creator
            xmp["pdfaid:part"] = "2"
            xmp["pdfaid:conformance"] = "B"
        document.docinfo["/Title"] = title
        document.docinfo["/Creator"] = creator
        document.docinfo["/Producer"] = creator
        document.Root.OutputIntents = pikepdf.Array([_output_intent(document)])
        document.Root.Lang = pikepdf.String("nl-NL")
        out = io.BytesIO()
        document.save(out, fix_metadata_version=True)
    return out.getvalue()


def _output_intent(document: pikepdf.Pdf) -> pikepdf.Dictionary:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    stream = pikepdf.Stream(document, profile)
    stream.N = 3
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=SRGB,
        Info=SRGB,
        DestOutputProfile=stream,
    )
