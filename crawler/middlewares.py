"""Downloader middlewares: where requests may go, when they were fetched, how retries wait.

Each reads its namespaced settings in `from_crawler` and gets plain values in `__init__`, so
tests build them without running a crawl.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message

from adwatch.timeutil import utcnow

RETRY_AFTER_STATUSES = {429, 503}
BACKOFF_BASE_S = 2.0
# Scrapy looks for a meta refresh in a page's first 4,096 characters: at most 4 bytes each.
META_REFRESH_SCAN_BYTES = 4 * 4096


class NonPublicAddressRefused(IgnoreRequest):
    """A request or redirect hop pointed at a loopback, private or otherwise non-public address."""


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Characters no host name or address literal contains once percent-decoded: a host holding one
# is a trick (`%2f`, `@`, a space) and is refused rather than guessed at.
HOST_REJECTED = re.compile(r"[^a-z0-9.\-_:]")


def normalised_host(host: str) -> str:
    """The host as DNS and the checks see it: percent-decoded, lower-case, without brackets or
    a trailing dot, IDNA-encoded; raises NonPublicAddressRefused when it cannot be a host."""
    text = unquote(host).strip().lower()
    text = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    text = text.rstrip(".")
    if not text.isascii():
        try:
            text = text.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise NonPublicAddressRefused("refused a host that is not a valid name") from exc
    if not text or HOST_REJECTED.search(text):
        raise NonPublicAddressRefused("refused a host that is not a valid name")
    return text


@lru_cache(maxsize=1024)
def _addresses(host: str) -> tuple[IPAddress, ...]:
    try:
        return (ipaddress.ip_address(host),)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return ()
    return tuple(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos)


def permitted_addresses(
    host: str, *, allow_loopback: bool, unresolved_allowed: frozenset[str] = frozenset()
) -> tuple[IPAddress, ...]:
    """The addresses of a host that passes the guard (empty for a listed name only an outbound
    proxy resolves); raises NonPublicAddressRefused otherwise."""
    name = normalised_host(host)
    addresses = _addresses(name)
    if not addresses:
        if name in unresolved_allowed:
            return ()
        # Through an outbound proxy a name the proxy resolves could be anything internal.
        raise NonPublicAddressRefused("refused a host that does not resolve")
    if not all(address_permitted(a, allow_loopback) for a in addresses):
        raise NonPublicAddressRefused(f"refused non-public address: {name}")
    return addresses


@lru_cache(maxsize=1024)
def address_allowed(
    host: str, *, allow_loopback: bool, unresolved_allowed: frozenset[str] = frozenset()
) -> bool:
    """True when every address the host resolves to is public (or loopback, for test sources),
    or it is a listed name only the outbound proxy resolves. Cached like the resolution it rests
    on: `is_global` walks a table of networks each time."""
    try:
        permitted_addresses(
            host, allow_loopback=allow_loopback, unresolved_allowed=unresolved_allowed
        )
    except NonPublicAddressRefused:
        return False
    return True


def address_permitted(address: IPAddress, allow_loopback: bool) -> bool:
    """A public address, or a loopback one where the source is a local test source."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global or (allow_loopback and address.is_loopback)


class PublicAddressMiddleware:
    """Refuses any request, redirect hop included, to a non-public address."""

    def __init__(
        self, allow_loopback: bool, unresolved_allowed: frozenset[str] = frozenset()
    ) -> None:
        self.allow_loopback = allow_loopback
        self.unresolved_allowed = unresolved_allowed

    @classmethod
    def from_crawler(cls, crawler: Any) -> PublicAddressMiddleware:
        spider_class = crawler.spidercls
        source = getattr(spider_class, "source", None)
        listed = crawler.settings.getlist("ADWATCH_PROXY_RESOLVED_HOSTS")
        return cls(
            allow_loopback=bool(source and source.local_test_source),
            unresolved_allowed=frozenset(normalised_host(h) for h in listed),
        )

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        if not address_allowed(
            host, allow_loopback=self.allow_loopback, unresolved_allowed=self.unresolved_allowed
        ):
            raise NonPublicAddressRefused("refused non-public address")


class FetchTimeMiddleware:
    """Stamps each response with the UTC time it arrived, for its capture record."""

    def process_response(self, request: Request, response: Response) -> Response:
        request.meta["adwatch_fetched_at"] = utcnow()
        return response


def retry_after_seconds(value: bytes | None, *, cap: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), capped."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return min(max((when - utcnow()).total_seconds(), 0.0), cap)


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries 429/503 after the server's Retry-After (or an exponential backoff)."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_retry_after = settings.getfloat("ADWATCH_MAX_RETRY_AFTER_S", 300.0)
        self.backoff_base = settings.getfloat("ADWATCH_BACKOFF_BASE_S", BACKOFF_BASE_S)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        if response.status in RETRY_AFTER_STATUSES:
            await asyncio.sleep(self._delay(request, response))
        return self._retry(request, response_status_message(response.status)) or response

    def _delay(self, request: Request, response: Response) -> float:
        header = retry_after_seconds(response.headers.get("Retry-After"), cap=self.max_retry_after)
        if header is not None:
            return header
        attempt = request.meta.get("retry_times", 0)
        return min(self.backoff_base * (2**attempt), self.max_retry_after)


class QuickMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, without decoding and scanning the many pages whose first
    bytes do not even spell "refresh"."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse) and not _may_refresh(response):
            return response
        return super().process_response(request, response)


def _may_refresh(response: HtmlResponse) -> bool:
    if not _ascii_compatible(response.encoding):
        return True  # UTF-16 and the like: let Scrapy decode and look
    return b"refresh" in response.body[:META_REFRESH_SCAN_BYTES].lower()


@lru_cache(maxsize=64)
def _ascii_compatible(encoding: str) -> bool:
    """Whether ASCII text is the same bytes in this encoding (UTF-8, Latin-1, cp1252...)."""
    try:
        return "<meta http-equiv=refresh>".encode(encoding) == b"<meta http-equiv=refresh>"
    except (LookupError, UnicodeError):
        return False
