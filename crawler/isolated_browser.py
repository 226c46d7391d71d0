"""scrapy-playwright's download handler with Chromium isolated from the municipality's network.

Finding 1 of issue 16 (a rendered page reached private addresses through a WebSocket, a pop-up,
a service worker and WebRTC). Here:
- Chromium's only route out is `crawler.browser_proxy.FilteringProxy`, started for the crawl
  (loopback traffic included, which Chromium would otherwise send past a proxy);
- Chromium resolves no name itself, and WebRTC may use no UDP that bypasses the proxy;
- every context blocks service workers, and pop-ups are closed as soon as they open.
The per-page `PLAYWRIGHT_ABORT_REQUEST` filter stays as a cheap first check.
"""

from __future__ import annotations

import logging
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.browser_proxy import FilteringProxy
from crawler.middlewares import normalised_host

log = logging.getLogger(__name__)
ISOLATION_ARGS = [
    # STUN/TURN over UDP would leave past the proxy; only proxied (TCP) WebRTC remains.
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--enforce-webrtc-ip-permission-check",
    # No DNS lookups by Chromium: the proxy resolves (and checks) every name.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-features=DnsOverHttps,NetworkPrediction",
    "--dns-prefetch-disable",
]


def isolated_launch_options(
    launch: dict[str, Any], proxy_url: str, credentials: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Playwright launch options with the proxy as Chromium's only way out."""
    args = [*launch.get("args", []), *ISOLATION_ARGS]
    # `<-loopback>`: loopback addresses go through the proxy too instead of straight out.
    proxy = {"server": proxy_url, "bypass": "<-loopback>"}
    if credentials is not None:
        proxy.update(username=credentials[0], password=credentials[1])
    return {**launch, "args": args, "proxy": proxy}


def isolated_context_kwargs(kwargs: dict[str, Any] | None) -> dict[str, Any]:
    """Browser-context options: no service workers, whatever the caller asked."""
    return {**(kwargs or {}), "service_workers": "block"}


def outbound_proxy(proxies: dict[str, str] | None = None) -> tuple[str, int] | None:
    """The municipality's outbound HTTP proxy (`https_proxy`, else `http_proxy`), if any."""
    found = urllib.request.getproxies() if proxies is None else proxies
    for scheme in ("https", "http"):
        url = urlsplit(found.get(scheme, ""))
        if url.hostname:
            return url.hostname, url.port or 3128
    return None


async def close_popup(page: Any) -> None:
    """A page a script opened (`window.open`, `target=_blank`) is closed at once."""
    if await page.opener() is not None:
        log.info("closed a pop-up a rendered page opened")
        await page.close()


class IsolatedPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """The Playwright handler, with the filtering proxy started before Chromium."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        source = getattr(crawler.spidercls, "source", None)
        listed = crawler.settings.getlist("ADWATCH_PROXY_RESOLVED_HOSTS")
        self.proxy = FilteringProxy(
            allow_loopback=bool(source and source.local_test_source),
            unresolved_allowed=frozenset(normalised_host(h) for h in listed),
            upstream=outbound_proxy(),
        )
        self.proxy_url: str | None = None

    async def _maybe_launch_browser(self) -> None:
        # The proxy starts with the browser: a handler that never launches one (Scrapy makes one
        # per scheme) leaves no listening socket behind.
        if self.proxy_url is None:
            self.proxy_url = await self.proxy.start()
            credentials = (self.proxy.username, self.proxy.password)
            options = isolated_launch_options(
                self.config.launch_options, self.proxy_url, credentials
            )
            self.config.launch_options = options
        await super()._maybe_launch_browser()

    async def _create_browser_context(
        self, name: str, context_kwargs: dict | None, spider: Any = None
    ) -> Any:
        wrapper = await super()._create_browser_context(
            name, isolated_context_kwargs(context_kwargs), spider
        )
        wrapper.context.on("page", close_popup)
        return wrapper

    async def _close(self) -> None:
        try:
            await super()._close()
        finally:
            await self.proxy.close()
            if self.proxy.refused:
                self.stats.set_value("adwatch/browser_proxy_refused", self.proxy.refused)
