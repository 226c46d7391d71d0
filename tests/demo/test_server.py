"""The served platform over real HTTP on 127.0.0.1 follows the HTML/URL contract."""

from __future__ import annotations

import asyncio
import io
import json
import re

import aiohttp
import pytest
from demo_client import Client
from PIL import Image

from application.demo.content import REGIONS
from application.demo.server import DemoPlatform

PAGES = ["/", "/regio/houten", "/regio/utrecht?pagina=2", "/vip", "/advertentie/{id}"]


def crawl_region(client, slug: str) -> list[str]:
    """Follow rel=next from page 1 and return the ad ids in listing order."""
    ids, path, seen = [], f"/regio/{slug}", set()
    while path:
        assert path not in seen
        seen.add(path)
        page = client.get(path).html
        ids += [
            href.rsplit("/", 1)[1]
            for href in page.css("article.ad-card a.ad-link::attr(href)").getall()
        ]
        path = page.css("a[rel=next].volgende::attr(href)").get()
    return ids


def test_robots_txt_disallows_beheer(client):
    reply = client.get("/robots.txt", consent=False)
    assert reply.status == 200 and reply.text.splitlines() == [
        "User-agent: *",
        "Disallow: /beheer/",
    ]


def test_beheer_is_forbidden(client):
    assert client.get("/beheer/").status == 403


@pytest.mark.parametrize("path", ["/", "/regio/houten?pagina=2", "/vip", "/advertentie/1"])
def test_consent_wall_without_cookie(client, path):
    reply = client.get(path, consent=False)
    assert reply.status == 200
    assert "Deze website bevat advertenties voor volwassenen" in reply.text
    form = reply.html.css('form[method=post][action="/toestemming"]')
    assert form.css("input[type=hidden][name=next]::attr(value)").get() == path
    assert form.css("button#akkoord::text").get() == "Ik ben 18 jaar of ouder"
    assert not reply.html.css("a.ad-link")


def test_consent_sets_cookie_and_redirects_to_next(client):
    reply = client.post("/toestemming", {"next": "/regio/houten?pagina=2"})
    assert reply.status == 302 and reply.headers["Location"] == "/regio/houten?pagina=2"
    assert re.search(r"leeftijd_ok=1;.*Path=/", reply.headers["Set-Cookie"])


@pytest.mark.parametrize("target", ["https://example.org/", "//example.org/x", "regio/houten"])
def test_consent_redirects_only_to_local_paths(client, target):
    assert client.post("/toestemming", {"next": target}).headers["Location"] == "/"


def test_home_links_every_region(client):
    links = client.get("/").html.css("a::attr(href)").getall()
    assert all(f"/regio/{slug}" in links for slug in REGIONS)


@pytest.mark.parametrize("slug", sorted(REGIONS))
def test_pagination_visits_every_listed_ad_once(client, platform, slug):
    ids = crawl_region(client, slug)
    assert ids == [ad.id for ad in platform.listing(slug)]
    assert len(ids) == len(set(ids))


def test_listing_pages_hold_twenty_newest_first(client, platform):
    ids = crawl_region(client, "houten")
    assert len(client.get("/regio/houten").html.css("article.ad-card")) == 20
    posted = [platform.ad(i).posted for i in ids]
    assert posted == sorted(posted, reverse=True)
    assert 55 <= len(ids) <= 65


@pytest.mark.parametrize(
    "path", ["/regio/amersfoort", "/regio/houten?pagina=99", "/regio/houten?pagina=0"]
)
def test_unknown_listing_is_404(client, path):
    assert client.get(path).status == 404


def test_vip_raw_html_has_no_ad_links(client):
    reply = client.get("/vip?pagina=2")
    assert reply.html.css("div#vip-lijst::attr(data-pagina)").get() == "2"
    assert reply.html.css('script[src="/static/vip.js"]')
    assert 'href="/advertentie/' not in reply.text and 'class="ad-card"' not in reply.text
    assert not reply.html.css("a.ad-link, article.ad-card, a[rel=next]")


