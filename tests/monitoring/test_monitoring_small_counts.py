"""The small-count rule, in text and in the charts; every chart text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from adwatch.monitoring.charts import SVG_NAMESPACE, bar_svg, line_svg
from adwatch.monitoring.small_counts import enough, is_small, shown

SVG = "{" + SVG_NAMESPACE + "}"


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (17, "17"), (1234, "1.234")]
)
def test_counts_from_one_to_four_are_shown_as_under_five(count, text):
    assert shown(count) == text


def test_without_suppression_counts_are_exact():
    assert shown(3, suppress=False) == "3"
    assert not is_small(0) and is_small(4) and not is_small(5)
    assert not enough(4) and enough(5)


def _widths(svg: str) -> list[str]:
    return re.findall(r'<rect [^>]* width="([\d.]+)"', svg)


def test_a_bar_chart_does_not_draw_small_counts_at_their_height():
    svg = str(bar_svg("b", "t", "d", [("een", 1), ("vier", 4), ("twaalf", 12)], suppress=True))
    one, four, twelve = _widths(svg)
    assert one == four != twelve
    assert ">1<" not in svg and ">4<" not in svg
    assert svg.count("&lt; 5") == 2


def test_a_line_chart_puts_small_counts_in_the_band():
    suppressed = str(line_svg("l", "t", "d", ["a", "b"], [("s", [1, 4])], suppress=True))
    exact = str(line_svg("l", "t", "d", ["a", "b"], [("s", [1, 4])], suppress=False))
    heights = re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', suppressed)
    assert heights[0] == heights[1]
    assert len(set(re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', exact))) == 2
    assert "&lt; 5" in suppressed and "&lt; 5" not in exact


HOSTILE = '<script>alert(1)</script>" onload="x'


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_texts_are_escaped_and_the_svg_is_accessible(kind):
    if kind == "bar":
        svg = bar_svg("c-1", HOSTILE, HOSTILE, [(HOSTILE, 7)], suppress=True)
    else:
        svg = line_svg("c-1", HOSTILE, HOSTILE, [HOSTILE], [(HOSTILE, [7])], suppress=True)
    text = str(svg)
    assert "<script" not in text and 'onload="' not in text
    root = ET.fromstring(text)  # well-formed XML, so nothing broke out of an attribute
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-1-titel c-1-uitleg"
    assert root.find(f"{SVG}title").text == HOSTILE
    assert root.find(f"{SVG}desc").text == HOSTILE
    assert not any(el.get("style") for el in root.iter())
