"""The pack's web archive: WARC records regenerated from the blob store, and the same as a WACZ.

Runs after the selection. A capture's records are rebuilt from its row and its blobs by the same
function the crawl wrote them with (`adwatch.storage.warc.exchange_records`), so they carry the
crawl's record ids and digests and are byte for byte the records in the run's WARC file; every
blob is checked against the hash taken at capture time before it is written.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from adwatch.errors import StorageError
from adwatch.evidence.media import checked_blob
from adwatch.storage.blobstore import BlobStore
from adwatch.storage.models import Capture
from adwatch.storage.warc import (
    Exchange,
    RecordIds,
    Sha256WARCWriter,
    exchange_records,
    warc_date,
    write_warcinfo,
)

WARC_NAME = "captures.warc.gz"
LEGACY_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}
SCREENSHOT_NS = uuid.UUID("6f1d2c3e-8a51-4b0e-9a2e-5d7c0f3b9e11")


def warc_bytes(captures: list[Capture], blobs: BlobStore, info: dict[str, str]) -> bytes:
    """One gzipped WARC/1.1: a warcinfo record, then every capture's records."""
    buffer = io.BytesIO()
    writer = Sha256WARCWriter(buffer)
    write_warcinfo(writer, WARC_NAME, info)
    for capture in captures:
        if capture.request_record_id:
            records = exchange_records(writer, _exchange(capture, blobs))
        else:
            records = _rebuilt_records(writer, capture, blobs)
        for record in records:
            writer.write_record(record)
    return buffer.getvalue()


def _exchange(capture: Capture, blobs: BlobStore) -> Exchange:
    """The capture's exchange as the crawl wrote it, every blob checked against its hash."""

    def blob(digest: str | None) -> bytes | None:
        return checked_blob(blobs, digest) if digest else None

    body = checked_blob(blobs, capture.sha256)
    ids = RecordIds(
        capture.request_record_id or "",
        capture.warc_record_id or "",
        capture.dom_record_id,
        capture.screenshot_record_id,
    )
    return Exchange(
        url=capture.final_url or capture.url,
        fetched_at=capture.fetched_at,
        method=capture.method or "GET",
        request_headers=_pairs(capture.request_headers),
        http_version=capture.http_version or "HTTP/1.1",
        status=capture.status,
        reason=capture.reason or "",
        headers=_pairs(capture.header_list),
        payload=blob(capture.wire_sha256) or body,
        content_decoded=bool(capture.content_decoded),
        ids=ids,
        request_body=blob(capture.request_body_sha256) or b"",
        ip_address=capture.ip_address or "",
        dom=blob(capture.dom_sha256),
        screenshot=blob(capture.screenshot_sha256),
    )


def _pairs(values: list | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(value)) for name, value in values or [])


def _rebuilt_records(writer: WARCWriter, capture: Capture, blobs: BlobStore) -> list:
    """A capture from before migration 0009: its request was not kept and its headers were
    stored joined, so only its response (and screenshot) can be rebuilt, and they say so."""
    body = checked_blob(blobs, capture.sha256)
    records = [_response_record(writer, capture, body)]
    if capture.screenshot_sha256:
        data = checked_blob(blobs, capture.screenshot_sha256)
        records.append(_screenshot_record(writer, capture, data))
    return records


def _warc_date(capture: Capture) -> str:
    return warc_date(capture.fetched_at)


def _http_headers(capture: Capture, body: bytes) -> StatusAndHeaders:
    kept = [(k, str(v)) for k, v in capture.headers.items() if k.lower() not in LEGACY_DROPPED]
    kept.append(("Content-Length", str(len(body))))
    return StatusAndHeaders(f"{capture.status} -", kept, protocol="HTTP/1.1")


def _legacy_headers(capture: Capture, digest: str) -> dict[str, str]:
    return {
        "WARC-Date": _warc_date(capture),
        "WARC-Adwatch-Capture-Id": str(capture.id),
        "WARC-Adwatch-Payload-Hash": digest,
        "WARC-Adwatch-Rebuilt": "status line and headers rebuilt (a capture from before 0009)",
    }


def _response_record(writer: WARCWriter, capture: Capture, body: bytes):
    headers = _legacy_headers(capture, capture.sha256)
    if capture.warc_record_id:
        headers["WARC-Record-ID"] = capture.warc_record_id
    return writer.create_warc_record(
        capture.final_url or capture.url,
        "response",
        payload=io.BytesIO(body),
        http_headers=_http_headers(capture, body),
        warc_headers_dict=headers,
    )


def _screenshot_record(writer: WARCWriter, capture: Capture, data: bytes):
    headers = _legacy_headers(capture, capture.screenshot_sha256 or "")
    # The same id at every export: derived from the capture, not drawn anew.
    headers["WARC-Record-ID"] = f"<urn:uuid:{uuid.uuid5(SCREENSHOT_NS, str(capture.id))}>"
    if capture.warc_record_id:
        headers["WARC-Refers-To"] = capture.warc_record_id
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
