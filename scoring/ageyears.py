"""Birth years and dates in the forms the usual patterns miss, read against the capture date.

- a year as a kind of person: "een 2007-er", "echte 2010'er", "'06-er";
- "van <year>" after a person or a diminutive: "Sandra is van 2009", "meiden van '06 en '07",
  "kreeftje ♋ van '10", "decemberkindje van 2008", "oudejaarskindje '07";
- born on a named day: "geboren op oudejaarsavond 2007", "born on new year's eve 2008";
- a full date of birth after a field ("geboren 14-03-2009", "geb.datum: 31/12/2008", "DOB
  2009-03-14"): the exact age on the capture date, not only the year's difference.
The caller checks each like the usual forms (`scoring.notage`), a thing's year included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from scoring.numberwords import full_year

_YEAR = r"((?:19|20)\d\d|['’]\d\d)"
_KIND_OF = re.compile(rf"(?<![\w/.-]){_YEAR}\s?['’]?-?\s?ers?\b", re.I)
_PERSON = (
    r"(?:is|ben|zijn|meid|meiden|meisje|meisjes|meidje|meidjes|dame|dames|girl|girls|babe|babes|"
    r"chick|chicks|jongen|jongens|boy|boys|kind|kindje|\w+kind|\w+kindje|\w+tje|\w+pje|\w+je)"
)
# Things in the diminutive, not people: "een glaasje rood uit 2006", "mijn autootje van 2009".
_THINGS = (
    r"(?:auto|huis|foto|fiets|boot|kast|bed|wijn|fles|glas|glaas|motor|brommer|plaat|film|lied|"
    r"boek|stuk|beet|tas|jurk|set|pak|kaart|flat|kamer|wagen|busje|scooter|horloge|ring)"
)
# "van 2009", after a person word and maybe an emoji or sign between; "en '07" after it.
_FROM_YEAR = re.compile(
    rf"\b(?!{_THINGS}\w*\s){_PERSON}\s+(?:[^\w\s]{{1,3}}\s+)?(?:van|uit|from|of)\s+{_YEAR}\b"
    rf"(?:\s*(?:en|&|and|,|/)\s*{_YEAR}\b)?",
    re.I,
)
_CHILD_YEAR = re.compile(rf"\b\w+(?:kind|kindje|baby)\s+{_YEAR}\b", re.I)
_BORN_ON = re.compile(
    rf"\b(?:geboren|born)\s+(?:op|on|in|rond|around|tijdens|during)\s+(?:[\w'’-]+\s+){{1,3}}?"
    rf"{_YEAR}\b",
    re.I,
)
_DATE_FIELD = (
    r"(?:geboren|geb\.?|geboortedatum|geb\.?\s?datum|born|date\s+of\s+birth|dob|d\.o\.b\.?|"
    r"birthday|bday|verjaardag|jarig)"
)
_DMY = re.compile(
    rf"\b{_DATE_FIELD}\s*(?:op|on)?\s*[:=]?\s*(\d{{1,2}})[-/.](\d{{1,2}})[-/.]((?:19|20)\d\d)\b",
    re.I,
)
_YMD = re.compile(rf"\b{_DATE_FIELD}\s*[:=]?\s*((?:19|20)\d\d)-(\d{{1,2}})-(\d{{1,2}})\b", re.I)
_YEAR_GATE = re.compile(r"19\d\d|20\d\d|['’]\d\d")


def birth_year_ages(shadow: str, today: date) -> Iterator[tuple[int, re.Match[str]]]:
    """(age, match) for each birth year or date above."""
    if not _YEAR_GATE.search(shadow):
        return
    year = today.year
    for pattern in (_KIND_OF, _CHILD_YEAR, _BORN_ON):
        for match in pattern.finditer(shadow):
            yield year - full_year(_apostrophe(match.group(1)), year), match
    for match in _FROM_YEAR.finditer(shadow):
        for group in (1, 2):
            if match.group(group):
                yield year - full_year(_apostrophe(match.group(group)), year), match
    for match in _DMY.finditer(shadow):
        born = _date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if born is not None:
            yield _exact_age(born, today), match
    for match in _YMD.finditer(shadow):
        born = _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if born is not None:
            yield _exact_age(born, today), match


def _apostrophe(raw: str) -> str:
    return "'" + raw[1:] if raw[0] in "'’" else raw


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _exact_age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
