"""Tiny synthetic ad sites on 127.0.0.1 for the crawler's hostile-input and fault tests.

A `Site` maps paths to replies (fixed, or an async function of the request) and logs every request
it receives, so tests can assert what the crawler did and did not fetch. `Instance` builds a
throw-away config folder (copies of `adwatch.yaml` and `locations.yaml`, plus the test's own
source files) and data folder, and runs `adwatch crawl` against it in a child process.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import struct
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web
from PIL import Image
from sqlalchemy import select

from adwatch.storage.db import Database
from adwatch.storage.models import Ad, CrawlRun
from tests.helpers import CONFIG_DIR, instance_env, migrated_database, run_cli

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Reply = web.StreamResponse | Handler


@dataclass(frozen=True)
class Hit:
    """One request the site received: the Host it was addressed to, its path and when."""

    host: str
    path: str
    at: float
    user_agent: str = ""


class Site:
    """A synthetic site: `site.routes[path]` is a reply; anything else answers 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[web.Request], Awaitable[web.StreamResponse]]] = {}
        self.log: list[Hit] = []

    def add(self, path: str, body: str | bytes, status: int = 200, **headers: str) -> None:
        """Serve a fixed reply at `path` (HTML unless a Content-Type header is given)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {k.replace("_", "-"): v for k, v in headers.items()}
        headers.setdefault("Content-Type", "text/html; charset=utf-8")

        async def reply(request: web.Request) -> web.Response:
            return web.Response(body=data, status=status, headers=headers)

        self.routes[path] = reply

    def add_handler(self, path: str, handler: Handler) -> None:
        """Serve `path` with an async function of the request."""
        self.routes[path] = handler

    def paths(self, host: str | None = None) -> list[str]:
        """Paths requested so far, in order (only those addressed to `host`, if given)."""
        return [hit.path for hit in self.log if host is None or hit.host == host]

    def times(self, path: str) -> list[float]:
        """When `path` was requested (monotonic seconds), in order."""
        return [hit.at for hit in self.log if hit.path == path]

    def hosts(self) -> set[str]:
        """Every Host a request was addressed to."""
        return {hit.host for hit in self.log}

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        agent = request.headers.get("User-Agent", "")
        self.log.append(Hit(request.host, request.path_qs, time.monotonic(), agent))
        handler = self.routes.get(request.path_qs) or self.routes.get(request.path)
        if handler is None:
            return web.Response(status=404, text="niet gevonden")
        return await handler(request)

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve on a free port of 127.0.0.1 from a background thread; yield the base URL."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="test-site", daemon=True)
        thread.start()
        runner = web.AppRunner(app, access_log=None)
        started: Future[str] = asyncio.run_coroutine_threadsafe(_start(runner), loop)
        try:
            yield started.result(timeout=10)
        finally:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()


async def _start(runner: web.AppRunner) -> str:
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return f"http://{host}:{port}"


# --- pages -----------------------------------------------------------------------------------


def listing_html(links: list[str], next_href: str | None = None) -> str:
    """A listing page with one card per ad link, and an optional next-page link."""
    cards = "\n".join(
        f'<article><a class="ad-link" href="{escape(h)}">ad</a></article>' for h in links
    )
    more = f'<a rel="next" href="{escape(next_href)}">volgende</a>' if next_href else ""
    return (
        f"<!doctype html><html><head><title>Regio</title></head><body>{cards}{more}</body></html>"
    )


def ad_html(title: str, text: str, town: str = "Houten", images: tuple[str, ...] = ()) -> str:
    """A well-formed ad detail page in the layout `source_config` reads."""
    imgs = "".join(f'<img class="ad-photo" src="{escape(src)}">' for src in images)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><h1 class='ad-title'>{escape(title)}</h1><span class='town'>{escape(town)}</span>"
        f"<div class='ad-text'><p>{escape(text)}</p></div>{imgs}</body></html>"
    )


def png_bytes(
    colour: tuple[int, int, int] = (200, 120, 40), size: tuple[int, int] = (32, 24)
) -> bytes:
    """A small real PNG with a pattern (so its hashes are not degenerate)."""
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 4):
        for y in range(size[1]):
            image.putpixel((x, y), (255 - colour[0], 255 - colour[1], 255 - colour[2]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real JPEG."""
    out = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width`×`height` pixels: a decompression bomb's shape."""
    raw = png_bytes(size=(1, 1))
    ihdr_at = raw.index(b"IHDR")
    body = bytearray(raw[ihdr_at : ihdr_at + 4 + 13])
    body[4:12] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(bytes(body)) & 0xFFFFFFFF)
    return raw[:ihdr_at] + bytes(body) + crc + raw[ihdr_at + 4 + 13 + 4 :]


# --- instances -------------------------------------------------------------------------------


def source_config(name: str, base_url: str, **overrides: Any) -> dict[str, Any]:
    """A source YAML (as a dict) for the layout of `listing_html` and `ad_html`."""
    config: dict[str, Any] = {
        "name": name,
        "title": f"Testplatform {name} (synthetisch)",
        "base_url": base_url,
        "local_test_source": True,
        "regions": [{"name": "Houten", "path": "/regio/houten", "in_scope": True}],
        "listing": {"ad_links": "a.ad-link::attr(href)", "next_page": "a[rel=next]::attr(href)"},
        "ad": {
            "id_from_url": "/advertentie/(?P<id>[0-9]+)",
            "fields": {
                "title": "h1.ad-title",
                "text": "div.ad-text",
                "town": ".town",
                "images": "img.ad-photo::attr(src)",
            },
            "required": ["title", "text"],
        },
        "politeness": {"requests_per_second": 200, "concurrency": 8, "robots": "obey"},
    }
    config.update(overrides)
    return config


@dataclass
class Instance:
    """A throw-away adwatch instance: its own config folder, data folder and database."""

    root: Path
    crawl_limits: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.config_dir = self.root / "config"
        self.data_dir = self.root / "data"
        (self.config_dir / "sources").mkdir(parents=True)
        self.data_dir.mkdir(parents=True)
        shutil.copy(CONFIG_DIR / "locations.yaml", self.config_dir)
        app = yaml.safe_load((CONFIG_DIR / "adwatch.yaml").read_text(encoding="utf-8"))
        app["crawl"].update(self.crawl_limits)
        self.write_yaml("adwatch.yaml", app)
        self.env = instance_env(self.data_dir, self.config_dir)
        self.db: Database = migrated_database(self.data_dir)

    def write_yaml(self, relative: str, data: object) -> Path:
        """Write a YAML file under the config folder."""
        path = self.config_dir / relative
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    def add_source(self, config: dict[str, Any]) -> Path:
        """Write `sources/<name>.yaml`."""
        return self.write_yaml(f"sources/{config['name']}.yaml", config)

    def crawl(self, *names: str, extra_env: dict[str, str] | None = None):
        """`adwatch crawl NAMES --no-progress` in a child process."""
        return run_cli(
            {**self.env, **(extra_env or {})}, "crawl", *names, "--no-progress", timeout=120
        )

    def stored_ids(self) -> set[str]:
        """source_ad_id of every stored ad."""
        with self.db.reading() as session:
            return set(session.scalars(select(Ad.source_ad_id)).all())

    def runs(self) -> list[CrawlRun]:
        """Every run record, oldest first."""
        with self.db.reading() as session:
            return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all())

    def log_text(self) -> str:
        """The crawl log, for diagnostics in assertion messages."""
        path = self.data_dir / "logs" / "crawl.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def alarm_kinds(run: CrawlRun) -> list[str]:
    """The kinds of the alarms recorded in a run."""
    return [alarm["kind"] for alarm in run.alarms]
