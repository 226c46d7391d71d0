"""Stated ages in roundabout phrases, read beside `scoring.ageforms`.

- an ordinal: "op mijn 34e", "op haar 19de";
- candles: "18 kaarsjes (op de taart)", "19 candles" (not candles that burn in a room);
- a half: "achttien en een half", "19½";
- a birth long ago: "twintig jaar geleden geboren", "born 19 years ago";
- "echt 19", "really 20" standing alone;
- the verb first ("is ze 18"), lately reached ("18 sinds vorige wk"), or one more than last
  month ("vorige mnd nog 17"), the last teen year (19);
- a pair in brackets: "(19 en 21)" (both ages);
- a sum in words or with "plus": "negen lentes plus tien lentes", "10 plus 9";
- spoken digits beside an age context: "ik ben twee-nul", "twee-nul jaar" (never a score);
- a birth year after a season child or a vintage ("zomerkind van 2008", "oogstjaar 2007"), also
  in words ("bouwjaar tweeduizend-zeven").
The caller puts each through the same checks as the usual forms (`scoring.notage.is_own_age`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scoring.agefilters import NUMBER_LED
from scoring.agestarts import WordStarts, heads
from scoring.agewords import may_state_age_in_words
from scoring.notage import UNIT_AFTER
from scoring.numberwords import AGE_WORD_PATTERN, age_value, full_year

_NUM = rf"(\d{{1,2}}|{AGE_WORD_PATTERN})"
_UNIT = r"(?:\s*(?:jaar|jaartjes|lentes|lentejes|zomers|winters|herfsten|years?|springs|summers))"
# A noun after an ordinal makes it a count ("op mijn 3e adres", "mijn 20e werkdag").
_ORDINAL = re.compile(
    r"\bop\s+(?:mijn|m'n|haar|my|her)\s+(\d\d)\s*(?:e|ste|de|th|st|nd|rd)\b"
    r"(?!\s*[-']?\s*(?:verjaardag|birthday|\w*dag\b|\w*keer\b|adres|plek|plaats|week|maand|"
    r"werk|baan|job|ronde|poging|verdieping|etage|klant|date|time))",
    re.I,
)
_CANDLES = re.compile(
    rf"{_NUM}\s+(?:kaarsjes|kaarsen|candles)\b(?=\s*(?:op\s+(?:de|mijn|m'n|haar)\s+taart|on\s+"
    r"(?:the|my|her)\s+cake|uitgeblazen|uit\s+geblazen|blown|[.!,;)]|$|\s*\U0001f382))",
    re.I,
)
_HALF = re.compile(
    rf"{_NUM}\s*(?:jaar\s+)?(?:en\s+een\s+half|and\s+a\s+half|½)(?:\s*jaar)?\b{UNIT_AFTER}", re.I
)
_BORN_AGO = re.compile(
    rf"{_NUM}\s+(?:jaar|years?)\s+(?:geleden|ago)\s+(?:(?:op|in|on)\s+(?:\w+\s+){{0,3}}?)?"
    r"(?:geboren|born|het\s+levenslicht)",
    re.I,
)
_REALLY = re.compile(
    rf"\b(?:echt|écht|really|truly|heus|werkelijk)\s+{_NUM}\b{UNIT_AFTER}"
    r"(?=\s*(?:[.!,;?)]|$|jaar|jr|years?|hoor|echt|ja\b|en\s+(?:niet|geen|nog)))",
    re.I,
)
# "volgens de papieren is ze 18": the verb first.
_INVERTED = re.compile(
    rf"\b(?:is|ben)\s+(?:ze|zij|hij|ik)\s+(?:nu\s+|pas\s+|net\s+|echt\s+)?{_NUM}\b{UNIT_AFTER}",
    re.I,
)
# "vorige mnd nog 17" (so one more now); "18 sinds vorige wk" (an age reached lately).
_WAS_LAST = re.compile(
    rf"\b(?:vorige|vorig|afgelopen|last)\s+(?:maand|mnd|week|wk|jaar|month|year)\s+"
    rf"(?:nog|still)\s+{_NUM}\b{UNIT_AFTER}(?=\s*(?:[.,!;)]|$|jaar\b|\s(?:nu|now|maar|but)\b))",
    re.I,
)
_SINCE_LATELY = re.compile(
    rf"{_NUM}\s+(?:sinds|since)\s+(?:vorige|vorig|afgelopen|gisteren|eergisteren|kort|deze|last|"
    r"yesterday)\b",
    re.I,
)
# The last year of the teens is 19.
_LAST_TEEN_YEAR = re.compile(r"\b(?:laatste|last)\s+(?:tienerjaar|teen(?:age)?\s+year)\b", re.I)
_PAIR = re.compile(r"\((\d\d)\s*(?:en|&|and|\+|,|/)\s*(\d\d)\s*\)")
_NOT_PAIR_BEFORE = re.compile(r"(?:nr|nummer|number|kamer|room|huis|straat|weg|laan|tel)\S*\s*$")
_TWO_DIGITS = re.compile(r"\d\d")
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+\s*$")
# Not a sum that a puzzle solves after "=" ("10 + 10 = ... 20 jaar getrouwd").
_PLUS = re.compile(rf"{_NUM}{_UNIT}?\s*(?:\+|plus)\s*{_NUM}{_UNIT}?\b{UNIT_AFTER}(?!\s*[=?])", re.I)
_DIGIT_WORDS = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
_DIGIT_VALUES = {**{w: i for i, w in enumerate(_DIGIT_WORDS)}, "één": 1}
_SPOKEN = rf"((?:een|één|twee|drie|vier|vijf|zes|zeven)-(?:{'|'.join(_DIGIT_VALUES)}))"
_SPOKEN_AGE = re.compile(
    rf"\b(?:ik\s+ben|i\s+am|i['’]m|leeftijd\s*:?|age\s*:?|lft\s*:?)\s+{_SPOKEN}\b(?!-)"
    rf"|\b{_SPOKEN}\s+(?:jaar|jaartjes|lentes|zomers|jong)\b",
    re.I,
)
_YEAR_WORD = (
    r"(tweeduizend(?:[\s-]?(?:en[\s-]?)?(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|"
    r"elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien))?)"
)
_YEAR = rf"((?:19|20)\d\d|'\d\d|{_YEAR_WORD})"
_SEASON_CHILD = (
    r"(?:zomer|winter|lente|herfst|voorjaars?|najaars?|kerst|summer|spring)(?:kind|baby)"
)
_VINTAGE = re.compile(
    rf"\b(?:{_SEASON_CHILD}\s+(?:van|uit|of|from)\s+|(?:oogstjaar|vintage|lichting|"
    rf"geboortejaar|bouwjaar|jaargang|bj)\s*:?\s*){_YEAR}\b",
    re.I,
)

_HEADS_ORDINAL = heads("op")
_HEADS_INVERTED = heads("is ben")
_HEADS_WAS_LAST = heads("vorige vorig afgelopen last")
_REALLY_WORDS = ("echt", "écht", "really", "truly", "heus", "werkelijk")
_HEADS_REALLY = heads(" ".join(_REALLY_WORDS))
_HEADS_SPOKEN = heads("ik i leeftijd age lft een één twee drie vier vijf zes zeven")
_HEADS_VINTAGE = heads(
    "oogstjaar vintage lichting geboortejaar bouwjaar jaargang bj "
    + " ".join(
        f"{season}{child}"
        for season in ("zomer", "winter", "lente", "herfst", "voorjaar", "voorjaars", "najaar",
                       "najaars", "kerst", "summer", "spring")
        for child in ("kind", "baby")
    )
)  # fmt: skip


# Cheap tests of the lower-cased text before each scan.
_ORDINAL_GATE = re.compile(r"\d\s*(?:e|ste|de|th|st|nd|rd)\b")
_SPOKEN_GATE = re.compile(r"(?:een|één|twee|drie|vier|vijf|zes|zeven)-")
_VINTAGE_GATE = re.compile("kind|baby|oogst|vintage|lichting|jaar|bj")
# Three literal-led branches (not "(?:19|20)"), so the engine skips ahead to 1, 2 and '.
_YEAR_GATE = re.compile(r"19\d\d|20\d\d|'\d\d")


def phrase_ages(
    shadow: str, year: int, starts: WordStarts, words: bool
) -> Iterator[tuple[int, re.Match[str]]]:
    """(age, match) for each of the phrases above (its checks are the caller's); `words` says
    whether the text may hold an age in words (`scoring.agewords`)."""
    low = starts.text.lower()
    if "op " in low and _ORDINAL_GATE.search(low):
        for match in starts.find(_ORDINAL, _HEADS_ORDINAL):
            yield int(match.group(1)), match
    for gate, pattern in _NUMBER_LED_FORMS:
        if gate(low):
            yield from _number_led(pattern, starts, words)
    if any(word in low for word in _REALLY_WORDS):
        for match in starts.find(_REALLY, _HEADS_REALLY):
            yield age_value(match.group(1)), match
    if "is " in low or "ben " in low:
        for match in starts.find(_INVERTED, _HEADS_INVERTED):
            yield age_value(match.group(1)), match
    if "nog " in low or "still " in low:
        for match in starts.find(_WAS_LAST, _HEADS_WAS_LAST):
            yield age_value(match.group(1)) + 1, match
    if "tienerjaar" in low or "teen year" in low or "teenage year" in low:
        for match in _LAST_TEEN_YEAR.finditer(shadow):
            yield 19, match
    if "(" in low:
        yield from _pairs(shadow)
    if "-" in low and _SPOKEN_GATE.search(low):
        for match in starts.find(_SPOKEN_AGE, _HEADS_SPOKEN):
            yield _spoken(match.group(1) or match.group(2)), match
    if (_YEAR_GATE.search(low) or "tweeduizend" in low) and _VINTAGE_GATE.search(low):
        for match in starts.find(_VINTAGE, _HEADS_VINTAGE):
            yield year - _year_value(match.group(1), year), match


def _digits_first(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern with its first number in digits only, so the engine skips ahead to digits."""
    return re.compile(pattern.pattern.replace(_NUM, r"(\d{1,2})", 1), pattern.flags)


_DIGITS_FIRST = {p: _digits_first(p) for p in (_CANDLES, _HALF, _BORN_AGO, _PLUS, _SINCE_LATELY)}
_NUMBER_LED_FORMS = (
    (lambda low: "kaars" in low or "candle" in low, _CANDLES),
    (lambda low: "half" in low or "½" in low, _HALF),
    (lambda low: "geleden" in low or "ago" in low, _BORN_AGO),
    (lambda low: "+" in low or "plus" in low, _PLUS),
    (lambda low: "sinds" in low or "since" in low, _SINCE_LATELY),
)


def _number_led(
    pattern: re.Pattern[str], starts: WordStarts, words: bool
) -> Iterator[tuple[int, re.Match[str]]]:
    """Matches of a pattern that opens with a number: digits anywhere, words at word starts."""
    text = starts.text
    found = [m for m in _DIGITS_FIRST[pattern].finditer(text) if _at_word_start(text, m.start())]
    if words:  # only sums that hold an age word, as `may_state_age_in_words` asked of the text
        found += [
            m
            for m in starts.find(pattern, NUMBER_LED)  # shared: word starts found once
            if may_state_age_in_words(m.group().lower()) and _at_word_start(text, m.start())
        ]
    for match in found:
        yield sum(age_value(g) for g in match.groups() if g), match


def _at_word_start(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")


def _pairs(shadow: str) -> Iterator[tuple[int, re.Match[str]]]:
    for pair in _PAIR.finditer(shadow):
        before = shadow[max(0, pair.start() - 20) : pair.start()]
        if not _NAME_BEFORE.search(before) or _NOT_PAIR_BEFORE.search(before.lower()):
            continue  # a pair of names' ages, not "de kinderen (19 en 21)" or "Kamer (17 en 19)"
        for group in (1, 2):
            match = _TWO_DIGITS.match(shadow, pair.start(group))
            if match:
                yield int(match.group()), match


def _spoken(raw: str) -> int:
    tens, units = raw.lower().split("-")
    return 10 * _DIGIT_VALUES[tens] + _DIGIT_VALUES[units]


def _year_value(raw: str, year: int) -> int:
    if raw[:1].isdigit() or raw.startswith("'"):
        return full_year(raw, year)
    rest = re.sub(r"^tweeduizend[\s-]?(?:en[\s-]?)?", "", raw.lower())
    return 2000 + (age_value(rest) if rest else 0)
