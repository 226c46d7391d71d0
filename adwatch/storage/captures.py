"""What a fetched response becomes: its bytes in the blob store, its exchange in the run's WARC
file, and a capture row that names both.

Blobs and WARC records are written (and synced) before the database transaction that adds the
capture rows, so a crash leaves at worst a blob or record without a row, which the purge collects.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.models import Capture
from adwatch.storage.records import AdRecord, FetchedResponse
from adwatch.storage.warc import RecordIds, RunWarc, exchange_of, record_ids


@dataclass(frozen=True)
class StoredResponse:
    """Where a response of this batch went: its WARC records and the digests of its blobs."""

    ids: RecordIds
    sha256: str
    screenshot_sha256: str | None
    blobs: dict[str, str | None]  # wire, dom, request body: the digest of each that exists

    @property
    def record_id(self) -> str:
        return self.ids.response


Stored = dict[int, StoredResponse]  # by id(response)


def store_responses(
    blob_store: BlobStore, responses: list[FetchedResponse], warc: RunWarc
) -> Stored:
    """The responses' bytes into the blob store and their exchanges into the WARC file, each
    digest computed once (by the blob store) for the capture rows, images and content hash."""
    extras = [(i, name, data) for i, r in enumerate(responses) for name, data in _extras(r)]
    digests = blob_store.put_many([r.body for r in responses] + [d for _, _, d in extras])
    found: dict[int, dict[str, str]] = {}
    for (i, name, _), digest in zip(extras, digests[len(responses) :], strict=True):
        found.setdefault(i, {})[name] = digest
    stored = {}
    for i, response in enumerate(responses):
        ids = record_ids(response)
        warc.write_exchange(exchange_of(response, ids))
        blobs = found.get(i, {})
        stored[id(response)] = StoredResponse(ids, digests[i], blobs.pop("screenshot", None), blobs)
    warc.sync()
    return stored


def responses_of(record: AdRecord) -> list[FetchedResponse]:
    """Every response an ad record holds: page, phone, images, and what each brought along."""
    fetched = [record.page]
    if record.phone_response is not None:
        fetched.append(record.phone_response)
    fetched.extend(image.response for image in record.images)
    # What each response brought along: a browser's other exchanges, redirect hops.
    return [r for response in fetched for r in (response, *response.resources)]


def _extras(response: FetchedResponse) -> list[tuple[str, bytes]]:
    """The blobs kept beside a response's body: screenshot, DOM, wire entity, request body."""
    candidates = {
        "screenshot": response.screenshot,
        "dom": response.dom,
        "wire": response.wire_body,
        "request_body": response.request_body or None,
    }
    return [(name, data) for name, data in candidates.items() if data is not None]


def _capture_values(run_id: int, ad_id: int, response: FetchedResponse, at: StoredResponse) -> dict:
    return {
        "run_id": run_id,
        "ad_id": ad_id,
        "kind": response.kind,
        "url": response.url,
        "final_url": response.final_url,
        "redirects": list(response.redirects),
        "status": response.status,
        "headers": dict(response.headers),
        "sha256": at.sha256,
        "size": len(response.body),
        "fetched_at": response.fetched_at,
        "user_agent": response.user_agent,
        "rendered": response.rendered,
        "screenshot_sha256": at.screenshot_sha256,
        "warc_record_id": at.record_id,
        **_exchange_values(response, at),
    }


def _exchange_values(response: FetchedResponse, at: StoredResponse) -> dict:
    return {
        "method": response.method,
        "request_headers": [list(pair) for pair in response.request_headers],
        "request_body_sha256": at.blobs.get("request_body"),
        "http_version": response.http_version,
        "reason": response.reason,
        "header_list": [list(pair) for pair in response.received_headers()],
        "wire_sha256": at.blobs.get("wire"),
        "content_decoded": response.content_decoded,
        "ip_address": response.ip_address,
        "dom_sha256": at.blobs.get("dom"),
        "request_record_id": at.ids.request,
        "dom_record_id": at.ids.dom,
        "screenshot_record_id": at.ids.screenshot,
    }


def insert_captures(
    session: Session,
    run_id: int,
    owned: list[tuple[int, FetchedResponse]],
    stored: Stored,
) -> dict[tuple[int, int], int]:
    """One capture row per (ad id, response), in one INSERT; the capture id of each, by
    (ad id, id(response)): an ad shared by two municipalities has a capture for each copy."""
    rows = [_capture_values(run_id, ad_id, r, stored[id(r)]) for ad_id, r in owned]
    # A Core INSERT on the table: the ORM's per-row bulk bookkeeping cost more than the SQL.
    stmt = insert(Capture.__table__).returning(Capture.id, sort_by_parameter_order=True)
    ids = session.connection().execute(stmt, rows).scalars().all()
    return {(ad_id, id(r)): capture_id for (ad_id, r), capture_id in zip(owned, ids, strict=True)}
