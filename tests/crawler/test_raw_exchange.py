"""The raw exchange in the crawl's WARC (plain HTTP): the request as sent, the status line with
the server's reason phrase, repeated headers kept, the gzip body as it came, the removed chunked
coding recorded as the IIPC WARC guidelines describe; warcio checks the file."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from aiohttp import web
from sites import Instance, Site, ad_html, listing_html, source_config
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.models import Capture
from tests.evidence.tools import warcio

PAGE = ad_html("Titel gzip", "Nieuw in Houten, bel voor een afspraak.")


async def _gzip_chunked(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(status=200, reason="Alles Goed")
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Encoding"] = "gzip"
    response.headers.add("Set-Cookie", "a=1; Path=/")
    response.headers.add("Set-Cookie", "b=2; Path=/")
    response.enable_chunked_encoding()
    await response.prepare(request)
    await response.write(gzip.compress(PAGE.encode("utf-8"), mtime=0))
    await response.write_eof()
    return response


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    instance = Instance(tmp_path_factory.mktemp("raw"))
    site = Site()
    site.add("/regio/houten", listing_html(["/advertentie/1", "/advertentie/2"]))
    site.add_handler("/advertentie/1", _gzip_chunked)
    site.add("/advertentie/2", "verhuisd", status=301, Location="/verhuisd/2")
    site.add("/verhuisd/2", ad_html("Titel twee", "Nieuw in Houten, ook hier."))
    with site.serve() as base_url:
        instance.add_source(source_config("raw", base_url))
        result = instance.crawl("raw")
    assert result.returncode == 0, result.stderr[-2000:]
    (path,) = (instance.data_dir / "warc").rglob("*.warc.gz")
    with path.open("rb") as handle:
        records = [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(handle, no_record_parse=False)
        ]
    return instance, path, records


def test_the_warc_starts_with_warcinfo_naming_software_operator_robots_and_source(
    crawled,
) -> None:
    _, _, records = crawled
    kind, headers, _, body = records[0]
    assert kind == "warcinfo" and headers.protocol == "WARC/1.1"
    text = body.decode("utf-8")
    assert "software: adwatch" in text and "operator: gemeente" in text
    assert "robots: obey robots.txt" in text and "isPartOf: raw" in text


def test_the_response_keeps_status_line_repeated_headers_and_the_gzip_body(crawled) -> None:
    _, _, records = crawled
    (response,) = [r for r in records if r[0] == "response" and _uri(r).endswith("/advertentie/1")]
    http = response[2]
    assert http.protocol == "HTTP/1.1" and http.statusline == "200 Alles Goed"
    assert [v for k, v in http.headers if k == "Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]
    assert http.get_header("Content-Encoding") == "gzip"
    assert http.get_header("X-Crawler-Transfer-Encoding") == "chunked"
    assert http.get_header("Transfer-Encoding") is None


def test_the_payload_is_the_body_as_sent_and_the_capture_keeps_both_hashes(crawled) -> None:
    instance, path, _ = crawled
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response" and _uri((0, record.rec_headers)).endswith("/1"):
                sent = record.raw_stream.read()
    assert gzip.decompress(sent).decode("utf-8") == PAGE
    with instance.db.reading() as session:
        query = select(Capture).where(Capture.kind == "ad_page", Capture.url.endswith("/1"))
        capture = session.scalar(query)
    blobs = BlobStore(instance.data_dir / "blobs")
    assert capture.wire_sha256 == "sha256:" + hashlib.sha256(sent).hexdigest()
    assert blobs.read(capture.sha256).decode("utf-8") == PAGE
    assert capture.reason == "Alles Goed"


def test_the_request_record_holds_the_headers_as_sent(crawled) -> None:
    _, _, records = crawled
    responses = {h.get_header("WARC-Record-ID") for k, h, _, _ in records if k == "response"}
    requests = [(h, http) for k, h, http, _ in records if k == "request"]
    assert {h.get_header("WARC-Concurrent-To") for h, _ in requests} == responses
    page = next(
        http for h, http in requests if h.get_header("WARC-Target-URI").endswith("/advertentie/1")
    )
    assert (page.protocol, page.statusline) == ("GET", "/advertentie/1 HTTP/1.1")
    assert "gemeente" in page.get_header("User-Agent")
    assert page.get_header("Host") and page.get_header("Accept-Encoding")


def test_warcio_check_passes(crawled) -> None:
    _, path, _ = crawled
    check = warcio("check", "-v", path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest fail" not in check.stdout


def _uri(record) -> str:
    return record[1].get_header("WARC-Target-URI") or ""


def test_a_redirect_is_archived_as_its_own_exchange_before_the_page(crawled) -> None:
    instance, _, records = crawled
    responses = {_uri(r): r for r in records if r[0] == "response"}
    hop = responses[next(u for u in responses if u.endswith("/advertentie/2"))]
    assert hop[2].statusline.startswith("301") and hop[2].get_header("Location") == "/verhuisd/2"
    assert any(u.endswith("/verhuisd/2") for u in responses)
    with instance.db.reading() as session:
        pages = session.scalars(select(Capture).where(Capture.kind == "ad_page")).all()
    assert any(p.final_url.endswith("/verhuisd/2") for p in pages)
    with instance.db.reading() as session:
        hops = session.scalars(select(Capture).where(Capture.status == 301)).all()
    assert [(h.kind, h.final_url.endswith("/advertentie/2")) for h in hops] == [("resource", True)]
