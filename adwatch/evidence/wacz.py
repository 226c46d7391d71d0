"""The pack's web archive: WARC records regenerated from the blob store, and the same as a WACZ.

Runs after the selection. Each capture's response record keeps the WARC-Record-ID the crawl gave
it, so a record in the pack can be matched with the run's own WARC file; its payload is read from
the blob store and checked against the hash taken at capture time before it is written.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from adwatch import SOFTWARE_NAME, __version__
from adwatch.blobstore import BlobStore
from adwatch.errors import StorageError
from adwatch.evidence.media import checked_blob
from adwatch.models import Capture
from adwatch.warc import DROPPED_HEADERS

WARC_NAME = "captures.warc.gz"


def warc_bytes(captures: list[Capture], blobs: BlobStore) -> bytes:
    """One gzipped WARC holding a warcinfo record and every capture (and screenshot)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    info = {"software": f"{SOFTWARE_NAME} {__version__}", "format": "WARC File Format 1.1"}
    writer.write_record(writer.create_warcinfo_record(WARC_NAME, info))
    for capture in captures:
        writer.write_record(_response_record(writer, capture, checked_blob(blobs, capture.sha256)))
        if capture.screenshot_sha256:
            data = checked_blob(blobs, capture.screenshot_sha256)
            writer.write_record(_screenshot_record(writer, capture, data))
    return buffer.getvalue()


def _warc_date(capture: Capture) -> str:
    return capture.fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _http_headers(capture: Capture, body: bytes) -> StatusAndHeaders:
    kept = [(k, str(v)) for k, v in capture.headers.items() if k.lower() not in DROPPED_HEADERS]
    kept.append(("Content-Length", str(len(body))))
    return StatusAndHeaders(f"{capture.status} -", kept, protocol="HTTP/1.1")


def _warc_headers(capture: Capture) -> dict[str, str]:
    headers = {
        "WARC-Date": _warc_date(capture),
        "WARC-Adwatch-Capture-Id": str(capture.id),
        "WARC-Adwatch-Payload-Hash": capture.sha256,
    }
    if capture.warc_record_id:
        headers["WARC-Record-ID"] = capture.warc_record_id
    return headers


def _response_record(writer: WARCWriter, capture: Capture, body: bytes):
    return writer.create_warc_record(
        capture.final_url or capture.url,
        "response",
        payload=io.BytesIO(body),
        http_headers=_http_headers(capture, body),
        warc_headers_dict=_warc_headers(capture),
    )


def _screenshot_record(writer: WARCWriter, capture: Capture, data: bytes):
    headers = {
        "WARC-Date": _warc_date(capture),
        "WARC-Adwatch-Capture-Id": str(capture.id),
        "WARC-Adwatch-Payload-Hash": capture.screenshot_sha256 or "",
    }
    return writer.create_warc_record(
        f"urn:screenshot:{capture.url}",
        "resource",
        payload=io.BytesIO(data),
        warc_content_type="image/png",
        warc_headers_dict=headers,
    )


def pages_jsonl(pages: list[tuple[int, Capture]]) -> bytes:
    """The WACZ page list: one entry per captured ad page, titled by ids only."""
    header = {"format": "json-pages-1.0", "id": "pages", "title": "Advertenties"}
    lines = [header] + [
        {
            "id": f"capture-{capture.id}",
            "url": capture.final_url or capture.url,
            "ts": _warc_date(capture),
            "title": f"advertentie {ad_id}, opname {capture.id}",
        }
        for ad_id, capture in pages
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode("utf-8")


def wacz_bytes(warc: bytes, pages: bytes, title: str) -> bytes:
    """The WARC packaged as a WACZ by py-wacz (index, page list, datapackage and its digest)."""
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="adwatch-wacz-") as folder:
        warc_path, pages_path = Path(folder) / WARC_NAME, Path(folder) / "pages.jsonl"
        out_path = Path(folder) / "captures.wacz"
        warc_path.write_bytes(warc)
        pages_path.write_bytes(pages)
        args = ["create", "-o", str(out_path), "--pages", str(pages_path), "--copy-pages"]
        args += ["--title", title, str(warc_path)]
        with contextlib.redirect_stdout(io.StringIO()) as said:
            code = wacz_main(args)
        if code != 0 or not out_path.is_file():
            raise StorageError(f"py-wacz could not package the WARC: {said.getvalue()[-500:]}")
        return out_path.read_bytes()
