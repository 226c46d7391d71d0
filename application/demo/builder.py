"""The demo's seeded drawer: every random choice of an ad (name, age, phone, photos, title, text,
prices, ids) comes from one `random.Random` in a fixed order, so a seed gives the same ads.

`application.demo.patterns` says what each ad must carry; `AdBuilder` draws the rest.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, timedelta

from application.demo import phrases as P
from application.demo.records import (
    DAY_DATES,
    HOUTEN,
    PHONE_FORMATS,
    REGIONS,
    AdSpec,
    DemoAd,
    ImageSpec,
)

_HOUTEN_PLACE = re.compile(
    r"(?<!\w)(Houten|Schalkwijk|'t Goy|Tull en 't Waal|Castellum|De Hoon|Loerik|Schoneveld"
    r"|399\d [A-Z]{2})(?!\w)"
)


class AdBuilder:
    """Draws every random choice from one `random.Random`, in a fixed order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.images: dict[str, ImageSpec] = {}
        self._digits: set[str] = set()
        self.next_id = 100200

    def digits(self) -> str:
        """Four unused last digits for a placeholder phone number."""
        while (x := f"{self.rng.randrange(10000):04d}") in self._digits:
            pass
        self._digits.add(x)
        return x

    def phone(self, digits: str = "") -> str:
        """A placeholder number in one of the formats ads use."""
        return self.rng.choice(PHONE_FORMATS).format(x=digits or self.digits())

    def image(self, base: int | None = None, variant: str = "original", ext: str = "") -> str:
        """Register a new image and return its file name."""
        ext = ext or ("png" if variant == "original" and self.rng.random() < 0.1 else "jpg")
        while (name := f"{self.rng.getrandbits(40):010x}.{ext}") in self.images:
            pass
        base = self.rng.getrandbits(32) if base is None else base
        self.images[name] = ImageSpec(name, base, variant)
        return name

    def photos(self, first_jpg: bool = False) -> tuple[str, ...]:
        """One to four new photos."""
        count = self.rng.randint(1, 4)
        return tuple(self.image(ext="jpg" if first_jpg and i == 0 else "") for i in range(count))

    def ad(self, spec: AdSpec, **given) -> DemoAd:
        """Draw one ad; `given` fixes fields (name, phone, images, title, text, town, age)."""
        rng = self.rng
        name = given.get("name") or rng.choice(P.NAMES)
        age = rng.randint(21, 45) if spec.age == 0 else spec.age
        town = spec.town or (rng.choice(P.HOUTEN_TOWNS) if spec.region == HOUTEN else "")
        town = town or REGIONS[spec.region]
        title = given.get("title") or self._title(spec, name, age, town)
        text = given.get("text") or self._text(spec, name, age, town)
        hourly = spec.hourly or rng.randrange(120, 260, 10)
        scope = spec.region == HOUTEN or bool(_HOUTEN_PLACE.search(f"{title} {text}"))
        return DemoAd(
            id="",
            region=spec.region,
            title=title,
            name=name,
            age=age,
            text=text,
            prices=self._prices(hourly, spec.early_row),
            town=town,
            posted=DAY_DATES[1],
            phone=given.get("phone") or self.phone(),
            images=given.get("images") or self.photos(),
            labels=_labels(spec, age, hourly, scope, f"{title} {text}"),
            vip=spec.vip,
            in_scope=scope,
            lang=spec.lang,
        )

    def assign_ids(self, ads: list[DemoAd], last_day: date, days_back: int = 40) -> list[DemoAd]:
        """Give ads posting dates up to `last_day` and increasing ids in posting order."""
        self.rng.shuffle(ads)
        dated = [(last_day - timedelta(days=self.rng.randint(0, days_back)), ad) for ad in ads]
        dated.sort(key=lambda pair: pair[0])
        result = []
        for posted, ad in dated:
            self.next_id += self.rng.randint(1, 40)
            result.append(replace(ad, id=str(self.next_id), posted=posted))
        return result

    def _title(self, spec: AdSpec, name: str, age: int | None, town: str) -> str:
        titles = P.TITLES_EN if spec.lang == "en" else P.TITLES_NL
        usable = [t for t in titles if age is not None or "{age}" not in t]
        return self.rng.choice(usable).format(name=name, age=age, town=town)

    def _text(self, spec: AdSpec, name: str, age: int | None, town: str) -> str:
        rng, en = self.rng, spec.lang == "en"
        if spec.voice == "first":
            intros = [i for i in (P.INTRO_EN if en else P.INTRO_NL) if age or "{age}" not in i]
            head = rng.choice(intros).format(name=name, age=age)
            pool = list(P.FIRST_PERSON_EN if en else P.FIRST_PERSON_NL)
        else:
            head = f"Meet {name}." if en else f"Maak kennis met {name}."
            pool = list(P.NEUTRAL_EN if en else P.NEUTRAL_NL)
        body = [P.SNIPPETS[label][i] for label, i in spec.snippets]
        place = self._place(spec, town)
        if place:
            body.append(rng.choice(P.LOCATION_EN if en else P.LOCATION_NL).format(place=place))
        rng.shuffle(pool)
        target = rng.randint(450, 1000)
        while pool and len(head) + sum(len(s) + 1 for s in body) < target:
            body.insert(rng.randint(0, len(body)), pool.pop())
        return self._paragraphs([head, *body])

    def _place(self, spec: AdSpec, town: str) -> str:
        if spec.region != HOUTEN:
            return town if self.rng.random() < 0.7 and not spec.snippets else ""
        return self.rng.choice((*P.HOUTEN_PLACES[:9], town)) if self.rng.random() < 0.7 else ""

    def _paragraphs(self, sentences: list[str]) -> str:
        paragraphs = []
        while sentences:
            size = self.rng.randint(2, 4)
            paragraphs.append(" ".join(sentences[:size]))
            sentences = sentences[size:]
        return "\n\n".join(paragraphs)

    def _prices(self, hourly: int, early_row: bool) -> tuple[tuple[str, str], ...]:
        rows = [("30 min", round(hourly * 0.6 / 5) * 5), ("1 uur", hourly)]
        if self.rng.random() < 0.6:
            rows.append(("2 uur", hourly * 2 - 20))
        if self.rng.random() < 0.3:
            rows.append(("Escort 1 uur", hourly + 40))
        if early_row:
            rows.append(("Ochtend 06:00 tot 12:00", hourly - 20))
        return tuple((duur, f"€ {amount}") for duur, amount in rows)


def _labels(spec: AdSpec, age: int | None, hourly: int, scope: bool, words: str) -> frozenset[str]:
    labels = {label for label, _ in spec.snippets} | set(spec.labels)
    if age is not None and 18 <= age <= 20:
        labels.add("young_age")
    if hourly <= 60:
        labels.add("low_price")
    if spec.region == HOUTEN and not _HOUTEN_PLACE.search(words):
        labels.add("trap:in_scope_by_region")
    if not scope:
        labels.add("trap:neighbour_town")
    return frozenset(labels)
