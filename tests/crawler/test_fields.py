"""Compiled selectors select what parsel selects; fields and block pages read as before."""

from __future__ import annotations

import pytest
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse

from adwatch.config.sources import select
from crawler.blocking import is_block_page
from crawler.fields import parsed_page, read_fields, read_images, select_nodes, select_values
from tests.crawler.test_source_demo import AD_PAGES, BASE, SOURCE, file_response

PAGE = """<html><head><title>Lotte in Houten</title><style>p { color: red }</style></head>
<body><h1 class="ad-title big">Lotte <b>ontvangt</b></h1><!-- een opmerking -->
<div class="ad-text"><p>Eerste <i>regel</i></p><script>var x = 1;</script><p>Tweede</p></div>
<table class="prices"><tr><td>30 min</td><td>€ 80</td></tr><tr><th>1 uur</th><td>€ 140</td></tr>
<tr></tr><tr><td>Escort<script>var y = 2;</script></td><td>€ 180</td></tr></table>
<img src="/a.png"><img src="b.jpg"><time class="posted" datetime="2026-03-01">
1 maart</time><a rel="next" href="?pagina=2">Volgende</a></body></html>"""

SELECTORS = [
    "h1.ad-title",
    "h1.ad-title::text",
    ".ad-text p",
    "div.ad-text",
    "table.prices tr",
    "img::attr(src)",
    "time.posted::attr(datetime)",
    "a[rel=next]::attr(href)",
    "title::text, h1::text",
    "p:nth-child(2)",
    "xpath://h1//text()",
    "xpath://comment()",
    "xpath:count(//p)",
    "xpath:boolean(//h1)",
    "xpath:normalize-space(//h1)",
    "xpath://p[re:test(., 'Tw[e]+de')]",
    "xpath://img/@src",
    "xpath:set:distinct(//p)",
    ".nowhere",
]


@pytest.mark.parametrize("selector", SELECTORS)
def test_compiled_selectors_select_what_parsel_selects(selector: str) -> None:
    page = Selector(text=PAGE)
    assert select_nodes(page, selector) == [node.root for node in select(page, selector)]
    assert select_values(page, selector) == select(page, selector).getall()


def _parsel_fields(page: Selector) -> dict[str, object]:
    """The fields read the slow way, one parsel call per value, for comparison."""
    text = [" ".join(p.xpath(".//text()").getall()) for p in page.css("div.ad-text p")]
    rows = [": ".join(r.css("td::text, th::text").getall()) for r in page.css("table.prices tr")]
    return {
        "title": " ".join(" ".join(page.css("h1.ad-title ::text").getall()).split()),
        "text": "\n".join(" ".join(t.split()) for t in text),
        "prices": [row for row in rows if row],
        "images": [f"{BASE}/a.png", f"{BASE}/advertentie/b.jpg"],
        "posted": page.css("time.posted::attr(datetime)").get(),
    }


def test_fields_of_a_page_with_script_style_and_comments() -> None:
    fields = {
        "title": "h1.ad-title",
        "text": "div.ad-text",
        "prices": "table.prices tr",
        "images": "img::attr(src)",
        "posted": "time.posted::attr(datetime)",
    }
    source = SOURCE.model_copy(update={"ad": SOURCE.ad.model_copy(update={"fields": fields})})
    page = Selector(text=PAGE)
    fields = read_fields(page, source, f"{BASE}/advertentie/1")
    fields["images"] = read_images(page, source, f"{BASE}/advertentie/1")
    assert fields == _parsel_fields(page)
    assert fields["text"] == "Eerste regel\nTweede"


@pytest.mark.parametrize("path", AD_PAGES[:5], ids=lambda p: p.stem)
def test_demo_ads_read_the_same_through_parsel_selectors(path) -> None:
    page = file_response(path, f"{BASE}/advertentie/{path.stem.removeprefix('ad_')}")
    for name, selector in SOURCE.ad.fields.items():
        expected = [node.root for node in select(page.selector, selector)]
        assert select_nodes(page.selector, selector) == expected, name


@pytest.mark.parametrize(
    ("status", "html", "blocked"),
    [
        (200, "<html><title>Lotte</title><h1>Welkom</h1></html>", False),
        (403, "<html><title>Lotte</title></html>", True),
        (200, '<html><div class="g-recaptcha"></div></html>', True),
        (200, "<html><title>Access Denied</title></html>", True),
        (200, "<html><h1>Toegang geweigerd</h1></html>", True),
        (200, "<html><p>captcha staat alleen in de tekst</p></html>", False),
    ],
)
def test_block_pages(status: int, html: str, blocked: bool) -> None:
    page = Selector(text=html)
    assert is_block_page(status, html, page, SOURCE.block_markers) is blocked


ODD_BODIES = [
    b"",
    b"   \n ",
    b"<p>zonder html-element</p>",
    b"<html><body>nul\x00teken</body></html>",
    b"\xef\xbb\xbf<html><body>met BOM</body></html>",
    b"<html><head><meta charset=latin-1></head><body>caf\xe9</body></html>",
    b"<div>" * 3000 + b"diep" + b"</div>" * 3000,
    b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
]


@pytest.mark.parametrize("body", ODD_BODIES + [p.read_bytes() for p in AD_PAGES[:3]])
def test_parsed_page_is_the_tree_scrapy_builds(body: bytes) -> None:
    response = HtmlResponse(f"{BASE}/advertentie/1", body=body)
    ours, scrapys = parsed_page(response), response.selector
    assert etree.tostring(ours.root) == etree.tostring(scrapys.root)
    assert ours.type == scrapys.type
