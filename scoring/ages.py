"""Stated ages of the advertised person, in every usual form, and never a number with a unit.

Forms: digits or number words with "jaar/jr/j/yo/y.o./years" ("19 jaartjes", "negentien jaar"),
"ik ben 19", "Mira (22)", "Lina, 19,", "leeftijd: 19", "net 19 geworden", "werd vorige maand 19",
"turned 19", "mijn 19e verjaardag", a birth or build year against the reference year ("geboren
2007", "bouwjaar 2006", "Nikki (2007)", "🎂 2007"), and keycap or full-width digits ("2️⃣0️⃣").
Not ages: a number with a unit (minutes, km, m, cm, kg, euro, maat, uur, %), client-age rules
("18+", "vanaf 18", "minimaal 18 jaar"), years of experience or residence ("al 11 jaar in
Houten", "20 years experience") and feelings ("voel me weer 18", "felt 18 again").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from scoring.numberwords import NUMBER_WORD_PATTERN, word_digits

_KEYCAPS = re.compile("(?:[0-9]\ufe0f?\u20e3)+")
_WIDE_DIGITS = str.maketrans({0xFF10 + i: str(i) for i in range(10)})
_NUM = rf"(\d{{1,2}}|{NUMBER_WORD_PATTERN})"
_YEAR = r"((?:19|20)\d\d|'\d\d)"
_UNIT_AFTER = (
    r"(?!\s*(?:[+\d]|min\b|minuten|minutes|mins?\b|km|kilometer|m\b|meter|cm|kg|kilo|euro|eur\b|€|"
    r"%|maat|size|uur\b|u\b|h\b|hours?|hrs?|dagen|days|weken|weeks|maanden|months|x\b|p/|/|"
    r"[.,]\d|:\d|[-–—]\s*\d|(?:for|voor)\s+\d|cup|procent|percent|stuks|keer|times|plus|\)\s*min))"
)
_NOT_WEEKDAY = r"(?!(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Ma|Di|Wo|Do|Vr|Za|Zo|Tel|Nr|Maat|Size)\b)"
_UNIT_FOLLOWS = re.compile(_UNIT_AFTER.replace("(?!", "(?=", 1), re.I)
_AGE_UNIT = r"(?:jaartjes|jaar|jr\b\.?|j\b\.?|years?\b|yrs?\b|y/o\b|y\.o\.?|yo\b|y\b|jarige?\b)"
_PATTERNS = (
    re.compile(rf"\b{_NUM}\s*(?:-\s*)?{_AGE_UNIT}", re.I),
    re.compile(rf"\b(?:leeftijd|age|lft|lftd)\s*[:=]?\s*{_NUM}\b{_UNIT_AFTER}", re.I),
    re.compile(
        rf"\b(?:ik ben|i am|i'm|im|ben)\s+(?:nu\s+|pas\s+|net\s+|just\s+|only\s+|"
        rf"[A-Z][a-z]+\s*,?\s+)?{_NUM}\b{_UNIT_AFTER}",
        re.I,
    ),
    re.compile(rf"\b{_NOT_WEEKDAY}[A-Z][a-z]+\s*\(\s*(\d\d)\s*\)"),
    re.compile(
        rf"\b{_NOT_WEEKDAY}[A-Z][a-z]+\s*,\s*(\d\d|{NUMBER_WORD_PATTERN})\b{_UNIT_AFTER}"
        r"(?=\s*(?:[,.!|\n)]|$|\W))"
    ),
    re.compile(
        rf"\b(?:zijn|are)\s+(?:allebei|allemaal|beiden?|both|all)\s+{_NUM}\b{_UNIT_AFTER}", re.I
    ),
    re.compile(
        rf"\b(?:net|pas|just|only|barely|sinds kort|recent(?:ly)?|verse|vers|fresh)"
        rf"(?:\s+(?:turned|geworden|gewoon))?\s+{_NUM}\b{_UNIT_AFTER}",
        re.I,
    ),
    re.compile(rf"\b{_NUM}\s+(?:jaar\s+)?geworden\b", re.I),
    re.compile(
        rf"\b(?:werd|turned|wordt|word|became)\s+(?:\w+\s+){{0,2}}?{_NUM}\b{_UNIT_AFTER}", re.I
    ),
    re.compile(rf"\b{_NUM}\s*(?:e|de|ste|th|st|nd|rd)?\s+(?:verjaardag|birthday|bday)", re.I),
    re.compile(rf"\b(?:[A-Z][a-z]+|zij|ze|she|ik|i)\s+(?:is|ben|am)\s+{_NUM}\b{_UNIT_AFTER}"),
    re.compile("(?:\U0001f382|\U0001f381|\U0001f973)\\s*" + rf"{_NUM}\b{_UNIT_AFTER}"),
)
_ORDINALS = {
    "zestiende": 16, "zeventiende": 17, "achttiende": 18, "negentiende": 19, "twintigste": 20,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}  # fmt: skip
_ORDINAL_BIRTHDAY = re.compile(rf"\b({'|'.join(_ORDINALS)})\s+(?:verjaardag|birthday|bday)", re.I)
# "net meerderjarig", "barely legal": 18, said without the number.
_JUST_ADULT = re.compile(
    r"\b(?:net|pas|just|barely|nauwelijks|amper)\s+(?:meerderjarig|legal|volwassen)\b", re.I
)
_BIRTH_YEAR = (
    re.compile(
        rf"\b(?:geboren|geb\.?|born|bouwjaar|bj\.?|build year|year of birth|geboortejaar|jaargang|"
        rf"model|b\.)\s*(?:in\s+|op\s+|:\s*)?(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.])?{_YEAR}\b",
        re.I,
    ),
    re.compile(rf"\b[A-Z][a-z]+\s*\(\s*{_YEAR}\s*\)"),
    re.compile("(?:\U0001f382|\U0001f476)\\s*" + _YEAR + r"\b"),
)
_NOT_AGE_BEFORE = re.compile(
    r"\b(?:minimaal|minimum|min\.|vanaf|boven|ouder dan|over|at least|sinds|since|al|already|"
    r"jonger dan|younger than|onder|under|klanten|clients|na|after|voor|for|binnen|within|"
    r"ruim|bijna|almost|meer dan|more than|weer|again|als|like|tot|until|om|at|mannen|heren|"
    r"men|gents|gentlemen|ongeveer|about|around|zo'n|circa|ca\.|elke|every|per|nog|still)"
    r"\s*(?:de\s+|the\s+)?$",
    re.I,
)
_NOT_AGE_AFTER = re.compile(
    r"^\s*(?:jaar|jr|years?|yrs?|y)?\.?\s*(?:\+|of ouder|or older|en ouder|and older|and over|"
    r"en hoger|ervaring|experience|"
    r"in het vak|in this|in the|in de|in het|in nederland|in houten|geleden|ago|getrouwd|"
    r"werkervaring|zelfstandig|werkzaam|actief|active|bezig|lange|long|samen|together|hier|"
    r"here|in\s+[A-Z]|again|weer|jong\s+van\s+hart|young at heart|aan het werk|working|in business|"
    r"masseuse|masseur|escort|of experience|in de branche|getrouwd|married|werkte|werkten|"
    r"worked|woonde|lived|heb ik|ben ik|zit ik|doe ik|deed ik|i have|i've|i worked|i lived)",
    re.I,
)
_FEELING = re.compile(
    r"\b(?:voel(?:de)?|felt|feel|feels|voelt|lijk|look|looks|seem)\b[^.!?\n]{0,25}$", re.I
)
_AGE_RANGE = range(12, 80)


@dataclass(frozen=True)
class AgeMention:
    """A stated age of the advertised person."""

    age: int
    text: str
    start: int
    end: int


def _shadow(text: str) -> str:
    """Keycap and full-width digits as ASCII digits, padded so every offset stays put."""
    text = text.translate(_WIDE_DIGITS)
    if "\u20e3" not in text:
        return text
    return _KEYCAPS.sub(lambda m: _padded(re.sub(r"\D", "", m.group()), len(m.group())), text)


def _padded(digits: str, length: int) -> str:
    return digits + " " * (length - len(digits))


def stated_ages(text: str, today: date | None = None) -> tuple[AgeMention, ...]:
    """Ages the ad states for the advertised person (not client-age rules, units or experience)."""
    shadow = _shadow(text)
    year = (today or date.today()).year
    found: dict[int, AgeMention] = {}
    if any(c.isdigit() for c in shadow) or _has_word(shadow):
        for pattern in _PATTERNS:
            for match in pattern.finditer(shadow):
                age = _age_value(match.group(1))
                if age in _AGE_RANGE and _is_own_age(shadow, match):
                    found.setdefault(match.start(), _mention(age, text, match))
    for match in _ORDINAL_BIRTHDAY.finditer(shadow):
        found.setdefault(match.start(), _mention(_ORDINALS[match.group(1).lower()], text, match))
    for match in _JUST_ADULT.finditer(shadow):
        found.setdefault(match.start(), _mention(18, text, match))
    for pattern in _BIRTH_YEAR:
        for match in pattern.finditer(shadow):
            age = year - _full_year(match.group(1), year)
            if age in _AGE_RANGE:
                found.setdefault(match.start(), _mention(age, text, match))
    return _without_overlaps(sorted(found.values(), key=lambda a: (a.start, -a.end)))


def not_an_age_after(text: str, end: int) -> bool:
    """Whether what follows a number makes it no age ("18 jaar in het vak", "18 km")."""
    after = text[end : end + 25]
    return bool(_NOT_AGE_AFTER.match(after) or _UNIT_FOLLOWS.match(after))


def _has_word(text: str) -> bool:
    lower = text.lower()
    return any(w in lower for w in ("tien", "twintig", "teen", "twenty"))


def _mention(age: int, text: str, match: re.Match[str]) -> AgeMention:
    start, end = match.span()
    return AgeMention(age, text[start:end].rstrip(), start, start + len(text[start:end].rstrip()))


def _full_year(raw: str, current: int) -> int:
    if raw.startswith("'"):
        two = int(raw[1:])
        return 2000 + two if 2000 + two <= current else 1900 + two
    return int(raw)


def _age_value(raw: str) -> int:
    return int(raw) if raw.isdigit() else int(word_digits(raw.lower()) or -1)


def _is_own_age(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 30) : match.start()]
    after = text[match.end() : match.end() + 25]
    return not (
        _NOT_AGE_BEFORE.search(before) or _NOT_AGE_AFTER.match(after) or _FEELING.search(before)
    )


def _without_overlaps(ages: list[AgeMention]) -> tuple[AgeMention, ...]:
    kept: list[AgeMention] = []
    for age in ages:
        if not kept or age.start >= kept[-1].end:
            kept.append(age)
    return tuple(kept)
