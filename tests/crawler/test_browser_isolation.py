"""Issue 16, finding 1: a rendered page reaches no private address, by any channel; and
finding 6: a crawl opens no listening socket (a rendered one: only its proxy, on loopback).

The hostile crawl runs in a network namespace the test creates (`unshare -rn`), where a test
address (10.0.0.5) stands for the municipality's network; see `tests/crawler/isolation_world.py`.
Without the isolation, this page reached it by WebSocket, pop-up, service worker and redirect.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.browser_proxy import FilteringProxy, ProxyRequestError, parse_head
from crawler.isolated_browser import (
    isolated_context_kwargs,
    isolated_launch_options,
    outbound_proxy,
)
from tests.crawler.isolation_world import CHANNELS
from tests.crawler.sites import Site
from tests.helpers import REPO, missing_prerequisite

LOOPBACK_HEX = "0100007F"


def _world(root: Path, *mode: str) -> dict:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        missing_prerequisite("unshare and ip are needed for the network-namespace tests")
    command = ["unshare", "-rn", sys.executable, "-m", "tests.crawler.isolation_world", str(root)]
    result = subprocess.run(
        [*command, *mode], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    if "unshare failed" in result.stderr or "Operation not permitted" in result.stderr:
        missing_prerequisite(f"no user network namespaces here: {result.stderr[-300:]}")
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((root / "result.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _world(tmp_path_factory.mktemp("isolation"))


@pytest.mark.browser
def test_the_listener_on_the_test_address_receives_what_reaches_it(hostile) -> None:
    # The TCP and UDP probes race each other; what matters is that both arrived.
    assert sorted(hostile["probe"]) == ["tcp:80 GET /probe HTTP/1.0", "udp:3478 5 bytes"]


@pytest.mark.browser
def test_the_hostile_page_ran_and_tried_every_channel(hostile) -> None:
    assert hostile["returncode"] == 0, hostile["stderr"]
    assert hostile["stored"] == ["1"], hostile["log"]
    tried = {p.removeprefix("/ran?c=") for p in hostile["paths"] if p.startswith("/ran?c=")}
    assert tried >= set(CHANNELS), hostile["paths"]


@pytest.mark.browser
def test_no_channel_of_a_rendered_page_reaches_a_private_address(hostile) -> None:
    assert hostile["leaked"] == [], hostile["log"]


@pytest.mark.browser
def test_a_rendered_crawl_listens_only_on_its_loopback_proxy(hostile) -> None:
    new = _new_listeners(hostile)
    assert len(new) == 1, new
    assert new[0].startswith(f"tcp {LOOPBACK_HEX}:"), new


def test_a_plain_crawl_opens_no_listening_socket(tmp_path: Path) -> None:
    plain = _world(tmp_path, "plain")
    assert plain["stored"] == ["1"], plain["log"]
    assert _new_listeners(plain) == []


def _new_listeners(world: dict) -> list[str]:
    site = f"tcp {LOOPBACK_HEX}:{world['site_port']:04X}"
    assert world["listening_during"], "the ad page was never fetched"
    seen = {entry for snapshot in world["listening_during"] for entry in snapshot}
    return sorted(seen - set(world["listening_before"]) - {site})


# --- the proxy and the launch options, in this process ----------------------------------------


def _authorised(proxy: FilteringProxy, head: bytes) -> bytes:
    """The head with the proxy's credentials added, as Chromium sends them."""
    token = base64.b64encode(f"{proxy.username}:{proxy.password}".encode())
    first, rest = head.split(b"\r\n", 1)
    return first + b"\r\nProxy-Authorization: Basic " + token + b"\r\n" + rest


def _through_proxy(proxy: FilteringProxy, head: bytes, *, credentials: bool = True) -> bytes:
    head = _authorised(proxy, head) if credentials else head

    async def exchange() -> bytes:
        url = await proxy.start()
        host, port = url.removeprefix("http://").rsplit(":", 1)
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(head)
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        await proxy.close()
        return answer

    return asyncio.run(exchange())


@pytest.mark.parametrize(
    "target",
    ["10.0.0.5:80", "169.254.169.254:80", "[::1]:443", "127.0.0.1:22", "platform.invalid:443"],
)
def test_the_proxy_refuses_a_tunnel_to_a_non_public_or_unresolvable_host(target: str) -> None:
    proxy = FilteringProxy(allow_loopback=False)
    answer = _through_proxy(proxy, f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 403"), answer
    assert proxy.refused == 1


def test_the_proxy_refuses_a_percent_encoded_loopback_host() -> None:
    proxy = FilteringProxy(allow_loopback=False)
    head = b"GET http://%31%32%37.0.0.1:8/ HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _through_proxy(proxy, head).startswith(b"HTTP/1.1 403")


def test_the_proxy_forwards_one_request_to_a_local_test_source_and_closes() -> None:
    site = Site()
    site.add("/regio/houten", "<p>lijst</p>")
    with site.serve() as url:
        head = f"GET {url}/regio/houten HTTP/1.1\r\nHost: x\r\nProxy-Connection: keep-alive\r\n\r\n"
        answer = _through_proxy(FilteringProxy(allow_loopback=True), head.encode())
    assert answer.startswith(b"HTTP/1.1 200"), answer
    assert answer.endswith(b"<p>lijst</p>")
    assert site.paths() == ["/regio/houten"]


def test_the_proxy_serves_no_one_without_its_credentials() -> None:
    site = Site()
    site.add("/regio/houten", "<p>lijst</p>")
    with site.serve() as url:
        head = f"GET {url}/regio/houten HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        proxy = FilteringProxy(allow_loopback=True)
        answer = _through_proxy(proxy, head, credentials=False)
    assert answer.startswith(b"HTTP/1.1 407") and site.log == []


def test_the_proxy_reads_only_http_and_connect() -> None:
    bad = (b"GET /relative HTTP/1.1\r\n\r\n", b"GET ftp://x/ HTTP/1.1\r\n\r\n", b"\xff\r\n\r\n")
    for head in bad:
        with pytest.raises(ProxyRequestError):
            parse_head(head)
    request = parse_head(b"GET http://127.0.0.1/p?q=1 HTTP/1.1\r\nConnection: keep-alive\r\n\r\n")
    assert request.origin_form == b"GET /p?q=1 HTTP/1.1\r\nConnection: close\r\n\r\n"


def test_chromium_gets_the_proxy_for_loopback_too_and_no_udp_webrtc() -> None:
    options = isolated_launch_options({"args": ["--no-sandbox"]}, "http://127.0.0.1:9999")
    assert options["proxy"] == {"server": "http://127.0.0.1:9999", "bypass": "<-loopback>"}
    with_credentials = isolated_launch_options({}, "http://127.0.0.1:9999", ("adwatch", "s"))
    assert with_credentials["proxy"]["username"] == "adwatch"
    assert "--force-webrtc-ip-handling-policy=disable_non_proxied_udp" in options["args"]
    assert isolated_context_kwargs({"service_workers": "allow"})["service_workers"] == "block"


def test_the_outbound_proxy_is_taken_from_the_environment() -> None:
    assert outbound_proxy({"https": "http://10.9.8.7:8080"}) == ("10.9.8.7", 8080)
    assert outbound_proxy({}) is None
