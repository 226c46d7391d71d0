"""The demo platform's web server: aiohttp routes over the generated content, one day at a time.

Run standalone with `python -m application.demo.server --port 8765 --day 1`. Tests and `adwatch
demo`
use `DemoPlatform.serve()` (asyncio) or `serve_in_thread()` (for sync code such as Scrapy).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import Future
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from aiohttp import web

from application.demo import pages as templates
from application.demo.content import REGIONS, DayChanges, DemoAd, build_content
from application.demo.images import ImageStore, content_type

CONSENT_COOKIE = "leeftijd_ok"
PAGE_SIZE = 20
VIP_PAGE_SIZE = 10
STATIC_DIR = Path(__file__).parent / "static"
ROBOTS_TXT = "User-agent: *\nDisallow: /beheer/\n"
# Paths that are not HTML pages (or are the wall itself), so the consent wall never covers them.
_NO_WALL = ("/robots.txt", "/static/", "/img/", "/api/", "/beheer/", "/toestemming")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class DemoPlatform:
    """The synthetic ad platform: generated content, the day it shows, and its web app."""

    def __init__(self, seed: int = 2026, day: int = 1, n_ads: int = 150) -> None:
        self.seed = seed
        self.content = build_content(seed, n_ads)
        self.images = ImageStore(self.content.images)
        self.request_log: list[tuple[str, str]] = []
        self.day = day
        self._by_id: dict[str, DemoAd] = {}
        self.set_day(day)

    def set_day(self, day: int) -> None:
        """Show the platform as it is on `day` (1 or 2), also while serving."""
        if day not in self.content.days:
            raise ValueError(f"day must be one of {sorted(self.content.days)}, got {day}")
        self._by_id = {ad.id: ad for ad in self.content.days[day]}
        self.day = day

    @property
    def changes(self) -> DayChanges:
        """Ids added, removed, edited and phone-rotated between day 1 and day 2."""
        return self.content.changes

    def ads_for_day(self, day: int) -> list[DemoAd]:
        """Ground truth: every ad online on `day`, VIP-only ones included."""
        return list(self.content.days[day])

    def ad(self, ad_id: str) -> DemoAd | None:
        """The ad with this id on the current day, or None when it is not online."""
        return self._by_id.get(ad_id)

    def listing(self, slug: str) -> list[DemoAd]:
        """A region page's ads on the current day, newest first (VIP-only ads excluded)."""
        ads = [ad for ad in self._by_id.values() if ad.region == slug and not ad.vip]
        return sorted(ads, key=lambda ad: (ad.posted, int(ad.id)), reverse=True)

    def vip_listing(self) -> list[DemoAd]:
        """The VIP section's ads on the current day, newest first."""
        ads = [ad for ad in self._by_id.values() if ad.vip]
        return sorted(ads, key=lambda ad: (ad.posted, int(ad.id)), reverse=True)

    def make_app(self) -> web.Application:
        """The aiohttp application serving this platform."""
        app = web.Application(middlewares=[_log_and_wall])
        app[PLATFORM] = self
        app.add_routes(_ROUTES)
        app.router.add_static("/static/", STATIC_DIR)
        return app

    @asynccontextmanager
    async def serve(self, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
        """Serve on `host:port` (0 picks a free port) and yield the base URL."""
        runner = web.AppRunner(self.make_app(), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
            bound_host, bound_port = runner.addresses[0][:2]
            yield f"http://{bound_host}:{bound_port}"
        finally:
            await runner.cleanup()

    @contextmanager
    def serve_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve from a background thread with its own event loop; yield the base URL."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="adwatch-demo", daemon=True)
        thread.start()
        started: Future[str] = Future()
        stop = asyncio.Event()

        async def run() -> None:
            try:
                async with self.serve(host, port) as url:
                    started.set_result(url)
                    await stop.wait()
            except OSError as exc:
                started.set_exception(exc)

        running = asyncio.run_coroutine_threadsafe(run(), loop)
        try:
            yield started.result()
        finally:
            loop.call_soon_threadsafe(stop.set)
            running.result()
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()


PLATFORM = web.AppKey("platform", DemoPlatform)
_ROUTES = web.RouteTableDef()


@web.middleware
async def _log_and_wall(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record the request, show the 18+ wall to visitors without the cookie, render 404s."""
    request.app[PLATFORM].request_log.append((request.method, request.path_qs))
    if _needs_wall(request):
        return _html(templates.consent_page(request.path_qs))
    try:
        return await handler(request)
    except web.HTTPNotFound:
        if request.path.startswith("/api/"):
            return web.json_response({"fout": "niet gevonden"}, status=404)
        return _html(templates.message_page("Niet gevonden", "Deze pagina bestaat niet."), 404)


def _needs_wall(request: web.Request) -> bool:
    if request.method not in ("GET", "HEAD") or request.cookies.get(CONSENT_COOKIE) == "1":
        return False
    return not request.path.startswith(_NO_WALL)


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def _page_number(request: web.Request, pages: int) -> int:
    """The `pagina` query parameter; 404 when it is not a page that exists."""
    raw = request.query.get("pagina", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= max(pages, 1):
        raise web.HTTPNotFound()
    return int(raw)


def _pages(count: int, size: int) -> int:
    return math.ceil(count / size)


@_ROUTES.get("/robots.txt")
async def robots(request: web.Request) -> web.Response:
    """The robots.txt that forbids /beheer/."""
    return web.Response(text=ROBOTS_TXT, content_type="text/plain", charset="utf-8")


@_ROUTES.post("/toestemming")
async def consent(request: web.Request) -> web.Response:
    """Accept the 18+ wall: set the cookie and go back to the requested local path."""
    target = str((await request.post()).get("next", "/"))
    if not target.startswith("/") or target.startswith("//") or any(c in target for c in "\\\r\n"):
        target = "/"
    response = web.Response(status=302, headers={"Location": target})
    response.set_cookie(CONSENT_COOKIE, "1", path="/")
    return response


@_ROUTES.get("/")
async def home(request: web.Request) -> web.Response:
    """The front page with a link per region."""
    platform = request.app[PLATFORM]
    return _html(templates.home_page({slug: len(platform.listing(slug)) for slug in REGIONS}))


@_ROUTES.get("/regio/{slug}")
async def region(request: web.Request) -> web.Response:
    """A region's listing, PAGE_SIZE ads per page."""
    slug = request.match_info["slug"]
    if slug not in REGIONS:
        raise web.HTTPNotFound()
    ads = request.app[PLATFORM].listing(slug)
    page_no = _page_number(request, _pages(len(ads), PAGE_SIZE))
    shown = ads[(page_no - 1) * PAGE_SIZE : page_no * PAGE_SIZE]
    has_next = page_no * PAGE_SIZE < len(ads)
    return _html(templates.listing_page(slug, shown, page_no, has_next))


@_ROUTES.get("/vip")
async def vip(request: web.Request) -> web.Response:
    """The JavaScript-rendered VIP section's shell page."""
    ads = request.app[PLATFORM].vip_listing()
    return _html(templates.vip_page(_page_number(request, _pages(len(ads), VIP_PAGE_SIZE))))


@_ROUTES.get("/api/vip")
async def api_vip(request: web.Request) -> web.Response:
    """One page of VIP ads as JSON, for vip.js."""
    ads = request.app[PLATFORM].vip_listing()
    page_no = _page_number(request, _pages(len(ads), VIP_PAGE_SIZE))
    shown = ads[(page_no - 1) * VIP_PAGE_SIZE : page_no * VIP_PAGE_SIZE]
    more = page_no * VIP_PAGE_SIZE < len(ads)
    return web.json_response(
        {
            "ads": [{"id": ad.id, "title": ad.title, "town": ad.town} for ad in shown],
            "next": f"/vip?pagina={page_no + 1}" if more else None,
        }
    )


@_ROUTES.get("/advertentie/{ad_id}")
async def detail(request: web.Request) -> web.Response:
    """An ad's detail page; 404 when the ad is not online today."""
    ad = request.app[PLATFORM].ad(request.match_info["ad_id"])
    if ad is None:
        raise web.HTTPNotFound()
    return _html(templates.detail_page(ad))


@_ROUTES.get("/api/telefoon/{ad_id}")
async def api_phone(request: web.Request) -> web.Response:
    """The phone number behind the 'Toon nummer' button."""
    ad = request.app[PLATFORM].ad(request.match_info["ad_id"])
    if ad is None:
        raise web.HTTPNotFound()
    return web.json_response({"telefoon": ad.phone})


@_ROUTES.get("/img/{name}")
async def image(request: web.Request) -> web.Response:
    """A generated photo, rendered once and then served from memory."""
    platform, name = request.app[PLATFORM], request.match_info["name"]
    if name not in platform.images:
        raise web.HTTPNotFound()
    return web.Response(body=platform.images.get(name), content_type=content_type(name))


@_ROUTES.get("/beheer/{rest:.*}")
async def admin(request: web.Request) -> web.Response:
    """The robots-disallowed admin area: always forbidden."""
    return _html(templates.message_page("Geen toegang", "Dit deel is alleen voor beheerders."), 403)


def main(argv: list[str] | None = None) -> None:
    """Serve the demo platform until interrupted."""
    parser = argparse.ArgumentParser(description="Serve the synthetic adwatch demo ad platform.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--day", type=int, choices=(1, 2), default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--ads", type=int, default=150, help="number of ads on day 1")
    args = parser.parse_args(argv)
    platform = DemoPlatform(seed=args.seed, day=args.day, n_ads=args.ads)
    web.run_app(platform.make_app(), host=args.host, port=args.port, access_log=None)


if __name__ == "__main__":
    main()
