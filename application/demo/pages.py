"""HTML for the demo platform: one function per page, every value escaped with `html.escape`.

The markup (class names, ids, attributes) is a contract the crawler's source YAML depends on;
output depends only on its arguments, so an unchanged page has the same bytes on every request.
"""

from __future__ import annotations

from html import escape

from application.demo.phrases import MONTHS
from application.demo.records import REGIONS, DemoAd

SITE_NAME = "Kontaktplein Midden (demo)"
_STYLE = (
    "body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem}"
    ".ad-card{border:1px solid #ccc;padding:.5rem;margin:.5rem 0}"
    ".ad-photo{max-width:18rem;margin:.25rem}"
)


def page(title: str, body: str) -> str:
    """Wrap `body` (already HTML) in the site layout."""
    nav = " · ".join(
        f'<a href="/regio/{slug}">{escape(name)}</a>' for slug, name in REGIONS.items()
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)} – {escape(SITE_NAME)}</title>\n<style>{_STYLE}</style>\n"
        f'</head>\n<body>\n<header><a class="logo" href="/">{escape(SITE_NAME)}</a>\n'
        f'<nav>{nav} · <a href="/vip">VIP</a></nav></header>\n<main>\n{body}\n</main>\n'
        "<footer>Synthetisch demoplatform van adwatch: alle advertenties, namen, foto's en "
        "nummers zijn verzonnen.</footer>\n</body>\n</html>\n"
    )


def consent_page(next_path: str) -> str:
    """The 18+ wall shown instead of any page until the visitor agrees."""
    body = (
        "<h1>Leeftijdscontrole</h1>\n<p>Deze website bevat advertenties voor volwassenen.</p>\n"
        '<form method="post" action="/toestemming">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        '<button id="akkoord" type="submit">Ik ben 18 jaar of ouder</button></form>'
    )
    return page("Leeftijdscontrole", body)


def home_page(counts: dict[str, int]) -> str:
    """The front page: one link per region, with its number of ads."""
    items = "".join(
        f'<li><a class="regio" href="/regio/{slug}">{escape(REGIONS[slug])}</a> ({n})</li>\n'
        for slug, n in counts.items()
    )
    body = f'<h1>Advertenties per regio</h1>\n<ul class="regios">\n{items}</ul>\n'
    return page("Home", body + '<p><a href="/vip">VIP-advertenties</a></p>')


def ad_card(ad: DemoAd) -> str:
    """One ad in a listing."""
    return (
        f'<article class="ad-card"><a class="ad-link" href="/advertentie/{escape(ad.id)}">'
        f'{escape(ad.title)}</a><span class="card-town">{escape(ad.town)}</span></article>'
    )


def listing_page(slug: str, ads: list[DemoAd], page_no: int, has_next: bool) -> str:
    """One page of a region's listing, newest first."""
    cards = "\n".join(ad_card(ad) for ad in ads)
    more = ""
    if has_next:
        more = (
            f'<a rel="next" class="volgende" href="/regio/{slug}?pagina={page_no + 1}">Volgende</a>'
        )
    name = escape(REGIONS[slug])
    body = f'<h1>Advertenties in {name}</h1>\n<p class="pagina">Pagina {page_no}</p>\n'
    return page(f"{REGIONS[slug]} – pagina {page_no}", f"{body}{cards}\n{more}")


def vip_page(page_no: int) -> str:
    """The VIP section's shell: vip.js fetches and renders the ads."""
    body = (
        "<h1>VIP-advertenties</h1>\n"
        f'<div id="vip-lijst" data-pagina="{page_no}"></div>\n'
        "<noscript>Schakel JavaScript in om de VIP-advertenties te zien.</noscript>\n"
        '<script src="/static/vip.js"></script>'
    )
    return page(f"VIP – pagina {page_no}", body)


def detail_page(ad: DemoAd) -> str:
    """An ad's own page; the phone number is not in it, reveal.js fetches it on click."""
    age = f', <span class="age">{ad.age}</span> jaar' if ad.age is not None else ""
    photos = "".join(
        f'<img class="ad-photo" src="/img/{escape(name)}" alt="foto">' for name in ad.images
    )
    text = "".join(f"<p>{escape(p)}</p>" for p in ad.paragraphs)
    rows = "".join(
        f'<tr><td class="duur">{escape(duur)}</td><td class="prijs">{escape(prijs)}</td></tr>'
        for duur, prijs in ad.prices
    )
    when = f"{ad.posted.day} {MONTHS[ad.posted.month - 1]}"
    body = (
        f'<article class="ad">\n<h1 class="ad-title">{escape(ad.title)}</h1>\n'
        f'<p class="profiel"><span class="profile-name">{escape(ad.name)}</span>{age}</p>\n'
        f'<div class="fotos">{photos}</div>\n<div class="ad-text">{text}</div>\n'
        f'<table class="prices">{rows}</table>\n'
        f'<p class="plaats">Plaats: <span class="town">{escape(ad.town)}</span> · Geplaatst: '
        f'<time class="posted" datetime="{ad.posted.isoformat()}">{when}</time></p>\n'
        f'<p class="contact"><button class="toon-nummer" data-ad="{escape(ad.id)}">Toon nummer'
        '</button><span class="telefoon" hidden></span></p>\n</article>\n'
        '<script src="/static/reveal.js"></script>'
    )
    return page(ad.title, body)


def message_page(title: str, text: str) -> str:
    """A plain page for errors (404, 403)."""
    return page(title, f"<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>")