def test_vip_api_pages_through_the_vip_only_ads(client, platform):
    ids, path = [], "/vip?pagina=1"
    while path:
        data = json_of(client.get("/api" + path))
        ids += [ad["id"] for ad in data["ads"]]
        path = data["next"]
    assert ids == [ad.id for ad in platform.vip_listing()] and len(ids) == 15
    listed = {ad.id for slug in REGIONS for ad in platform.listing(slug)}
    assert not listed & set(ids)


def json_of(reply):
    assert reply.headers["Content-Type"].startswith("application/json")
    return json.loads(reply.body)


def test_detail_pages_follow_the_contract(client, platform):
    for ad in platform.ads_for_day(1):
        page = client.get(f"/advertentie/{ad.id}")
        html = page.html
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        assert html.css("h1.ad-title::text").get() == ad.title
        assert html.css("span.profile-name::text").get() == ad.name
        assert html.css("span.age::text").get() == (str(ad.age) if ad.age else None)
        assert html.css("div.ad-text p::text").getall() == ad.paragraphs
        rows = zip(
            html.css("td.duur::text").getall(), html.css("td.prijs::text").getall(), strict=True
        )
        assert tuple(rows) == ad.prices
        assert html.css("span.town::text").get() == ad.town
        assert html.css("time.posted::attr(datetime)").get() == ad.posted.isoformat()
        assert html.css("img.ad-photo::attr(src)").getall() == [f"/img/{n}" for n in ad.images]
        assert html.css("button.toon-nummer::attr(data-ad)").get() == ad.id
        assert html.css("span.telefoon[hidden]::text").get() is None


def test_phone_only_from_the_api(client, platform):
    for ad in platform.ads_for_day(1):
        html = client.get(f"/advertentie/{ad.id}").text
        assert ad.phone not in html and ad.phone_digits[1:] not in re.sub(r"\D", "", html)
        assert json_of(client.get(f"/api/telefoon/{ad.id}")) == {"telefoon": ad.phone}
    assert client.get("/api/telefoon/999").status == 404


def test_unknown_ad_is_404(client):
    reply = client.get("/advertentie/999999")
    assert reply.status == 404 and reply.headers["Content-Type"].startswith("text/html")


def test_images_are_served_with_their_type(client, platform):
    ad = next(ad for ad in platform.ads_for_day(1) if any(n.endswith(".png") for n in ad.images))
    for name in ad.images:
        reply = client.get(f"/img/{name}", consent=False)
        expected = "image/png" if name.endswith(".png") else "image/jpeg"
        assert reply.headers["Content-Type"] == expected
        assert reply.body == platform.images.get(name)
    assert client.get("/img/nothing.jpg").status == 404


def test_static_scripts_are_served(client):
    vip, reveal = client.get("/static/vip.js", consent=False), client.get("/static/reveal.js")
    assert "javascript" in vip.headers["Content-Type"] and "/api/vip" in vip.text
    assert "/api/telefoon/" in reveal.text and 'removeAttribute("hidden")' in reveal.text


def test_same_seed_serves_identical_bytes(client, platform):
    paths = [p.format(id=platform.ads_for_day(1)[7].id) for p in PAGES]
    with DemoPlatform(seed=2026).serve_in_thread() as other_url:
        other = Client(other_url)
        for path in paths:
            assert client.get(path).body == client.get(path).body == other.get(path).body


def test_request_log_records_method_and_path(client, platform):
    client.get("/regio/bunnik?pagina=1")
    assert ("GET", "/regio/bunnik?pagina=1") in platform.request_log


def test_async_serve_gives_a_working_base_url():
    platform = DemoPlatform(seed=2026)

    async def fetch() -> tuple[str, int]:
        async with (
            platform.serve(port=0) as base_url,
            aiohttp.ClientSession() as session,
            session.get(f"{base_url}/robots.txt") as response,
        ):
            return base_url, response.status

    base_url, status = asyncio.run(fetch())
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url) and status == 200
    assert platform.request_log == [("GET", "/robots.txt")]


def test_images_decode_over_http(client, platform):
    name = platform.ads_for_day(1)[0].images[0]
    assert Image.open(io.BytesIO(client.get(f"/img/{name}").body)).size == (640, 480)
