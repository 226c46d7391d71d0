"""The instance's Scrapy settings, from `ADWATCH_*` and `config/adwatch.yaml`."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from adwatch import __version__
from adwatch.chromium import launch_options
from adwatch.config.schemas import load_app_config
from adwatch.config.settings import Settings, load_settings
from crawler.middlewares import address_allowed, normalised_host

BROWSER_SKIPPED_RESOURCES = {"media", "font", "websocket", "eventsource", "manifest"}


def instance_settings(settings: Settings | None = None) -> dict[str, Any]:
    """Settings that depend on this instance: user agent, limits, paths, browser."""
    settings = settings or load_settings()
    app = load_app_config(settings.config_dir)
    limits = app.crawl
    launch = launch_options(settings.chromium_path)
    return {
        "USER_AGENT": app.user_agent(__version__),
        "DOWNLOAD_TIMEOUT": limits.download_timeout_s,
        "DOWNLOAD_MAXSIZE": limits.max_response_bytes,
        "DOWNLOAD_WARNSIZE": min(limits.max_response_bytes, 2_000_000),
        "RETRY_TIMES": limits.retry_times,
        "ADWATCH_MAX_RETRY_AFTER_S": limits.max_retry_after_s,
        "ADWATCH_MAX_IMAGE_BYTES": limits.max_image_bytes,
        "ADWATCH_MAX_IMAGE_PIXELS": limits.max_image_pixels,
        "ADWATCH_PROXY_RESOLVED_HOSTS": list(limits.proxy_resolved_hosts),
        "ADWATCH_MONITORS": app.monitors.model_dump(),
        "ADWATCH_CONFIG_DIR": str(settings.config_dir),
        "ADWATCH_DATA_DIR": str(settings.data_dir),
        "ADWATCH_DATABASE_URL": settings.database_url,
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "LOG_LEVEL": settings.log_level,
    }


class BrowserRequestFilter:
    """`PLAYWRIGHT_ABORT_REQUEST` of a rendered source: which of a page's requests Chromium must
    not make. Media and fonts are not evidence and cost time. Any request to a host that resolves
    to a non-public address is refused too: the page's own scripts, frames and images would
    otherwise reach the municipality's network past the address guard (loopback is allowed for a
    local test source). The filtering proxy (`crawler.browser_proxy`) checks every connection,
    this filter only spares it the requests it would refuse anyway."""

    def __init__(
        self, allow_loopback: bool, unresolved_allowed: frozenset[str] = frozenset()
    ) -> None:
        self.allow_loopback = allow_loopback
        self.unresolved_allowed = frozenset(normalised_host(h) for h in unresolved_allowed)

    async def __call__(self, request: Any) -> bool:
        if request.resource_type in BROWSER_SKIPPED_RESOURCES:
            return True
        host = urlsplit(request.url).hostname
        if host is None:  # data:, blob:, about: — no network
            return False
        allowed = await asyncio.to_thread(
            address_allowed,
            host,
            allow_loopback=self.allow_loopback,
            unresolved_allowed=self.unresolved_allowed,
        )
        return not allowed


abort_browser_request = BrowserRequestFilter(allow_loopback=False)
