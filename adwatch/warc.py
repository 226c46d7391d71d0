"""WARC files: one per crawl run, one gzip member per record, written with warcio.

The store syncs the file once per batch, before the batch's database commit.

Bodies are stored as Scrapy hands them over (transfer and content encoding already removed), so
the HTTP headers are rewritten to match: Content-Encoding and Transfer-Encoding are dropped and
Content-Length is set to the stored length. The original values are kept in the capture row.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from adwatch.records import FetchedResponse

DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def http_headers(response: FetchedResponse) -> StatusAndHeaders:
    """The response's status line and headers, made consistent with the stored body."""
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in DROPPED_HEADERS]
    headers.append(("Content-Length", str(len(response.body))))
    return StatusAndHeaders(f"{response.status} -", headers, protocol="HTTP/1.1")


class RunWarc:
    """Appends records to one run's WARC file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = open(path, "ab")  # noqa: SIM115 - kept open for the whole run
        self._writer = WARCWriter(self._file, gzip=True)

    def write_response(self, response: FetchedResponse) -> str:
        """Write a response record (and a screenshot resource, if any); return its record id."""
        record = self._writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            # Known lengths spare warcio copying each body to a temporary file to measure it.
            length=len(response.body),
            http_headers=http_headers(response),
            warc_headers_dict={"WARC-Date": _warc_date(response)},
        )
        self._writer.write_record(record)
        if response.screenshot:
            self._write_screenshot(response)
        return record.rec_headers.get_header("WARC-Record-ID")

    def _write_screenshot(self, response: FetchedResponse) -> None:
        record = self._writer.create_warc_record(
            f"urn:screenshot:{response.url}",
            "resource",
            payload=io.BytesIO(response.screenshot or b""),
            length=len(response.screenshot or b""),
            warc_content_type="image/png",
            warc_headers_dict={"WARC-Date": _warc_date(response)},
        )
        self._writer.write_record(record)

    def sync(self) -> None:
        """Put the records written so far on disk (the store calls this once per batch)."""
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


def _warc_date(response: FetchedResponse) -> str:
    return response.fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
