"""WARC/1.1 files: one per crawl run, a warcinfo record first, one gzip member per record.

Every fetched exchange becomes a request record and a response record linked by
`WARC-Concurrent-To`; a rendered page adds the DOM after JavaScript as a `conversion` record and
its screenshot as a `resource` record, both pointing at the server's response with
`WARC-Refers-To`. Records are built by one function (`exchange_records`) from plain values, so an
evidence pack that rebuilds a capture's records from the database and the blob store gets the same
bytes, ids and digests as the crawl wrote.

The status line and the headers are kept as received, repeated headers as separate lines. The
HTTP client removes the transfer coding (chunked); the browser also removes the content coding
(gzip, br). Following the IIPC WARC guidelines, a header whose meaning no longer holds for the
stored payload is kept under an `X-Crawler-` name (`X-Crawler-Transfer-Encoding`,
`X-Crawler-Content-Encoding`, `X-Crawler-Content-Length`) and a `Content-Length` of the stored
payload is added. The store syncs the file once per batch, before the batch's database commit.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from adwatch.storage.records import FetchedResponse
from adwatch.timeutil import as_utc

WARC_VERSION = "WARC/1.1"
CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
Pairs = tuple[tuple[str, str], ...]


class Sha256WARCWriter(WARCWriter):
    """warcio's writer with SHA-256 block and payload digests, writing WARC/1.1."""

    def __init__(self, filebuf: Any) -> None:
        super().__init__(filebuf, gzip=True, warc_version=WARC_VERSION)

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def new_record_id() -> str:
    """A fresh WARC-Record-ID."""
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(moment: datetime) -> str:
    """A WARC 1.1 date: UTC with microseconds."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class RecordIds:
    """The record ids of one exchange, chosen before it is written and kept in its capture row."""

    request: str = field(default_factory=new_record_id)
    response: str = field(default_factory=new_record_id)
    dom: str | None = None
    screenshot: str | None = None


@dataclass(frozen=True)
class Exchange:
    """One request and its response as the client saw them, with a rendered page's extras."""

    url: str
    fetched_at: datetime
    method: str
    request_headers: Pairs
    http_version: str
    status: int
    reason: str
    headers: Pairs
    payload: bytes  # the entity as received, transfer coding removed
    content_decoded: bool  # the content coding (gzip, br) was removed too
    ids: RecordIds
    request_body: bytes = b""
    ip_address: str = ""
    dom: bytes | None = None
    screenshot: bytes | None = None


def record_ids(response: FetchedResponse) -> RecordIds:
    """Fresh record ids for a response, with ids for its DOM and screenshot when it has them."""
    return RecordIds(
        dom=new_record_id() if response.dom is not None else None,
        screenshot=new_record_id() if response.screenshot is not None else None,
    )


def exchange_of(response: FetchedResponse, ids: RecordIds) -> Exchange:
    """The exchange the crawler fetched, ready for its records."""
    return Exchange(
        url=response.final_url or response.url,
        fetched_at=response.fetched_at,
        method=response.method,
        request_headers=response.request_headers,
        http_version=response.http_version,
        status=response.status,
        reason=response.reason,
        headers=response.received_headers(),
        payload=response.body if response.wire_body is None else response.wire_body,
        content_decoded=response.content_decoded,
        ids=ids,
        request_body=response.request_body,
        ip_address=response.ip_address,
        dom=response.dom,
        screenshot=response.screenshot,
    )


def response_http_headers(exchange: Exchange) -> StatusAndHeaders:
    """The status line and headers as received, renamed where the payload no longer fits them."""
    kept: list[tuple[str, str]] = []
    length_renamed = False
    for name, value in exchange.headers:
        lower = name.lower()
        if lower == "transfer-encoding" or (
            lower == "content-encoding" and exchange.content_decoded
        ):
            kept.append((f"X-Crawler-{name}", value))
        elif lower == "content-length" and value.strip() != str(len(exchange.payload)):
            kept.append((f"X-Crawler-{name}", value))
            length_renamed = True
        else:
            kept.append((name, value))
    if length_renamed or (_renamed_coding(kept) and not _has(kept, "content-length")):
        kept.append(("Content-Length", str(len(exchange.payload))))
    statusline = f"{exchange.status} {exchange.reason}".rstrip()
    return StatusAndHeaders(statusline, kept, protocol=exchange.http_version or "HTTP/1.1")


