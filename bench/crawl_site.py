"""The benchmark's ad site: thousands of synthetic ad pages served by aiohttp on 127.0.0.1.

Every page is generated from a seed and rendered to bytes before the server starts, so serving
costs as little as possible and the crawlers, not the site, are what is measured. The markup
follows the demo platform's (`application/demo/pages.py`), so one source YAML reads both.

Run on its own: `python bench/crawl_site.py --ads 5000 --port 8799`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from dataclasses import dataclass
from html import escape

from aiohttp import web

PER_PAGE = 20
IN_SCOPE_SHARE = 0.8
# Region slugs and names; Houten's region page is the municipality's own (in scope).
REGIONS = {"houten": "Houten", "utrecht": "Utrecht", "nieuwegein": "Nieuwegein"}
SAMPLE_REGION = "proef"  # the first ads again, for the small rendered run

NAMES = (
    "Lotte", "Mila", "Sanne", "Yara", "Noor", "Eva", "Jade", "Bella", "Fleur", "Lisa",
    "Roos", "Isa", "Femke", "Nina", "Sara", "Luna", "Tess", "Vera", "Anouk", "Maud",
)  # fmt: skip
HOUTEN_MENTIONS = ("Houten", "Houten-Zuid", "Schalkwijk", "Castellum", "'t Goy", "3991 CE")
SENTENCES = (
    "Ik ontvang je in een schone, rustige en discrete woning met eigen parkeerplaats.",
    "Hygiëne en respect vind ik heel belangrijk, en dat verwacht ik ook van jou.",
    "Neem de tijd, dan neem ik de tijd voor jou; haast is nergens voor nodig.",
    "Ik ben spontaan, gezellig en houd van een goed gesprek bij een kop koffie.",
    "Bel minimaal een uur van tevoren, dan zorg ik dat alles klaarstaat.",
    "Massage en ontspanning staan bij mij centraal.",
    "Na een drukke werkdag even helemaal tot rust komen? Dan zit je bij mij goed.",
    "Ik ben open, eerlijk en zeg duidelijk wat ik wel en niet doe.",
    "In het weekend werk ik alleen op afspraak die vooraf is bevestigd.",
    "Ik hou van muziek, wandelen in het bos en lekker koken.",
    "Een douche en handdoeken zijn natuurlijk aanwezig.",
    "Mijn woning is makkelijk te bereiken met de auto en het openbaar vervoer.",
    "Mijn kamer heeft een groot houten bed en zachte verlichting.",
    "Stuur gerust eerst een berichtje, ik reageer meestal binnen het uur.",
)  # fmt: skip
PRICES = (("30 min", "€ 80"), ("1 uur", "€ 140"), ("2 uur", "€ 260"), ("Escort 1 uur", "€ 180"))


@dataclass(frozen=True)
class BenchAd:
    """One generated ad: where it is listed and what its page says."""

    id: str
    region: str
    title: str
    name: str
    age: int
    town: str
    paragraphs: tuple[str, ...]
    posted: str


def generate_ads(count: int, seed: int) -> list[BenchAd]:
    """`count` ads; most on Houten's region page, the rest on neighbouring towns' pages."""
    rng = random.Random(seed)
    return [_ad(rng, 100_000 + n) for n in range(count)]


def _ad(rng: random.Random, number: int) -> BenchAd:
    in_scope = rng.random() < IN_SCOPE_SHARE
    region = "houten" if in_scope else rng.choice(("utrecht", "nieuwegein"))
    name, age = rng.choice(NAMES), rng.randint(21, 45)
    town = rng.choice(HOUTEN_MENTIONS[:3]) if in_scope else REGIONS[region]
    paragraphs = [f"Hoi, ik ben {name} ({age}) en ik ontvang je graag in {town}."]
    paragraphs += rng.sample(SENTENCES, rng.randint(4, 7))
    if in_scope and rng.random() < 0.5:
        paragraphs.append(f"Je vindt me vlakbij {rng.choice(HOUTEN_MENTIONS)}.")
    if rng.random() < 0.3:
        paragraphs.append(f"Bel of app 06 1234 {rng.randint(0, 9999):04d}.")
    return BenchAd(
        id=str(number),
        region=region,
        title=f"{name} ontvangt in {town}",
        name=name,
        age=age,
        town=town,
        paragraphs=tuple(paragraphs),
        posted=f"2026-03-{rng.randint(1, 28):02d}",
    )


def _page(title: str, body: str) -> str:
    nav = " · ".join(f'<a href="/regio/{slug}">{escape(n)}</a>' for slug, n in REGIONS.items())
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)} – Benchplein (synthetisch)</title>\n</head>\n<body>\n"
        f"<header><nav>{nav}</nav></header>\n<main>\n{body}\n</main>\n"
        "<footer>Synthetische benchmarksite van adwatch.</footer>\n</body>\n</html>\n"
    )


def detail_page(ad: BenchAd) -> str:
    """An ad's own page (about 1.5 KB)."""
    text = "".join(f"<p>{escape(p)}</p>" for p in ad.paragraphs)
    rows = "".join(f"<tr><td>{escape(d)}</td><td>{escape(p)}</td></tr>" for d, p in PRICES)
    body = (
        f'<article class="ad">\n<h1 class="ad-title">{escape(ad.title)}</h1>\n'
        f'<p class="profiel"><span class="profile-name">{escape(ad.name)}</span>, '
        f'<span class="age">{ad.age}</span> jaar</p>\n<div class="ad-text">{text}</div>\n'
        f'<table class="prices">{rows}</table>\n'
        f'<p class="plaats">Plaats: <span class="town">{escape(ad.town)}</span> · Geplaatst: '
        f'<time class="posted" datetime="{ad.posted}">{ad.posted}</time></p>\n</article>'
    )
    return _page(ad.title, body)


