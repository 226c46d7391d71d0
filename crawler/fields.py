"""Reading an ad's fields from its detail page with the selectors of its source YAML.

Each selector is compiled once into an lxml XPath (a CSS one translated as parsel translates it)
and run on the page's lxml tree, so the field rules read lxml's results (elements and strings)
without a parsel `Selector` per node. One small `_parse_<field>` function per field that needs
more than the shared text rule.

Bounds (issue 16, finding 5: 43 KB of nested elements made a 6 MB town field, and image URLs
were de-duplicated in quadratic time before the scope decision): a field reads at most
MAX_NODES_PER_FIELD matches and is cut at FIELD_LIMITS characters, each cut named in `cut`;
image URLs are read only for in-scope ads (`read_images`), de-duplicated in linear time and
capped at MAX_IMAGE_URLS.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree, html
from parsel import Selector
from parsel.csstranslator import GenericTranslator, HTMLTranslator
from scrapy.http import HtmlResponse, Response

from adwatch.config.sources import SourceConfig, select

WHITESPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
# Every character `str.splitlines` splits on.
LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
BLOCK_ELEMENT_SPACING = "\n"
SKIPPED_TEXT = frozenset({"script", "style"})
WALK_EVENTS = ("start", "end", "comment", "pi")
# parsel's default prefixes; like parsel, a prefix is declared only when the expression uses it.
XPATH_NAMESPACES = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}
CSS_TRANSLATORS = {"html": HTMLTranslator(), "xml": GenericTranslator()}
# parsel's settings for HTML; one parser serves every page (pages are parsed one at a time, on
# the reactor's thread) instead of a new one per page.
PAGE_PARSER = html.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
EMPTY_PAGE = b"<html/>"
MAX_NODES_PER_FIELD = 200
MAX_IMAGE_URLS = 50
MAX_PRICE_ROWS = 100
# Characters per field: far above any real ad, far below what a hostile page can make.
FIELD_LIMITS = {
    "title": 500,
    "name": 200,
    "age": 50,
    "town": 200,
    "posted": 100,
    "phone": 100,
    "text": 50_000,
    "prices": 300,  # per row
}
DEFAULT_LIMIT = 1000


def parsed_page(response: Response) -> Selector:
    """The page as `response.selector` builds it for an HTML response (parsel's cleaning of the
    decoded text, its parser settings), with a reused parser; other responses: their selector."""
    if not isinstance(response, HtmlResponse):
        return response.selector
    body = response.text.strip().replace("\x00", "").encode("utf-8") or EMPTY_PAGE
    root = etree.fromstring(body, parser=PAGE_PARSER, base_url=response.url)
    if root is None:
        root = etree.fromstring(EMPTY_PAGE, parser=PAGE_PARSER, base_url=response.url)
    return Selector(root=root, type="html")


@lru_cache(maxsize=512)
def compiled_selector(selector: str, page_type: str = "html") -> etree.XPath:
    """A YAML selector (CSS, or `xpath:` prefixed) as the XPath parsel would evaluate."""
    if selector.startswith("xpath:"):
        query = selector.removeprefix("xpath:")
    else:
        query = CSS_TRANSLATORS[page_type].css_to_xpath(selector)
    namespaces = {p: uri for p, uri in XPATH_NAMESPACES.items() if f"{p}:" in query}
    return etree.XPath(query, namespaces=namespaces, smart_strings=False)


def select_nodes(page: Selector, selector: str) -> list:
    """What `adwatch.config.sources.select` selects, as lxml's own results: elements and strings."""
    if page.type not in CSS_TRANSLATORS or not hasattr(page.root, "xpath"):
        return [node.root for node in select(page, selector)]
    try:
        result = compiled_selector(selector, page.type)(page.root)
    except etree.XPathError as exc:
        raise ValueError(f"XPath error: {exc} in {selector}") from exc
    return result if isinstance(result, list) else [result]


def select_values(page: Selector, selector: str) -> list[str]:
    """What `select(page, selector).getall()` gives: strings as selected, elements serialised."""
    return [n if isinstance(n, str) else _serialised(n, page) for n in select_nodes(page, selector)]


