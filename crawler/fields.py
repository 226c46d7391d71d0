"""Reading an ad's fields from its detail page with the selectors of its source YAML.

One small `_parse_<field>` function per field that needs more than the shared text rule.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector, SelectorList

from adwatch.sources import SourceConfig, select

WHITESPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
BLOCK_ELEMENT_SPACING = "\n"
SKIPPED_TEXT = frozenset({"script", "style"})
TEXT_XPATH = ".//text()[not(ancestor::script) and not(ancestor::style)]"
WALK_EVENTS = ("start", "end", "comment", "pi")


def _clean(text: str) -> str:
    lines = (WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _node_text(node: Selector) -> str:
    root = node.root
    if isinstance(root, str):
        return root
    if not isinstance(getattr(root, "tag", None), str):  # a comment or other odd node
        return " ".join(node.xpath(TEXT_XPATH).getall())
    return " ".join(_element_texts(root))


def _element_texts(root) -> list[str]:
    """The element's descendant text nodes in document order, leaving out script and style
    content: what `.//text()[not(ancestor::script) and not(ancestor::style)]` selects, walked
    in C by lxml instead of an XPath compiled per node."""
    if _skipped(root) or any(_skipped(a) for a in root.iterancestors()):
        return []
    if next(root.iter(*SKIPPED_TEXT), None) is None:
        # Nothing to leave out: lxml's own walk (it skips comments' and PIs' text, not tails).
        return list(root.itertext())
    parts: list[str] = []
    hidden = 0  # open script/style elements around the walk's position
    for event, element in etree.iterwalk(root, events=WALK_EVENTS):
        if event == "start":
            if _skipped(element):
                hidden += 1
            elif not hidden and element.text:
                parts.append(element.text)
            continue
        if event == "end" and _skipped(element):
            hidden -= 1
        # "end" of an element, or a comment or processing instruction: its tail follows.
        if not hidden and element is not root and element.tail:
            parts.append(element.tail)
    return parts


def _skipped(element) -> bool:
    return element.tag in SKIPPED_TEXT if isinstance(element.tag, str) else False


def _texts(nodes: SelectorList) -> list[str]:
    return [t for t in (_clean(_node_text(node)) for node in nodes) if t]


def _parse_text(nodes: SelectorList) -> str:
    """The ad text: one line per paragraph or element."""
    if len(nodes) == 1 and _is_element(nodes[0].root):
        paragraphs = list(nodes[0].root.iterdescendants("p"))  # `.//p`, without an XPath
        if paragraphs:
            return BLOCK_ELEMENT_SPACING.join(_element_line_texts(paragraphs))
    return BLOCK_ELEMENT_SPACING.join(_texts(nodes))


def _parse_prices(nodes: SelectorList) -> list[str]:
    """The price list: one entry per row, cells joined with ': '."""
    rows = []
    for row in nodes:
        if _is_element(row.root):
            cells = _element_line_texts([c for c in row.root if c.tag in ("td", "th")])
        else:
            cells = _texts(row.xpath("./td|./th"))
        cells = cells or _texts(SelectorList([row]))
        if cells:
            rows.append(": ".join(cells))
    return rows


def _is_element(root: object) -> bool:
    return isinstance(getattr(root, "tag", None), str)


def _element_line_texts(elements: list) -> list[str]:
    return [t for t in (_clean(" ".join(_element_texts(e))) for e in elements) if t]


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
