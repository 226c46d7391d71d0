"""The address guard: no request, redirect hop or connection may reach a non-public address.

The middleware is checked directly, and end to end with a non-local source. That source's host
(`platform.example`, a name that never resolves) is reached through an HTTP proxy on 127.0.0.1, so
the crawler itself never connects to 127.0.0.1, 10.x or 192.168.x: had the guard let a hop through,
the proxy would have received it, and its log shows that it never did.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from types import SimpleNamespace

import pytest
import scrapy
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.http import Request, Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from adwatch.config.sources import SourceConfig
from crawler.http_client import (
    GuardedAiohttpDownloadHandler,
    NonPublicSocketRefused,
    guarded_socket_factory,
    proxy_addresses,
)
from crawler.middlewares import (
    NonPublicAddressRefused,
    PublicAddressMiddleware,
    address_allowed,
    normalised_host,
)
from crawler.runtime import BrowserRequestFilter
from crawler.spiders.platform import PlatformSpider
from tests.crawler.sites import Instance, Site, ad_html, listing_html, png_bytes, source_config

NON_PUBLIC = [
    "127.0.0.1",
    "127.1",
    "2130706433",  # 127.0.0.1 written as one number
    "0x7f.0.0.1",
    "localhost",
    "0.0.0.0",
    "10.1.2.3",
    "172.16.5.4",
    "192.168.1.20",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "[::1]",
    "[fe80::1]",
    "[fc00::1]",
    "[::ffff:10.0.0.1]",
]


@pytest.mark.parametrize("host", NON_PUBLIC)
def test_non_public_hosts_are_refused_before_any_connection(host: str) -> None:
    guard = PublicAddressMiddleware(allow_loopback=False)
    with pytest.raises(NonPublicAddressRefused):
        guard.process_request(Request(f"http://{host}/advertentie/1"))


def test_a_public_address_passes() -> None:
    guard = PublicAddressMiddleware(allow_loopback=False)
    assert guard.process_request(Request("http://93.184.215.14/regio/houten")) is None
    assert address_allowed("2606:4700::1", allow_loopback=False)


def test_a_local_test_source_may_use_loopback_but_nothing_else_private() -> None:
    guard = PublicAddressMiddleware(allow_loopback=True)
    assert guard.process_request(Request("http://127.0.0.1:8765/regio/houten")) is None
    for host in ("10.1.2.3", "192.168.1.20", "169.254.169.254"):
        with pytest.raises(NonPublicAddressRefused):
            guard.process_request(Request(f"http://{host}/"))


def test_a_redirect_hop_to_a_private_address_is_refused() -> None:
    crawler = get_crawler()
    redirects = RedirectMiddleware.from_crawler(crawler)
    guard = PublicAddressMiddleware(allow_loopback=False)
    request = Request("http://93.184.215.14/advertentie/3")
    response = Response(
        request.url, status=302, headers={"Location": "http://10.0.0.5/x"}, request=request
    )
    hop = redirects.process_response(request, response)
    assert isinstance(hop, Request) and hop.url == "http://10.0.0.5/x"
    with pytest.raises(NonPublicAddressRefused):
        guard.process_request(hop)


# --- end to end ------------------------------------------------------------------------------

HOST = "platform.example"
PRIVATE_TARGETS = {"3": "http://10.0.0.5/advertentie/3", "4": "http://192.168.1.20/advertentie/4"}


def _guarded_site(site: Site, self_url: str) -> None:
    site.add("/regio/houten", listing_html([f"/advertentie/{i}" for i in "12345"]))
    site.add("/regio/lokaal", "", status=302, Location=f"{self_url}/regio/houten")
    site.add("/advertentie/1", ad_html("Titel een", "In Houten.", images=("/img/1.png",)))
    site.add("/advertentie/2", "", status=302, Location=f"{self_url}/advertentie/2")
    for ad_id, target in PRIVATE_TARGETS.items():
        site.add(f"/advertentie/{ad_id}", "", status=302, Location=target)
    site.add("/advertentie/5", "", status=301, Location="/advertentie/55")
    images = ("/img/5.png", "/img/omweg.png", "http://169.254.169.254/latest/meta-data")
    site.add("/advertentie/55", ad_html("Titel vijf", "In Houten.", images=images))
    site.add("/img/omweg.png", "", status=302, Location="http://10.0.0.9/img.png")
    for name in ("1", "5"):
        site.add(f"/img/{name}.png", png_bytes((int(name) * 40, 30, 90)), Content_Type="image/png")


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory):
    """A non-local source on platform.example, reached through a proxy on 127.0.0.1."""
    # The name resolves only at the proxy, so it must be listed (issue 16, finding 3).
    instance = Instance(tmp_path_factory.mktemp("guard"), {"proxy_resolved_hosts": [HOST]})
    site = Site()
    with site.serve() as proxy_url:
        _guarded_site(site, proxy_url)
        regions = [
            {"name": "Houten", "path": "/regio/houten", "in_scope": True},
            {"name": "Lokaal", "path": "/regio/lokaal"},
        ]
        config = source_config("extern", f"http://{HOST}", regions=regions)
        config["local_test_source"] = False
        instance.add_source(config)
        proxy = {"http_proxy": proxy_url, "HTTP_PROXY": proxy_url, "no_proxy": "", "NO_PROXY": ""}
        result = instance.crawl("extern", extra_env=proxy)
    return instance, site, result


def test_the_proxy_only_ever_saw_the_public_host(guarded) -> None:
    instance, site, result = guarded
    assert result.returncode == 0, result.stderr[-3000:]
    assert "/advertentie/55" in site.paths(HOST), instance.log_text()[-3000:]
    assert site.hosts() == {HOST}, site.log


def test_ads_behind_private_redirects_are_not_stored_and_public_hops_are(guarded) -> None:
    instance, _, _ = guarded
    assert instance.stored_ids() == {"1", "5"}


def test_the_refusals_are_counted_in_the_run(guarded) -> None:
    instance, _, _ = guarded
    (run,) = instance.runs()
    assert run.status == "finished"
    # ads 2, 3, 4 and the Lokaal listing; the two refused image hops count as errors only.
    assert run.stats.get("refused") == 4, run.stats
    assert run.stats.get("errors") == 6, run.stats
    assert run.stats.get("listing_incomplete") == 1, run.stats
    refusals = [line for line in instance.log_text().splitlines() if "NonPublicAddress" in line]
    assert len([line for line in refusals if "WARNING" in line]) == 6, refusals


def test_through_a_proxy_an_unlisted_name_that_does_not_resolve_is_refused(tmp_path) -> None:
    """Issue 16, finding 3: the proxy would have resolved it, to anything internal."""
    instance = Instance(tmp_path)
    site = Site()
    with site.serve() as proxy_url:
        _guarded_site(site, proxy_url)
        config = source_config("extern", f"http://{HOST}")
        config["local_test_source"] = False
        instance.add_source(config)
        proxy = {"http_proxy": proxy_url, "HTTP_PROXY": proxy_url, "no_proxy": "", "NO_PROXY": ""}
        instance.crawl("extern", extra_env=proxy)
    assert site.log == []
    (run,) = instance.runs()
    assert run.stats.get("refused") == 1, run.stats


@pytest.mark.parametrize(
    "host",
    ["%31%32%37.0.0.1", "127.0.0.1.", "LOCALHOST", "%6c%6f%63%61%6c%68%6f%73%74", "10%2e0.0.1"],
)
def test_hosts_are_normalised_before_the_check(host: str) -> None:
    guard = PublicAddressMiddleware(allow_loopback=False, unresolved_allowed=frozenset({HOST}))
    with pytest.raises(NonPublicAddressRefused):
        guard.process_request(Request(f"http://{host}/advertentie/1"))


def test_a_listed_name_is_normalised_too() -> None:
    assert normalised_host("Platform.Example.") == HOST
    assert address_allowed(HOST, allow_loopback=False, unresolved_allowed=frozenset({HOST}))
    assert not address_allowed("andere.example", allow_loopback=False)


# --- at connect time -------------------------------------------------------------------------
# The middleware checks a host when the request is made; a DNS answer that changes before the
# connection (DNS rebinding) would slip past it. The plain-HTTP client checks every socket.


def _fetch(url: str, *, local_test_source: bool):
    """One download through the plain-HTTP client, as a source's crawl would make it."""
    source = SimpleNamespace(local_test_source=local_test_source)
    spider_class = type("GuardSpider", (scrapy.Spider,), {"name": "guard", "source": source})

    async def download():
        handler = GuardedAiohttpDownloadHandler(get_crawler(spider_class))
        try:
            return await handler.download_request(Request(url, meta={"download_timeout": 10}))
        finally:
            await handler.close()

    return asyncio.run(download())


