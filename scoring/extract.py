"""Extraction, the first scoring step: phones, ages, hourly price, e-mail, messengers, places.

`extract(text, places=matcher)` takes the ad's text and returns an `Extraction` of plain values,
each with its span in the text. Client-age rules ("18+ only", "minimaal 18 jaar"), years of
experience and durations are not stated ages; prices are only read next to an hour unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from scoring.numberwords import NUMBER_WORD_PATTERN, WORD_INITIALS, word_digits
from scoring.phones import PhoneMatch, find_phones


@dataclass(frozen=True)
class Mention:
    """A value found in the text, with the matched text and its offsets."""

    value: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class AgeMention:
    """A stated age of the advertised person."""

    age: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class PriceMention:
    """A price for one hour, in euro."""

    euro: int
    text: str
    start: int
    end: int


class PlaceLike(Protocol):
    """What `adwatch.locations.PlaceMention` offers."""

    text: str
    canonical: str
    kind: str
    start: int
    end: int
    in_scope: bool


class PlaceFinder(Protocol):
    """Anything with `find_places(text)`, e.g. `adwatch.locations.LocationMatcher`."""

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
        """The first stated price for one hour, or None."""
        return self.prices[0].euro if self.prices else None

    @property
    def e164_phones(self) -> tuple[str, ...]:
        """The distinct phone numbers in E.164, in text order."""
        return tuple(dict.fromkeys(p.e164 for p in self.phones))


_NUM = rf"(\d{{1,2}}|{NUMBER_WORD_PATTERN})"
_AGE_PATTERNS = (
    re.compile(
        rf"\b(?=[\d{WORD_INITIALS}]){_NUM}\s*(?:-\s*)?(?:jaar|jr\b\.?|years?|yrs?\b|y/?o\b|jarige?\b)",
        re.I,
    ),
    re.compile(r"\b(?:leeftijd|age|lft)\s*[:=]?\s*(\d{1,2})\b(?![+\d])", re.I),
    re.compile(
        r"\b(?:ik ben|i am|i'm|im)\s+(?:nu\s+|pas\s+|net\s+|just\s+|only\s+|[A-Z][a-z]+,?\s+)?"
        r"(\d{1,2})\b"
        r"(?!\s*(?:min|uur|euro|€|cm|kg|%|/|\+|x\b|dagen|days|hours))",
        re.I,
    ),
    re.compile(r"\b[A-Z][a-z]+\s*\((\d{2})\)"),
    re.compile(
        r"\b(?:net|pas|just|only|barely)(?:\s+(?:turned|geworden))?\s+(\d{2})\b(?![+\d])", re.I
    ),
    re.compile(
        r"\b(?:[A-Z][a-z]+|zij|ze|she|ik)\s+(?:is|ben)\s+(\d{2})\b"
        r"(?=\s*(?:en\b|and\b|jaar|years|,|\.|!|$))"
    ),
)
# Per pattern above, words one of which must occur in the lower-cased text for it to match, and
# whether it needs a digit: a cheap test that skips most patterns on most texts.
_AGE_NEEDS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("jaar", "jr", "year", "yr", "yo", "y/o", "jarig"), False),
    (("leeftijd", "age", "lft"), True),
    (("ik ben", "i am", "i'm", "im"), True),
    (("(",), True),
    (("net", "pas", "just", "only", "barely"), True),
    (("is", "ben"), True),
)
# Per pattern above, a regex that must find something for it to match (None: no such test), on
# the lower-cased text for the case-insensitive patterns and on the text for the others. Each
# starts with plain characters, so the engine skips ahead to them; used only where lower-casing
# keeps lengths and no odd case folding occurs.
_AGE_GATES: tuple[tuple[re.Pattern[str], bool] | None, ...] = (
    None,
    (re.compile(r"(?:leeftijd|age|lft)\s*[:=]?\s*\d"), True),
    (re.compile(r"(?:ik ben|i am|i'm|im)\s+(?:[a-z]+,?\s+)?\d"), True),
    (re.compile(r"\(\d\d\)"), False),
    (re.compile(r"(?:net|pas|just|only|barely)(?:\s+(?:turned|geworden))?\s+\d\d"), True),
    (re.compile(r"(?:is|ben)\s+\d\d"), False),
)
_DIGIT = re.compile(r"\d")
_ODD_FOLDING = re.compile("[\u017f\u212a\u0130\u0131\u1e9e\u2126\ufb00-\ufb06]")
_NOT_AGE_BEFORE = re.compile(
    r"\b(?:minimaal|minimum|min\.|vanaf|boven|ouder dan|over|at least|sinds|since|al|already|"
    r"jonger dan|younger than|onder|under|klanten|clients|na|after|voor|for|binnen|within|"
    r"ruim|bijna|almost|meer dan)"
    r"\s*(?:de\s+)?$",
    re.I,
)
_NOT_AGE_AFTER = re.compile(
    r"^\s*(?:\+|of ouder|or older|en ouder|and older|and over|en hoger|ervaring|experience|"
    r"in het vak|in this|in de|geleden|ago|getrouwd|oud ervaring|werkervaring)",
    re.I,
)
_AGE_RANGE = range(12, 80)

_AMOUNT = r"(?:€|eur(?:o)?\s*)?\s*(\d{2,4})(?:[.,]-|,00)?"
_HOUR_UNIT = r"(?:uur|u|hour|hr|h)\b"
_PRICE_PATTERNS = (
    re.compile(
        rf"\b(?:1|één|een|one)\s*{_HOUR_UNIT}\s*[:=\-–]?\s*{_AMOUNT}(?!\s*(?:min|uur))", re.I
    ),
    re.compile(rf"\b60\s*min\w*\.?\s*[:=\-–]?\s*{_AMOUNT}(?!\s*(?:min|uur))", re.I),
    re.compile(
        rf"(?:€|eur(?:o)?)\s*(\d{{2,4}})(?:[.,]-|,00)?\s*(?:per|p/|/|p\.)\s*{_HOUR_UNIT}", re.I
    ),
    re.compile(
        rf"\b(\d{{2,4}})(?:[.,]-|,00)?\s*(?:euro|eur|€)\s*(?:per|p/|/|p\.|an?)\s*{_HOUR_UNIT}", re.I
    ),
)
# Per pattern above, what the text must hold for it to match: a cheap test that skips most of
# them on most texts ("60": that literal; "euro": "€" or "eur" in any case; None: no test).
_PRICE_NEEDS = (None, "60", "euro", "euro")
_TWO_DIGITS = re.compile(r"\d\d")
# The first pattern without its leading \b, on the lower-cased text (where lower-casing keeps
# lengths and no odd case folding occurs): it starts with plain characters, so it runs fast.
_ONE_HOUR_GATE = re.compile(
    rf"(?:1|één|een|one)\s*{_HOUR_UNIT}\s*[:=\-–]?\s*(?:€|eur(?:o)?\s*)?\s*\d\d"
)
_PRICE_RANGE = range(20, 2001)

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


def stated_ages(text: str) -> tuple[AgeMention, ...]:
    """Ages the ad states for the advertised person (not client-age rules or experience)."""
    found: dict[int, AgeMention] = {}
    lower = text.lower()
    exact = len(lower) != len(text) or bool(_ODD_FOLDING.search(text))
    digits = bool(_DIGIT.search(text))
    for pattern, (words, needs_digit), gate in zip(
        _AGE_PATTERNS, _AGE_NEEDS, _AGE_GATES, strict=True
    ):
        if not exact and (
            (needs_digit and not digits)
            or not any(word in lower for word in words)
            or (gate is not None and not gate[0].search(lower if gate[1] else text))
        ):
            continue
        for match in pattern.finditer(text):
            age = _age_value(match.group(1))
            if age in _AGE_RANGE and _is_own_age(text, match):
                found.setdefault(match.start(), AgeMention(age, match.group(), *match.span()))
    return _without_overlaps(sorted(found.values(), key=lambda a: (a.start, -a.end)))


def _without_overlaps(ages: list[AgeMention]) -> tuple[AgeMention, ...]:
    kept: list[AgeMention] = []
    for age in ages:
        if not kept or age.start >= kept[-1].end:
            kept.append(age)
    return tuple(kept)


def _age_value(raw: str) -> int:
    return int(raw) if raw.isdigit() else int(word_digits(raw))


def _is_own_age(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 20) : match.start()]
    after = text[match.end() : match.end() + 20]
    return not _NOT_AGE_BEFORE.search(before) and not _NOT_AGE_AFTER.match(after)


def hourly_prices(text: str) -> tuple[PriceMention, ...]:
    """Prices stated for one hour, in euro, in text order."""
    found: dict[int, PriceMention] = {}
    if not _TWO_DIGITS.search(text):  # every pattern needs an amount of 2 to 4 digits
        return ()
    lower = text.lower()
    euro = "€" in text or "eur" in lower  # no odd case folding in "eur"
    exact = len(lower) != len(text) or bool(_ODD_FOLDING.search(text))
    for pattern, needs in zip(_PRICE_PATTERNS, _PRICE_NEEDS, strict=True):
        if (needs == "60" and "60" not in text) or (needs == "euro" and not euro):
            continue
        if needs is None and not exact and not _ONE_HOUR_GATE.search(lower):
            continue
        for match in pattern.finditer(text):
            euro = int(match.group(1))
            if euro in _PRICE_RANGE:
                found.setdefault(match.start(), PriceMention(euro, match.group(), *match.span()))
    return tuple(sorted(found.values(), key=lambda p: p.start))


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
    text: str, *, places: PlaceFinder | None = None, region: str = "NL", doc: object = None
) -> Extraction:
    """Run every extractor over one text; `places` is the gazetteer (None: no places).

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
        ages=stated_ages(text),
        prices=hourly_prices(text),
        emails=emails(text),
        messengers=messenger_links(text),
        places=found,
    )


EMPTY_EXTRACTION = Extraction(phones=(), ages=(), prices=(), emails=(), messengers=(), places=())
