"""Recording the raw exchange for the WARC: what the client sent and what it received.

Plain HTTP: `RecordingAiohttpDownloadHandler` notes, for each response, the request headers
aiohttp really sent, the HTTP version, the reason phrase, the headers in the order received
(repeated ones kept) and the entity before Scrapy removes its content coding. Rendered pages:
a `BrowserRecorder` per ad page listens to every response the page gets (the document, its
scripts, the phone-number XHR, images) and reads each body before the page closes.

Both hand plain values to `adwatch.storage.records.FetchedResponse`; `adwatch.storage.warc` writes
them.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.http import Request, Response

from adwatch.storage.records import FetchedResponse
from adwatch.timeutil import utcnow
from crawler.http_client import GuardedAiohttpDownloadHandler

logger = logging.getLogger(__name__)
WIRE = "adwatch_wire"
HOPS = "adwatch_hops"  # the redirect responses before the final one, shared along the chain
MAX_RESOURCES = 200
MAX_RESOURCE_BYTES = 15_000_000


class RecordingAiohttpDownloadHandler(GuardedAiohttpDownloadHandler):
    """The guarded aiohttp handler that also keeps the exchange as it went over the wire."""

    def _build_base_response_args(self, response: Any, request: Request, headers: Any) -> Any:
        args = super()._build_base_response_args(response, request, headers)
        request.meta[WIRE] = {
            "reason": response.reason or "",
            "version": args["protocol"],
            "headers": tuple(
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers
            ),
            "request_headers": tuple(response.request_info.headers.items()),
            "ip": str(args.get("ip_address") or ""),
        }
        return args

    async def download_request(self, request: Request) -> Response:
        response = await super().download_request(request)
        wire = request.meta.get(WIRE)
        if wire is not None and response.headers.get("Content-Encoding"):
            # Scrapy's HttpCompressionMiddleware decodes the body further up; the WARC keeps it
            # as it came.
            wire["body"] = response.body
        if 300 <= response.status < 400 and response.headers.get("Location"):
            # The redirect middleware copies meta into the next request, this list with it.
            request.meta.setdefault(HOPS, []).append(_hop(request, response))
        return response


def _hop(request: Request, response: Response) -> FetchedResponse:
    """A redirect response as an exchange of its own."""
    wire = request.meta.get(WIRE) or {}
    return FetchedResponse(
        kind="resource",
        url=request.url,
        final_url=request.url,
        status=response.status,
        headers={k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items()},
        body=response.body,
        fetched_at=utcnow(),
        user_agent=(request.headers.get("User-Agent") or b"").decode("latin-1"),
        method=request.method,
        request_headers=wire.get("request_headers", ()),
        http_version=wire.get("version", "HTTP/1.1"),
        reason=wire.get("reason", ""),
        header_list=wire.get("headers", ()),
        ip_address=wire.get("ip", ""),
    )


def redirect_hops(response: Response) -> tuple[FetchedResponse, ...]:
    """The redirect responses that led to this one, in order."""
    return tuple(response.meta.get(HOPS) or ())


def wire_fields(response: Response) -> dict[str, Any]:
    """The FetchedResponse fields of a plain-HTTP response's raw exchange."""
    wire = response.meta.get(WIRE)
    request = response.request
    if wire is None:
        return {"method": request.method if request else "GET"}
    return {
        "method": request.method,
        "request_headers": wire["request_headers"],
        "request_body": request.body or b"",
        "http_version": wire["version"],
        "reason": wire["reason"],
        "header_list": wire["headers"],
        "wire_body": wire.get("body"),
        "ip_address": wire["ip"],
    }


class BrowserRecorder:
    """Records every response a browser page receives, with its request, for one ad page."""

    def __init__(self) -> None:
        self.exchanges: list[FetchedResponse] = []
        self._pending: set[asyncio.Task] = set()

    def on_response(self, response: Any) -> None:
        """Playwright's `response` event: read the exchange in the background."""
        if len(self._pending) + len(self.exchanges) >= MAX_RESOURCES:
            return
        task = asyncio.ensure_future(self._record(response))
        self._pending.add(task)

    async def settle(self, page: Any) -> None:
        """A page method run last: wait until every body was read, while the page is open."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def _record(self, response: Any) -> None:
        fetched_at = utcnow()
        request = response.request
        try:
            body = await response.body()
        except Exception:  # redirects and aborted requests have no body to read
            body = b""
        if len(body) > MAX_RESOURCE_BYTES:
            logger.warning("browser response too large to archive: %d bytes", len(body))
            return
        self.exchanges.append(
            FetchedResponse(
                kind="resource",
                url=request.url,
                final_url=response.url,
                status=response.status,
                headers=await response.all_headers(),
                body=body,
                fetched_at=fetched_at,
                user_agent=(await request.all_headers()).get("user-agent", ""),
                rendered=True,
                method=request.method,
                request_headers=_pairs(await request.headers_array()),
                request_body=request.post_data_buffer or b"",
                reason=response.status_text or "",
                header_list=_pairs(await response.headers_array()),
                content_decoded=True,
                ip_address=((await response.server_addr()) or {}).get("ipAddress", ""),
            )
        )

    def document(self, url: str) -> FetchedResponse | None:
        """The server's response for the page itself (after redirects, the final address)."""
        for exchange in self.exchanges:
            if exchange.final_url == url and exchange.status < 300:
                return exchange
        return None

    def resources(self, document: FetchedResponse | None) -> tuple[FetchedResponse, ...]:
        """Every other exchange of the page, in the order they arrived."""
        return tuple(e for e in self.exchanges if e is not document)


def _pairs(headers: list[dict[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((h["name"], h["value"]) for h in headers)