def test_a_name_that_resolves_to_loopback_is_refused_at_connect_time() -> None:
    site = Site()
    site.add("/regio/houten", listing_html(["/advertentie/1"]))
    with site.serve() as url:
        port = url.rsplit(":", 1)[1]
        # `localhost` stands for a public name whose DNS answer turned private after the check.
        with pytest.raises(NonPublicAddressRefused, match=r"127\.0\.0\.1|::1"):
            _fetch(f"http://localhost:{port}/regio/houten", local_test_source=False)
    assert site.log == []


def test_a_local_test_source_still_reaches_loopback_through_the_client() -> None:
    site = Site()
    site.add("/regio/houten", listing_html(["/advertentie/1"]))
    with site.serve() as url:
        response = _fetch(f"{url}/regio/houten", local_test_source=True)
    assert response.status == 200
    assert b"/advertentie/1" in response.body
    assert [hit.path for hit in site.log] == ["/regio/houten"]


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "169.254.169.254", "::1"])
def test_the_socket_factory_refuses_non_public_addresses(address: str) -> None:
    create = guarded_socket_factory(allow_loopback=False)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with pytest.raises(NonPublicSocketRefused):
        create((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, 80)))


def test_an_outbound_proxy_on_a_private_address_is_allowed() -> None:
    proxies = proxy_addresses({"http": "http://10.9.8.7:3128", "ftp": "ftp://10.1.1.1"})
    assert proxies == {ipaddress.ip_address("10.9.8.7")}
    create = guarded_socket_factory(allow_loopback=False, allowed=proxies)
    addr_info = (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("10.9.8.7", 3128))
    with create(addr_info) as sock:
        assert sock.family == socket.AF_INET
    with pytest.raises(NonPublicSocketRefused):
        create((socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("10.1.1.1", 21)))


