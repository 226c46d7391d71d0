"""Reading an ad's fields from its detail page with the selectors of its source YAML.

One small `_parse_<field>` function per field that needs more than the shared text rule.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from parsel import Selector, SelectorList

from adwatch.sources import SourceConfig, select

WHITESPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
BLOCK_ELEMENT_SPACING = "\n"


def _clean(text: str) -> str:
    lines = (WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _node_text(node: Selector) -> str:
    if isinstance(node.root, str):
        return node.root
    parts = node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()
    return " ".join(parts)


def _texts(nodes: SelectorList) -> list[str]:
    return [t for t in (_clean(_node_text(node)) for node in nodes) if t]


def _parse_text(nodes: SelectorList) -> str:
    """The ad text: one line per paragraph or element."""
    paragraphs = nodes.xpath(".//p") if len(nodes) == 1 and nodes.xpath(".//p") else nodes
    return BLOCK_ELEMENT_SPACING.join(_texts(paragraphs))


def _parse_prices(nodes: SelectorList) -> list[str]:
    """The price list: one entry per row, cells joined with ': '."""
    rows = []
    for row in nodes:
        cells = _texts(row.xpath("./td|./th")) or _texts(SelectorList([row]))
        if cells:
            rows.append(": ".join(cells))
    return rows


def _parse_images(nodes: SelectorList, page_url: str) -> list[str]:
    """Absolute image URLs, each once, in page order."""
    urls: list[str] = []
    for value in nodes.getall():
        url = urljoin(page_url, value.strip())
        if url.startswith(("http://", "https://")) and url not in urls:
            urls.append(url)
    return urls


def _parse_single(nodes: SelectorList) -> str:
    """A one-line field (title, name, age, town, posted, phone)."""
    return " ".join(_texts(nodes))


def read_fields(page: Selector, source: SourceConfig, page_url: str) -> dict[str, object]:
    """Every configured field of the ad page; absent fields are left out."""
    found: dict[str, object] = {}
    for name, selector in source.ad.fields.items():
        nodes = select(page, selector)
        if name == "text":
            value: object = _parse_text(nodes)
        elif name == "prices":
            value = _parse_prices(nodes)
        elif name == "images":
            value = _parse_images(nodes, page_url)
        else:
            value = _parse_single(nodes)
        if value:
            found[name] = value
    return found


def scope_text(fields: dict[str, object]) -> str:
    """The parts of an ad that may name its place."""
    return "\n".join(str(fields.get(name, "")) for name in ("title", "town", "text"))
