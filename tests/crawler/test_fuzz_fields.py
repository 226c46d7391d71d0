"""Hypothesis fuzzing of field extraction (issue 16): whatever a hostile page holds, reading
its fields never raises, never goes past a field's limit, never returns script or style text,
and reads at most MAX_IMAGE_URLS image URLs, each once, absolute."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parsel import Selector
from scrapy.http import HtmlResponse

from adwatch.config.sources import SourceConfig
from crawler.fields import (
    DEFAULT_LIMIT,
    FIELD_LIMITS,
    MAX_IMAGE_URLS,
    parsed_page,
    read_fields,
    read_images,
)
from tests.crawler.sites import source_config

URL = "http://127.0.0.1:8765/advertentie/1"
SOURCE = SourceConfig.model_validate(
    source_config("fuzz", "http://127.0.0.1:8765")
    | {
        "ad": {
            "id_from_url": "/advertentie/(?P<id>[0-9]+)",
            "fields": {
                "title": "h1.ad-title",
                "text": "div.ad-text",
                "town": ".town",
                "name": "xpath://span[@class='naam']",
                "prices": "table tr",
                "images": "img::attr(src)",
            },
            "required": ["title", "text"],
        }
    }
)
TAGS = ["div", "p", "span", "h1", "script", "style", "table", "tr", "td", "img", "b", "a"]
CLASSES = ["ad-title", "ad-text", "town", "naam", "", "x"]
# Hypothesis also draws string constants from the test's own source, so plain text once held
# the secret itself; a private-use character the text alphabet never yields keeps them apart.
SECRET = "GEHEIM\ue000SCRIPT"

text = st.text(st.characters(blacklist_categories=("Cs", "Co")), max_size=60)


@st.composite
def element(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    cls = draw(st.sampled_from(CLASSES))
    if tag == "img":
        src = draw(st.sampled_from(["/a.png", "b.jpg", "//127.0.0.2/d.png", "javascript:x", ""]))
        return f"<img class='{cls}' src='{src}'>"
    if tag in ("script", "style"):
        return f"<{tag}>{SECRET}</{tag}>"
    children = draw(st.lists(text | (element(depth + 1) if depth < 6 else text), max_size=5))
    attr = f" class='{cls}'" if cls else ""
    return f"<{tag}{attr}>{''.join(children)}</{tag}>"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(element(), max_size=8), st.binary(max_size=40))
def test_reading_fields_of_any_page_stays_within_bounds(parts: list[str], noise: bytes) -> None:
    body = ("<html><body>" + "".join(parts) + "</body></html>").encode("utf-8") + noise
    page = parsed_page(HtmlResponse(URL, body=body, encoding="utf-8"))
    cut: list[str] = []
    fields = read_fields(page, SOURCE, URL, cut)
    for name, value in fields.items():
        limit = FIELD_LIMITS.get(name, DEFAULT_LIMIT)
        values = value if isinstance(value, list) else [value]
        assert all(len(v) <= limit and SECRET not in v for v in values), (name, value)
    images = read_images(page, SOURCE, URL)
    assert len(images) == len(set(images)) <= MAX_IMAGE_URLS
    assert all(u.startswith(("http://", "https://")) for u in images)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_in_a_field_is_read_without_error(value: str) -> None:
    page = Selector(text=f"<h1 class='ad-title'>{value}</h1><div class='ad-text'>{value}</div>")
    fields = read_fields(page, SOURCE, URL)
    assert all(len(v) <= FIELD_LIMITS[k] for k, v in fields.items() if isinstance(v, str))
