"""The demo platform's plain records: ads, image specs, day changes and the recipe for one ad."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

DAY_DATES = {1: date(2026, 11, 20), 2: date(2026, 11, 21)}
REGIONS = {
    "houten": "Houten",
    "nieuwegein": "Nieuwegein",
    "utrecht": "Utrecht",
    "bunnik": "Bunnik",
    "wijk-bij-duurstede": "Wijk bij Duurstede",
    "culemborg": "Culemborg",
    "vianen": "Vianen",
}
HOUTEN = "houten"
# The placeholder block: every demo number is 06 1234 xxxx, only the last four digits vary.
PHONE_FORMATS = ("06-1234 {x}", "06-1234{x}", "06 1234 {x}", "+31 6 1234 {x}")
REUSE_VARIANTS = ("half", "q40", "crop", "banner")


@dataclass(frozen=True)
class ImageSpec:
    """How to draw one served image: a base drawing and the variant applied to it."""

    name: str
    base: int
    variant: str = "original"


@dataclass(frozen=True)
class DemoAd:
    """One ad as the platform shows it on one day, with its ground-truth labels."""

    id: str
    region: str
    title: str
    name: str
    age: int | None
    text: str
    prices: tuple[tuple[str, str], ...]
    town: str
    posted: date
    phone: str
    images: tuple[str, ...]
    labels: frozenset[str]
    vip: bool = False
    in_scope: bool = False
    lang: str = "nl"

    @property
    def paragraphs(self) -> list[str]:
        """The text's paragraphs, as rendered in `<p>` elements."""
        return self.text.split("\n\n")

    @property
    def phone_digits(self) -> str:
        """The phone number in national form, digits only (0612341234)."""
        digits = re.sub(r"\D", "", self.phone)
        return "0" + digits[2:] if digits.startswith("31") else digits


@dataclass(frozen=True)
class DayChanges:
    """Ad ids that differ between day 1 and day 2."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    edited: tuple[str, ...]
    rotated: tuple[str, ...]


@dataclass(frozen=True)
class DemoContent:
    """Everything the platform serves: ads per day, image specs by file name, day-2 changes."""

    seed: int
    days: dict[int, tuple[DemoAd, ...]]
    images: dict[str, ImageSpec]
    changes: DayChanges


@dataclass(frozen=True)
class AdSpec:
    """The recipe for one ad: what it must contain before its name, text and prices are drawn."""

    region: str
    snippets: tuple[tuple[str, int], ...] = ()
    labels: tuple[str, ...] = ()
    age: int | None = 0  # 0 draws an adult age over 20
    hourly: int = 0  # 0 draws a usual price
    voice: str = "first"
    lang: str = "nl"
    vip: bool = False
    town: str = ""
    early_row: bool = False
