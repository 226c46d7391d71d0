"""Meta-refresh redirects still happen with the quick pre-check in front of Scrapy's scan."""

from __future__ import annotations

import pytest
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.middlewares import QuickMetaRefreshMiddleware

# Never fetched: the responses are built in memory.
URL = "http://127.0.0.1:8765/regio/houten"
REFRESH = '<html><head><META HTTP-EQUIV="Refresh" content="0; url=/verder"></head></html>'
PLAIN = "<html><head><title>Houten</title></head><body>geen verversing</body></html>"


def _response(html: str, encoding: str) -> HtmlResponse:
    body = html.encode(encoding)
    return HtmlResponse(URL, body=body, encoding=encoding, request=Request(URL))


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16", "utf-32"])
def test_a_meta_refresh_redirects_in_any_encoding_as_scrapy_does(encoding: str) -> None:
    middleware = QuickMetaRefreshMiddleware.from_crawler(get_crawler())
    result = middleware.process_response(Request(URL), _response(REFRESH, encoding))
    scrapys = MetaRefreshMiddleware.from_crawler(get_crawler())
    expected = scrapys.process_response(Request(URL), _response(REFRESH, encoding))
    assert isinstance(result, Request)
    assert result.url == expected.url
    assert result.url.startswith("http://127.0.0.1:8765/verder")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_page_without_refresh_passes_unchanged(encoding: str) -> None:
    middleware = QuickMetaRefreshMiddleware.from_crawler(get_crawler())
    response = _response(PLAIN, encoding)
    assert middleware.process_response(Request(URL), response) is response


def test_a_refresh_far_into_a_long_head_is_still_found_where_scrapy_finds_it() -> None:
    """Scrapy scans 4,096 characters; multi-byte characters push them past 4,096 bytes."""
    html = "<html><head><title>" + "é" * 3000 + "</title>" + REFRESH.removeprefix("<html><head>")
    middleware = QuickMetaRefreshMiddleware.from_crawler(get_crawler())
    result = middleware.process_response(Request(URL), _response(html, "utf-8"))
    assert isinstance(result, Request)
