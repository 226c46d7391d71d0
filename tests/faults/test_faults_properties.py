"""Arbitrary bytes and HTML at the page parsers, the phone extractor, the location matcher and
the image decoder: no crash, no hang (a deadline per example), only the documented error type."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from scrapy.http import HtmlResponse

from adwatch.config.scope import LocationMatcher
from adwatch.config.sources import load_source
from adwatch.errors import ImageRejected
from adwatch.imaging import decode_image
from crawler.fields import read_fields
from scoring.phones import find_phones
from tests.helpers import CONFIG_DIR

SOURCE = load_source(CONFIG_DIR / "sources" / "demo.yaml")
URL = "http://127.0.0.1/advertentie/1"
FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TAGS = ["div", "p", "span", "h1", "table", "tr", "td", "img", "a", "script", "style", "time", "b"]
CLASSES = ["ad-title", "ad-text", "town", "age", "profile-name", "prices", "ad-photo", "posted"]
words = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["Houten", "houten bed", "06-12345678", "+31 6 1234 5678", "3991 AB", "nul zes", "&amp;<"]
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attrs = st.builds(
        lambda cls, src: f' class="{cls}" src="{src}" datetime="{src}"',
        st.sampled_from(CLASSES),
        st.text(max_size=20),
    )
    return st.builds(
        lambda tag, attr, inner, close: f"<{tag}{attr}>{''.join(inner)}" + (f"</{tag}>" * close),
        st.sampled_from(TAGS),
        attrs | st.just(""),
        st.lists(children, max_size=4),
        st.booleans(),
    )


html_documents = st.recursive(words, _element, max_leaves=30)


@pytest.fixture(scope="module")
def matcher() -> LocationMatcher:
    found = LocationMatcher.from_config_dir(CONFIG_DIR)
    found.find_places("opwarmen in Houten")  # spaCy loads once, outside the deadline
    return found


def _fields(body: bytes) -> dict[str, object]:
    response = HtmlResponse(url=URL, body=body)
    return read_fields(response.selector, SOURCE, URL)


@FUZZ
@given(st.binary(max_size=4000))
def test_fields_from_arbitrary_bytes(body: bytes) -> None:
    fields = _fields(body)
    assert set(fields) <= set(SOURCE.ad.fields)


@FUZZ
@given(html_documents)
def test_fields_from_arbitrary_html(html: str) -> None:
    fields = _fields(f"<html><body>{html}</body></html>".encode("utf-8", "surrogatepass"))
    assert all(isinstance(v, str | list) for v in fields.values())


@FUZZ
@given(st.text(max_size=2000) | html_documents)
def test_phone_extractor_on_arbitrary_text(text: str) -> None:
    for match in find_phones(text):
        assert 0 <= match.start < match.end <= len(text) and match.e164.startswith("+")


@FUZZ
@given(st.text(max_size=2000) | html_documents)
def test_location_matcher_on_arbitrary_text(matcher: LocationMatcher, text: str) -> None:
    for mention in matcher.find_places(text):
        assert 0 <= mention.start < mention.end <= len(text)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


MAGIC = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP", b""]


@FUZZ
@given(st.sampled_from(MAGIC), st.binary(max_size=3000))
def test_image_decoder_only_rejects(magic: bytes, tail: bytes) -> None:
    try:
        decoded = decode_image(magic + tail)
    except ImageRejected as exc:
        assert str(exc)  # a clear reason, never an empty message
        return
    assert decoded.width > 0 and decoded.height > 0


@FUZZ
@given(st.integers(min_value=0, max_value=200), st.binary(min_size=1, max_size=8))
def test_image_decoder_on_damaged_real_images(at: int, garbage: bytes) -> None:
    data = bytearray(_png())
    at = min(at, len(data) - 1)
    data[at : at + len(garbage)] = garbage
    try:
        decoded = decode_image(bytes(data))
    except ImageRejected:
        return
    assert decoded.width > 0 and decoded.height > 0