def _renamed_coding(headers: list[tuple[str, str]]) -> bool:
    return any(name.lower().startswith("x-crawler-") for name, _ in headers)


def _has(headers: list[tuple[str, str]], wanted: str) -> bool:
    return any(name.lower() == wanted for name, _ in headers)


def request_http_headers(exchange: Exchange) -> StatusAndHeaders:
    """The request line and the headers as sent."""
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    version = exchange.http_version or "HTTP/1.1"
    line = f"{exchange.method} {target} {version}"
    return StatusAndHeaders(line, list(exchange.request_headers), protocol="")


def exchange_records(writer: WARCWriter, exchange: Exchange) -> list[Any]:
    """The request, response and (for a rendered page) DOM and screenshot records."""
    ids, date = exchange.ids, warc_date(exchange.fetched_at)
    response_headers = {"WARC-Record-ID": ids.response, "WARC-Date": date}
    if exchange.ip_address:
        response_headers["WARC-IP-Address"] = exchange.ip_address
    response = writer.create_warc_record(
        exchange.url,
        "response",
        payload=io.BytesIO(exchange.payload),
        length=len(exchange.payload),
        http_headers=response_http_headers(exchange),
        warc_headers_dict=response_headers,
    )
    request_headers = {
        "WARC-Record-ID": ids.request,
        "WARC-Date": date,
        "WARC-Concurrent-To": ids.response,
    }
    request = writer.create_warc_record(
        exchange.url,
        "request",
        payload=io.BytesIO(exchange.request_body),
        length=len(exchange.request_body),
        http_headers=request_http_headers(exchange),
        warc_headers_dict=request_headers,
    )
    return [request, response, *_rendered_records(writer, exchange, date)]


def _rendered_records(writer: WARCWriter, exchange: Exchange, date: str) -> list[Any]:
    records = []
    ids = exchange.ids
    if exchange.dom is not None and ids.dom:
        records.append(
            _derived(
                writer,
                exchange,
                ids.dom,
                "conversion",
                exchange.dom,
                "text/html; charset=utf-8",
                date,
            )
        )
    if exchange.screenshot is not None and ids.screenshot:
        records.append(
            _derived(
                writer, exchange, ids.screenshot, "resource", exchange.screenshot, "image/png", date
            )
        )
    return records


def _derived(
    writer: WARCWriter,
    exchange: Exchange,
    record_id: str,
    record_type: str,
    data: bytes,
    content_type: str,
    date: str,
) -> Any:
    uri = exchange.url if record_type == "conversion" else f"urn:screenshot:{exchange.url}"
    headers = {
        "WARC-Record-ID": record_id,
        "WARC-Date": date,
        "WARC-Refers-To": exchange.ids.response,
    }
    return writer.create_warc_record(
        uri,
        record_type,
        payload=io.BytesIO(data),
        length=len(data),
        warc_content_type=content_type,
        warc_headers_dict=headers,
    )


def warcinfo_fields(
    *, software: str, operator: str, robots: str, source: str, description: str = ""
) -> dict[str, str]:
    """The warcinfo fields adwatch writes first in every WARC."""
    return {
        "software": software,
        "format": "WARC File Format 1.1",
        "conformsTo": CONFORMS_TO,
        "operator": operator,
        "robots": robots,
        "isPartOf": source,
        "description": description,
    }


def write_warcinfo(writer: WARCWriter, filename: str, fields: dict[str, str]) -> str:
    """Write the warcinfo record; return its record id."""
    record = writer.create_warcinfo_record(filename, fields)
    writer.write_record(record)
    return record.rec_headers.get_header("WARC-Record-ID")


class RunWarc:
    """Appends records to one run's WARC file, which starts with its warcinfo record."""

    def __init__(self, path: Path, info: dict[str, str] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = open(path, "ab")  # noqa: SIM115 - kept open for the whole run
        self._writer = Sha256WARCWriter(self._file)
        if self._file.tell() == 0:
            write_warcinfo(self._writer, path.name, info or {})

    def write_exchange(self, exchange: Exchange) -> str:
        """Write the exchange's records; return the response record's id."""
        for record in exchange_records(self._writer, exchange):
            self._writer.write_record(record)
        return exchange.ids.response

    def sync(self) -> None:
        """Put the records written so far on disk (the store calls this once per batch)."""
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


def file_sha256(path: Path) -> str:
    """The prefixed SHA-256 of a file, read in chunks."""
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return "sha256:" + hasher.hexdigest()
