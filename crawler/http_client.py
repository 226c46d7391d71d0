"""The HTTP client of plain (not rendered) sources: Scrapy's aiohttp download handler, with the
address guard repeated on every socket it opens.

Why not Scrapy's default (Twisted) client: aiohttp costs about half the CPU per page (see
`docs/scaling.md`), and it lets the guard see the address a connection actually goes to.
`PublicAddressMiddleware` checks a request's host when the request is made; a DNS answer that
changes between that check and the connection (DNS rebinding) would slip past it. Here each
socket is refused unless its address is public (or loopback for a local test source, or an
outbound proxy configured in the environment), so no connection to a private address is made.

Scrapy uses this handler itself when it runs without a Twisted reactor; adwatch pins Scrapy's
version (`constraints.txt`) and its crawl tests run through it.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import aiohttp
from scrapy.core.downloader.handlers._aiohttp import AiohttpDownloadHandler, _ClientResponse
from scrapy.core.downloader.handlers._base_streaming import BaseStreamingDownloadHandler
from scrapy.exceptions import DownloadConnectionRefusedError
from scrapy.http import Request, Response
from scrapy.utils.ssl import _make_ssl_context

from crawler.middlewares import NonPublicAddressRefused, address_permitted

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class NonPublicSocketRefused(OSError):
    """A connection was about to be opened to a non-public address."""

    def __init__(self, address: str) -> None:
        # One message for every address: when all of a host's addresses are refused,
        # aiohappyeyeballs raises the first refusal itself only if their messages agree.
        super().__init__(errno.EACCES, "refused non-public address")
        self.address = address


def guarded_socket_factory(
    allow_loopback: bool, allowed: Iterable[IPAddress] = ()
) -> Callable[[Any], socket.socket]:
    """aiohttp's socket factory: a socket only for a permitted address, else an error."""
    allowed = frozenset(allowed)

    def create(addr_info: Any) -> socket.socket:
        family, type_, proto, _, sockaddr = addr_info
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address not in allowed and not address_permitted(address, allow_loopback):
            raise NonPublicSocketRefused(str(address))
        return socket.socket(family=family, type=type_, proto=proto)

    return create


def proxy_addresses(proxies: dict[str, str] | None = None) -> set[IPAddress]:
    """The addresses of the outbound proxies in the environment (`http_proxy`, ...): the
    municipality's own network may put them on a private address."""
    found: set[IPAddress] = set()
    for scheme, url in (urllib.request.getproxies() if proxies is None else proxies).items():
        if scheme not in ("http", "https"):
            continue
        host = urllib.request.urlparse(url).hostname
        if not host:
            continue
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except socket.gaierror:
            continue  # the proxy itself does not resolve: the download fails and says so
        found.update(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos)
    return found


class GuardedAiohttpDownloadHandler(AiohttpDownloadHandler):
    """Scrapy's aiohttp handler whose connector refuses sockets to non-public addresses."""

    # Created on the first request: aiohttp's session needs the running event loop, which
    # under Scrapy's asyncio reactor starts only after the downloader is built.
    lazy: ClassVar[bool] = True
    # Scrapy marks it experimental; adwatch pins Scrapy and tests every hostile-input case
    # through it, so the warning would only add a line to every nightly log.
    experimental: ClassVar[bool] = False

    def __init__(self, crawler: Any) -> None:
        # Not AiohttpDownloadHandler.__init__: that builds a connector without the guard.
        BaseStreamingDownloadHandler.__init__(self, crawler)
        source = getattr(crawler.spidercls, "source", None)
        allow_loopback = bool(source and source.local_test_source)
        self._ssl_context = _make_ssl_context(crawler.settings)
        connector = aiohttp.TCPConnector(
            local_addr=self._bind_address,
            limit=self._pool_size_total,
            limit_per_host=self._pool_size_per_host,
            socket_factory=guarded_socket_factory(allow_loopback, proxy_addresses()),
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            response_class=_ClientResponse,
            skip_auto_headers=("Accept", "Accept-Encoding", "Content-Type", "User-Agent"),
        )

    async def download_request(self, request: Request) -> Response:
        try:
            return await super().download_request(request)
        except DownloadConnectionRefusedError as exc:
            refusal = _socket_refusal(exc)
            if refusal is None:
                raise
            # An IgnoreRequest: counted as refused, and never retried.
            raise NonPublicAddressRefused(f"refused non-public address: {refusal.address}") from exc


def _socket_refusal(exc: BaseException) -> NonPublicSocketRefused | None:
    """The guard's refusal behind a failed connection, if that is what it was."""
    cause = exc.__cause__
    os_error = getattr(cause, "os_error", None)
    return os_error if isinstance(os_error, NonPublicSocketRefused) else None
