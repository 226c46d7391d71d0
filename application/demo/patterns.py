"""The recipes for the demo's day 1 (signals, traps, filler) and the changes that make day 2.

Each recipe says which labelled snippets, ages, prices and links an ad gets; `builder.AdBuilder`
draws the rest. Labels are therefore exactly what was put in on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from application.demo import phrases as P
from application.demo.builder import AdBuilder
from application.demo.records import (
    DAY_DATES,
    HOUTEN,
    REUSE_VARIANTS,
    AdSpec,
    DayChanges,
    DemoAd,
)

Recipe = tuple[AdSpec, dict[str, Any]]
_OTHER_WEIGHTS = {"utrecht": 5, "nieuwegein": 3, "bunnik": 2, "wijk-bij-duurstede": 2}
_OTHER_WEIGHTS |= {"culemborg": 2, "vianen": 2}
# Labels that carry no signal, so such ads may be removed or edited on day 2.
_PLAIN = {"young_age", "trap:independent", "trap:in_scope_by_region", "trap:neighbour_town"}
TEMPLATE_TOWNS = ("Houten", "Schalkwijk", "Houten", "'t Goy", "Tull en 't Waal", "Houten")


def day_one(b: AdBuilder, n_ads: int) -> list[Recipe]:
    """All day-1 recipes: the patterns, the traps, then filler up to `n_ads`."""
    houten = [*_linked(b), *_text_signals(), *_houten_traps()]
    vip = [
        (AdSpec(HOUTEN, snippets=(("minor_cue", 4),), age=None, vip=True), {}),
        (AdSpec(HOUTEN, snippets=(("new_arrival", 2),), vip=True), {}),
    ]
    others = _other_traps()
    n_vip = n_ads // 10
    n_houten = max(round(n_ads * 0.38) - len(houten), 0)
    vip += [(_filler(b, HOUTEN, vip=True), {}) for _ in range(max(n_vip * 2 // 5 - 2, 0))]
    vip += [(_filler(b, _other_region(b), vip=True), {}) for _ in range(n_vip - len(vip))]
    houten += [(_filler(b, HOUTEN), {}) for _ in range(n_houten)]
    n_other = n_ads - len(houten) - len(vip) - len(others)
    others += [(_filler(b, _other_region(b)), {}) for _ in range(n_other)]
    return [*houten, *vip, *others]


def day_two(b: AdBuilder, day1: list[DemoAd]) -> tuple[list[DemoAd], DayChanges]:
    """Derive day 2: remove 5 plain ads, edit 8, rotate 3 phones, add 6 new ads."""
    plain = [ad for ad in day1 if not ad.vip and ad.labels <= _PLAIN]
    removed = _pick(b, plain, 2, 3, set())
    edited = _pick(b, plain, 4, 4, removed)
    new = {ad.id: _edit(b, ad) for ad in day1 if ad.id in edited}
    rotated = {ad.id for ad in day1 if "phone_rotation" in ad.labels}
    new |= {ad.id: replace(ad, phone=b.phone()) for ad in day1 if ad.id in rotated}
    kept = [new.get(ad.id, ad) for ad in day1 if ad.id not in removed]
    added = b.assign_ids([b.ad(spec) for spec in _additions(b)], DAY_DATES[2], days_back=0)
    changes = DayChanges(
        added=tuple(ad.id for ad in added),
        removed=tuple(sorted(removed)),
        edited=tuple(sorted(edited)),
        rotated=tuple(sorted(rotated)),
    )
    return [*kept, *added], changes


def _linked(b: AdBuilder) -> Iterator[Recipe]:
    """Ads linked across each other: a shared phone, rotated phones, reused photos, a template."""
    shared = b.digits()
    for name in b.rng.sample(P.NAMES, 5):
        yield (
            AdSpec(HOUTEN, voice="neutral", labels=("phone_shared",)),
            {
                "name": name,
                "phone": b.phone(shared),
            },
        )
    for _ in range(3):
        yield AdSpec(HOUTEN, labels=("phone_rotation",)), {}
    for variant in REUSE_VARIANTS:
        first, second = b.rng.sample(P.NAMES, 2)
        photos = b.photos(first_jpg=True)
        copy = b.image(base=b.images[photos[0]].base, variant=variant)
        own = b.photos()[: b.rng.randint(0, 2)]
        yield AdSpec(HOUTEN, labels=("photo_reuse",)), {"name": first, "images": photos}
        yield AdSpec(HOUTEN, labels=("photo_reuse",)), {"name": second, "images": (copy, *own)}
    yield from _template(b)


def _template(b: AdBuilder) -> Iterator[Recipe]:
    """Six ads from one text template; only name, age, town and number vary."""
    for name, town in zip(b.rng.sample(P.NAMES, 6), TEMPLATE_TOWNS, strict=True):
        age = b.rng.randint(22, 35)
        fields = {"name": name, "age": age, "town": town}
        text = "\n\n".join(p.format(**fields) for p in P.TEMPLATE_TEXT)
        spec = AdSpec(HOUTEN, labels=("text_template",), age=age, town=town)
        yield spec, {"name": name, "title": P.TEMPLATE_TITLE.format(**fields), "text": text}


def _text_signals() -> Iterator[Recipe]:
    """Ads whose own text or numbers carry per-ad indicators."""
    for i, age in enumerate((18, 18, 19, 18)):
        yield AdSpec(HOUTEN, snippets=(("minor_cue", i),), age=age, lang=_en(i == 3)), {}
    for age in (18, 19, 20, 20):
        yield AdSpec(HOUTEN, age=age), {}
    third = (
        (("third_party", 0), ("hotel_location", 0)),
        (("third_party", 1),),
        (("third_party", 2), ("always_available", 0)),
        (("third_party", 3),),
        (("third_party", 4),),
    )
    for i, snippets in enumerate(third):
        yield AdSpec(HOUTEN, snippets=snippets, voice="neutral", lang=_en(i == 3)), {}
    for i in range(2):
        yield AdSpec(HOUTEN, (("multiple_workers", i),), voice="neutral", lang=_en(i == 1)), {}
    yield AdSpec(HOUTEN, snippets=(("new_arrival", 0), ("hotel_location", 1))), {}
    yield AdSpec(HOUTEN, snippets=(("new_arrival", 1),)), {}
    yield AdSpec(HOUTEN, snippets=(("always_available", 1),)), {}
    yield AdSpec(HOUTEN, snippets=(("multi_city", 0),), hourly=50), {}
    yield AdSpec(HOUTEN, snippets=(("unsafe_services", 0),), hourly=40), {}
    yield AdSpec(HOUTEN, hourly=60), {}


def _houten_traps() -> Iterator[Recipe]:
    """In-scope ads that must not raise a signal."""
    for i in range(4):
        yield AdSpec(HOUTEN, snippets=(("trap:independent", i % 2),)), {}
    yield AdSpec(HOUTEN, snippets=(("trap:not_a_phone", 0),)), {}
    yield AdSpec(HOUTEN, snippets=(("trap:not_a_phone", 1),), early_row=True), {}
    for i in range(2):
        yield AdSpec(HOUTEN, snippets=(("trap:postcode", i),)), {}


def _other_traps() -> list[Recipe]:
    """Ads outside the Houten region page: the adjective 'houten', and Schalkwijk by text."""
    return [
        (AdSpec("utrecht", snippets=(("trap:houten_adjective", 0),)), {}),
        (AdSpec("nieuwegein", snippets=(("trap:houten_adjective", 1),)), {}),
        (AdSpec("nieuwegein", snippets=(("trap:in_scope_by_text", 0),), town="Nieuwegein"), {}),
    ]


def _additions(b: AdBuilder) -> list[AdSpec]:
    """The six ads that appear on day 2."""
    specs = [AdSpec(HOUTEN, snippets=(("new_arrival", 0),)), _filler(b, HOUTEN)]
    specs += [_filler(b, HOUTEN), *(_filler(b, _other_region(b)) for _ in range(3))]
    return specs


def _filler(b: AdBuilder, region: str, vip: bool = False) -> AdSpec:
    return AdSpec(region, vip=vip, lang=_en(b.rng.random() < 0.12))


def _other_region(b: AdBuilder) -> str:
    return b.rng.choices(list(_OTHER_WEIGHTS), weights=list(_OTHER_WEIGHTS.values()))[0]


def _en(english: bool) -> str:
    return "en" if english else "nl"


def _pick(b: AdBuilder, ads: list[DemoAd], houten: int, other: int, taken: set[str]) -> set[str]:
    """Pick ids of `houten` Houten ads and `other` ads elsewhere, avoiding `taken`."""
    free = [ad for ad in ads if ad.id not in taken]
    local = [ad.id for ad in free if ad.region == HOUTEN]
    away = [ad.id for ad in free if ad.region != HOUTEN]
    return {*b.rng.sample(local, houten), *b.rng.sample(away, other)}


def _edit(b: AdBuilder, ad: DemoAd) -> DemoAd:
    """Change the text (a new closing paragraph) or the prices (up by 10 euro)."""
    if b.rng.random() < 0.5:
        return replace(ad, text=f"{ad.text}\n\n{b.rng.choice(P.EDIT_SENTENCES)}")
    prices = tuple((duur, f"€ {int(prijs.removeprefix('€ ')) + 10}") for duur, prijs in ad.prices)
    return replace(ad, prices=prices)
