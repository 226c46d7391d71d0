"""Extraction, the first scoring step: phones, ages, hourly price, e-mail, messengers, places.

`extract(text, places=matcher)` takes the ad's text and returns an `Extraction` of plain values,
each with its span in the text. Client-age rules ("18+ only", "minimaal 18 jaar"), years of
experience and numbers with units are not stated ages (`scoring.ages`); prices are read beside a
duration and turned into a rate per hour (`scoring.prices`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from scoring.ages import AgeMention, stated_ages
from scoring.phones import PhoneMatch, find_phones
from scoring.prices import PriceMention, hourly_prices, hourly_rate

__all__ = ["AgeMention", "PriceMention", "hourly_prices", "stated_ages"]


@dataclass(frozen=True)
class Mention:
    """A value found in the text, with the matched text and its offsets."""

    value: str
    text: str
    start: int
    end: int


class PlaceLike(Protocol):
    """What `adwatch.config.scope.PlaceMention` offers."""

    text: str
    canonical: str
    kind: str
    start: int
    end: int
    in_scope: bool


class PlaceFinder(Protocol):
    """Anything with `find_places(text)`, e.g. `adwatch.config.scope.LocationMatcher`."""

    def find_places(self, text: str) -> list[PlaceLike]: ...


@dataclass(frozen=True)
class Extraction:
    """Everything extraction found in one text."""

    phones: tuple[PhoneMatch, ...]
    ages: tuple[AgeMention, ...]
    prices: tuple[PriceMention, ...]
    emails: tuple[Mention, ...]
    messengers: tuple[Mention, ...]
    places: tuple[PlaceLike, ...]

    @property
    def stated_age(self) -> int | None:
        """The lowest stated age, or None when no age is stated."""
        return min((a.age for a in self.ages), default=None)

    @property
    def hourly_price(self) -> int | None:
        """The rate per hour of the price nearest to one hour, or None."""
        rate = hourly_rate(self.prices)
        return None if rate is None else rate.euro

    @property
    def e164_phones(self) -> tuple[str, ...]:
        """The distinct phone numbers in E.164, in text order."""
        return tuple(dict.fromkeys(p.e164 for p in self.phones))


_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.I)
_MESSENGER = re.compile(
    r"\b(?:https?://)?(?:wa\.me/\+?\d+|api\.whatsapp\.com/send\?phone=\+?\d+|"
    r"(?:t|telegram)\.me/\w+|signal\.me/\S+|snapchat\.com/add/[\w.-]+)",
    re.I,
)
# Every messenger link holds ".me/" or ".com/" (letters without odd case folding): a cheap test.
_MESSENGER_HINT = re.compile(r"\.(?:me|com)/", re.I)
_MESSENGER_KINDS = (
    ("wa.me", "whatsapp"),
    ("whatsapp", "whatsapp"),
    ("t.me", "telegram"),
    ("telegram", "telegram"),
    ("signal", "signal"),
    ("snapchat", "snapchat"),
)


def emails(text: str) -> tuple[Mention, ...]:
    """E-mail addresses in the text."""
    if "@" not in text:
        return ()
    return tuple(Mention(m.group().lower(), m.group(), *m.span()) for m in _EMAIL.finditer(text))


def messenger_links(text: str) -> tuple[Mention, ...]:
    """Messenger links (WhatsApp, Telegram, Signal, Snapchat); `value` is "kind:link"."""
    if not _MESSENGER_HINT.search(text):
        return ()
    return tuple(
        Mention(f"{_messenger_kind(m.group())}:{m.group()}", m.group(), *m.span())
        for m in _MESSENGER.finditer(text)
    )


def _messenger_kind(link: str) -> str:
    lower = link.lower()
    return next(kind for marker, kind in _MESSENGER_KINDS if marker in lower)


def extract(
    text: str,
    *,
    places: PlaceFinder | None = None,
    region: str = "NL",
    doc: object = None,
    today: date | None = None,
) -> Extraction:
    """Run every extractor over one text; `places` is the gazetteer (None: no places).

    `today`: the date birth years are read against (the capture date; None: today).
    `doc`: the text's spaCy doc from the place finder's tokenizer, passed on as
    `places.find_places(text, doc=doc)` so the text is tokenized once (None: it tokenizes).
    """
    if places is None:
        found: tuple[PlaceLike, ...] = ()
    elif doc is None:
        found = tuple(places.find_places(text))
    else:
        found = tuple(places.find_places(text, doc=doc))  # type: ignore[call-arg]
    return Extraction(
        phones=tuple(find_phones(text, region)),
        ages=stated_ages(text, today),
        prices=hourly_prices(text),
        emails=emails(text),
        messengers=messenger_links(text),
        places=found,
    )


EMPTY_EXTRACTION = Extraction(phones=(), ages=(), prices=(), emails=(), messengers=(), places=())