def _clean(text: str) -> str:
    if LINE_BREAK.search(text) is None:  # most texts are one line
        return WHITESPACE.sub(" ", text).strip()
    lines = (WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _node_text(node: object) -> str:
    """A selected string as it is; an element's text without script and style; other results
    (comments, numbers) have no text, as `.//text()` finds none in them."""
    if isinstance(node, str):
        return node
    if _is_element(node):
        return " ".join(_element_texts(node))
    return ""


def _element_texts(root) -> list[str]:
    """The element's descendant text nodes in document order, leaving out script and style
    content: what `.//text()[not(ancestor::script) and not(ancestor::style)]` selects, walked
    in C by lxml instead of an XPath compiled per node."""
    if _hidden(root):
        return []
    return _visible_texts(root)


def _visible_texts(root) -> list[str]:
    """`_element_texts` of an element known to be outside any script or style."""
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


def _hidden(element) -> bool:
    """Whether the element is a script or style, or inside one."""
    return _skipped(element) or _hidden_parent(element.getparent())


def _hidden_parent(parent) -> bool:
    if parent is None:
        return False
    return _skipped(parent) or any(_skipped(a) for a in parent.iterancestors())


def _skipped(element) -> bool:
    return element.tag in SKIPPED_TEXT if isinstance(element.tag, str) else False


def _texts(nodes: list) -> list[str]:
    return [t for t in (_clean(_node_text(node)) for node in nodes) if t]


def _parse_text(nodes: list) -> str:
    """The ad text: one line per paragraph or element."""
    if len(nodes) == 1 and _is_element(nodes[0]):
        paragraphs = list(nodes[0].iterdescendants("p"))  # `.//p`, without an XPath
        if paragraphs:
            texts = _element_line_texts(paragraphs, plain=_plain(nodes[0]))
            return BLOCK_ELEMENT_SPACING.join(texts)
    return BLOCK_ELEMENT_SPACING.join(_texts(nodes))


def _parse_prices(nodes: list) -> list[str]:
    """The price list: one entry per row, cells joined with ': '."""
    rows = []
    for row in nodes:
        cells = []
        if _is_element(row):
            cells = [c for c in row if c.tag in ("td", "th")]
            cells = _element_line_texts(cells, plain=_plain(row))
        cells = cells or _texts([row])
        if cells:
            rows.append(": ".join(cells))
    return rows


def _is_element(node: object) -> bool:
    return isinstance(getattr(node, "tag", None), str)


def _plain(element) -> bool:
    """No script or style in the element, nor around it: every text inside it counts."""
    return next(element.iter(*SKIPPED_TEXT), None) is None and not _hidden(element)


def _element_line_texts(elements: list, *, plain: bool = False) -> list[str]:
    """One cleaned text per element; siblings share their parent's check for script and style.
    `plain`: the elements lie inside one `_plain` element, so nothing needs leaving out."""
    if plain:
        return [t for t in (_clean(" ".join(e.itertext())) for e in elements) if t]
    hidden_parents: dict = {}
    texts = []
    for element in elements:
        parent = element.getparent()
        if parent not in hidden_parents:
            hidden_parents[parent] = _hidden_parent(parent)
        if hidden_parents[parent] or _skipped(element):
            continue
        text = _clean(" ".join(_visible_texts(element)))
        if text:
            texts.append(text)
    return texts


def _parse_images(values: list[str], page_url: str) -> list[str]:
    """Absolute image URLs, each once, in page order, at most MAX_IMAGE_URLS (linear)."""
    urls: dict[str, None] = {}
    for value in dict.fromkeys(v.strip() for v in values):
        url = urljoin(page_url, value)
        if url.startswith(("http://", "https://")):
            urls[url] = None
            if len(urls) >= MAX_IMAGE_URLS:
                break
    return list(urls)


def _serialised(node: object, page: Selector) -> str:
    """A selected element (or number) as parsel's `get()` gives it."""
    return Selector(root=node, type=page.type).get()


def _parse_single(nodes: list) -> str:
    """A one-line field (title, name, age, town, posted, phone)."""
    return " ".join(_texts(nodes))


def read_fields(
    page: Selector, source: SourceConfig, page_url: str, cut: list[str] | None = None
) -> dict[str, object]:
    """Every configured field of the ad page but its images (`read_images`, once the ad is in
    scope); absent fields are left out, long ones cut (their names appended to `cut`)."""
    found: dict[str, object] = {}
    for name, selector in source.ad.fields.items():
        if name == "images":
            continue
        nodes = select_nodes(page, selector)[:MAX_NODES_PER_FIELD]
        if name == "text":
            value: object = _parse_text(nodes)
        elif name == "prices":
            value = _parse_prices(nodes[:MAX_PRICE_ROWS])
        else:
            value = _parse_single(nodes)
        value, was_cut = _bounded(name, value)
        if was_cut and cut is not None:
            cut.append(name)
        if value:
            found[name] = value
    return found


def read_images(page: Selector, source: SourceConfig, page_url: str) -> list[str]:
    """The ad's image URLs (see `_parse_images`); empty when the source reads none."""
    selector = source.ad.fields.get("images")
    return _parse_images(select_values(page, selector), page_url) if selector else []


def _bounded(name: str, value: object) -> tuple[object, bool]:
    """The value cut to its field's limit, and whether anything was cut."""
    limit = FIELD_LIMITS.get(name, DEFAULT_LIMIT)
    if isinstance(value, str):
        return value[:limit], len(value) > limit
    rows = [row[:limit] for row in value]
    return rows, any(len(row) > limit for row in value)


def scope_text(fields: dict[str, object]) -> str:
    """The parts of an ad that may name its place."""
    return "\n".join(str(fields.get(name, "")) for name in ("title", "town", "text"))