def listing_page(slug: str, name: str, ads: list[BenchAd], page_no: int, has_next: bool) -> str:
    """One page of a region's listing: 20 ad cards and a next-page link."""
    cards = "\n".join(
        f'<article class="ad-card"><a class="ad-link" href="/advertentie/{ad.id}">'
        f'{escape(ad.title)}</a><span class="card-town">{escape(ad.town)}</span></article>'
        for ad in ads
    )
    more = (
        f'<a rel="next" href="/regio/{slug}?pagina={page_no + 1}">Volgende</a>' if has_next else ""
    )
    body = f"<h1>Advertenties in {escape(name)}</h1>\n<p>Pagina {page_no}</p>\n{cards}\n{more}"
    return _page(f"{name} – pagina {page_no}", body)


def build_pages(ads: list[BenchAd], sample: int) -> dict[str, bytes]:
    """Every page of the site by path (with query), rendered to UTF-8 bytes."""
    pages = {f"/advertentie/{ad.id}": detail_page(ad) for ad in ads}
    regions = {slug: [ad for ad in ads if ad.region == slug] for slug in REGIONS}
    regions[SAMPLE_REGION] = [ad for ad in ads if ad.region == "houten"][:sample]
    for slug, listed in regions.items():
        pages.update(_listing_pages(slug, REGIONS.get(slug, "Houten"), listed))
    pages["/robots.txt"] = "User-agent: *\nAllow: /\n"
    return {path: html.encode("utf-8") for path, html in pages.items()}


def _listing_pages(slug: str, name: str, ads: list[BenchAd]) -> dict[str, str]:
    chunks = [ads[i : i + PER_PAGE] for i in range(0, len(ads), PER_PAGE)] or [[]]
    pages = {}
    for number, chunk in enumerate(chunks, start=1):
        html = listing_page(slug, name, chunk, number, number < len(chunks))
        pages[f"/regio/{slug}?pagina={number}"] = html
        if number == 1:
            pages[f"/regio/{slug}"] = html
    return pages


def make_app(pages: dict[str, bytes]) -> web.Application:
    """An app answering every known path with its bytes, anything else with 404."""

    async def handle(request: web.Request) -> web.Response:
        body = pages.get(request.path_qs)
        if body is None:
            raise web.HTTPNotFound()
        kind = "text/plain" if request.path == "/robots.txt" else "text/html"
        return web.Response(body=body, content_type=kind, charset="utf-8")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    return app


def listed_pages(ads: list[BenchAd], regions: list[str]) -> int:
    """How many pages (listing + ad) a full crawl of these regions fetches."""
    listed = [ad for ad in ads if ad.region in regions]
    return len(listed) + sum(
        max(1, -(-len([a for a in ads if a.region == r]) // PER_PAGE)) for r in regions
    )


async def serve(pages: dict[str, bytes], port: int) -> None:
    """Listen on 127.0.0.1 until killed; print `ready <port>` once listening."""
    runner = web.AppRunner(make_app(pages), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    print(f"ready {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Build the pages from the seed and serve them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ads", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=100, help="ads on the /regio/proef listing")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    pages = build_pages(generate_ads(args.ads, args.seed), args.sample)
    asyncio.run(serve(pages, args.port))


if __name__ == "__main__":
    main(sys.argv[1:])
