"""The filtering forward proxy every byte of a rendered source's Chromium goes through.

Finding 1 of issue 16: a per-page route filter sees neither pop-ups, nor WebSockets, nor a
service worker's fetches. Chromium is therefore started with this proxy as its only way out
(`crawler.isolated_browser`), and the proxy applies the address guard to every connection: it
resolves the name itself, refuses it unless every address is public (loopback too for a local
test source), and connects to the address it checked, so a DNS answer cannot change in between.

One request per client connection: a plain-HTTP request is forwarded with `Connection: close`
and the connection ends with its response, so a second request (to another host) can never
ride on a connection checked for the first. `CONNECT` (HTTPS, WebSockets) opens a checked tunnel.
With an outbound proxy configured, checked requests are handed to it as they came.

It listens on 127.0.0.1 on a port the system picks, for the length of the crawl only, and
answers only requests carrying the random credentials it was started with (Chromium gets them
through Playwright), so no other program on the machine can use it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crawler.middlewares import NonPublicAddressRefused, permitted_addresses

log = logging.getLogger(__name__)
MAX_HEAD_BYTES = 64 * 1024
HEAD_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 20.0
RELAY_CHUNK = 64 * 1024
HOP_HEADERS = {b"proxy-connection", b"proxy-authorization", b"connection", b"keep-alive"}
REFUSED = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
UNREACHABLE = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
ESTABLISHED = b"HTTP/1.1 200 Connection established\r\n\r\n"
AUTH_REQUIRED = (
    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
    b'Proxy-Authenticate: Basic realm="adwatch"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
)


class ProxyRequestError(ValueError):
    """A request the proxy cannot read as HTTP/1.x."""


@dataclass(frozen=True)
class ProxyRequest:
    """The head of one client request: method, target host and port, and the raw head."""

    method: str
    host: str
    port: int
    origin_form: bytes  # the request line and headers to send to the host itself
    head: bytes  # as received, for an outbound proxy

    @property
    def is_tunnel(self) -> bool:
        return self.method == "CONNECT"


def parse_head(head: bytes) -> ProxyRequest:
    """Read a proxy request's head: `CONNECT host:port` or `METHOD http://host/path`."""
    lines = head.split(b"\r\n")
    try:
        method, target, version = lines[0].decode("ascii").split(" ")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProxyRequestError("malformed request line") from exc
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        return ProxyRequest(method, host.strip("[]"), _port(port), b"", head)
    url = urlsplit(target)
    if url.scheme != "http" or not url.hostname:
        raise ProxyRequestError("only absolute http:// targets and CONNECT are proxied")
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    kept = [line for line in lines[1:] if line and _header_name(line) not in HOP_HEADERS]
    first = f"{method} {path} {version}".encode("ascii")
    origin_form = b"\r\n".join([first, *kept, b"Connection: close", b"", b""])
    forwarded = b"\r\n".join([lines[0], *kept, b"Connection: close", b"", b""])
    return ProxyRequest(method, url.hostname, url.port or 80, origin_form, forwarded)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ProxyRequestError("bad port")
    return int(text)


def _header_name(line: bytes) -> bytes:
    return line.partition(b":")[0].strip().lower()


def _content_length(head: bytes) -> int:
    """The request body's length; a chunked upload is refused (pages have no use for one)."""
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"transfer-encoding":
            raise ProxyRequestError("chunked request bodies are not proxied")
        if name == b"content-length":
            if not value.strip().isdigit():
                raise ProxyRequestError("bad Content-Length")
            length = int(value.strip())
    return length


class FilteringProxy:
    """An HTTP forward proxy on 127.0.0.1 that refuses every non-public destination."""

    def __init__(
        self,
        *,
        allow_loopback: bool,
        unresolved_allowed: frozenset[str] = frozenset(),
        upstream: tuple[str, int] | None = None,
    ) -> None:
        self.allow_loopback = allow_loopback
        self.unresolved_allowed = unresolved_allowed
        self.upstream = upstream
        self.refused = 0
        self.username = "adwatch"
        self.password = secrets.token_urlsafe(24)
        self._expected = b"basic " + base64.b64encode(f"adwatch:{self.password}".encode())
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> str:
        """Listen on a free port of 127.0.0.1; returns the proxy URL for Chromium."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def close(self) -> None:
        """Stop listening (open tunnels end with their connections)."""
        if self._server is not None:
            self._server.close()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._handle(reader, writer)
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError):
            pass  # the browser or the site hung up: nothing to answer
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(_read_head(reader), HEAD_TIMEOUT_S)
            request = parse_head(head)
            body_length = 0 if request.is_tunnel else _content_length(head)
        except (ProxyRequestError, asyncio.LimitOverrunError, ValueError):
            writer.write(BAD_REQUEST)
            return
        if not self._authorised(head):
            writer.write(AUTH_REQUIRED)
            return
        try:
            upstream = await self._open(request)
        except NonPublicAddressRefused:
            self.refused += 1
            log.info("browser proxy refused a connection to a non-public address")
            writer.write(REFUSED)
            return
        except (TimeoutError, OSError):
            writer.write(UNREACHABLE)
            return
        await self._relay(request, body_length, reader, writer, upstream)

    def _authorised(self, head: bytes) -> bool:
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"proxy-authorization":
                sent = value.strip()
                scheme, _, token = sent.partition(b" ")
                return secrets.compare_digest(scheme.lower() + b" " + token, self._expected)
        return False

    async def _open(self, request: ProxyRequest) -> tuple[asyncio.StreamReader, Any]:
        addresses = await asyncio.to_thread(
            permitted_addresses,
            request.host,
            allow_loopback=self.allow_loopback,
            unresolved_allowed=self.unresolved_allowed,
        )
        if self.upstream is not None:
            host, port = self.upstream
        elif addresses:
            host, port = str(addresses[0]), request.port
        else:  # a listed name only an outbound proxy resolves, and there is none
            raise OSError("no outbound proxy for a name that does not resolve")
        return await asyncio.wait_for(asyncio.open_connection(host, port), CONNECT_TIMEOUT_S)

    async def _relay(self, request, body_length, reader, writer, upstream) -> None:
        up_reader, up_writer = upstream
        try:
            if request.is_tunnel and self.upstream is None:
                writer.write(ESTABLISHED)
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
                return
            up_writer.write(request.head if self.upstream is not None else request.origin_form)
            if request.is_tunnel:  # the outbound proxy answers the CONNECT itself
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
                return
            if body_length:
                up_writer.write(await reader.readexactly(body_length))
            await _pipe(up_reader, writer)
        finally:
            up_writer.close()


async def _read_head(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > MAX_HEAD_BYTES:
        raise ProxyRequestError("request head too large")
    return head


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy bytes until the source ends, then end the sink's writing side."""
    try:
        while chunk := await source.read(RELAY_CHUNK):
            sink.write(chunk)
            await sink.drain()
    finally:
        if sink.can_write_eof() and not sink.is_closing():
            with contextlib.suppress(OSError):
                sink.write_eof()