# --- in the browser (render: true) ------------------------------------------------------------
# A rendered page's own scripts, frames and images would reach non-public addresses past the
# middleware, which sees only the page request itself.


def _aborted(browser_filter: BrowserRequestFilter, url: str, resource_type: str = "fetch"):
    request = SimpleNamespace(url=url, resource_type=resource_type)
    return asyncio.run(browser_filter(request))


@pytest.mark.parametrize("url", ["http://10.0.0.5/api", "http://169.254.169.254/latest/meta-data"])
def test_the_browser_makes_no_request_to_a_private_address(url: str) -> None:
    assert _aborted(BrowserRequestFilter(allow_loopback=False), url)
    assert _aborted(BrowserRequestFilter(allow_loopback=True), url)


def test_the_browser_reaches_loopback_only_for_a_local_test_source() -> None:
    assert _aborted(BrowserRequestFilter(allow_loopback=False), "http://localhost:8080/regio")
    assert not _aborted(BrowserRequestFilter(allow_loopback=True), "http://127.0.0.1:8080/regio")


def test_the_browser_still_loads_public_pages_and_inline_data_and_skips_media() -> None:
    browser_filter = BrowserRequestFilter(allow_loopback=False)
    assert not _aborted(browser_filter, "http://93.184.215.14/regio/houten", "document")
    assert not _aborted(browser_filter, "data:image/png;base64,iVBORw0KGgo=", "image")
    assert _aborted(browser_filter, "http://93.184.215.14/clip.mp4", "media")


@pytest.mark.parametrize("local", [True, False])
def test_a_rendered_source_gets_the_filter_for_its_own_addresses(local: bool) -> None:
    config = source_config("gerenderd", "http://127.0.0.1:8765", render=True)
    config["local_test_source"] = local
    spider_class = PlatformSpider.for_source(SourceConfig.model_validate(config))
    settings = Settings()
    spider_class.update_settings(settings)
    browser_filter = settings["PLAYWRIGHT_ABORT_REQUEST"]
    assert isinstance(browser_filter, BrowserRequestFilter)
    assert browser_filter.allow_loopback is local
