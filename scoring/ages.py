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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain

from adwatch.config.gazetteer import first_names, ordinary_words
from scoring.agedisguise import ages_behind_disguise
from scoring.agefilters import GATES, HEADS, NUMBER_LED
from scoring.ageforms import other_ages
from scoring.agemore import placed_ages, tidied
from scoring.agephrases import phrase_ages
from scoring.agestarts import WINDOW_BEFORE, Heads, WordStarts, heads, number_windows
from scoring.agewords import may_state_age_in_words
from scoring.notage import NOT_AGE_BEFORE, UNIT_AFTER, is_own_age, is_thing_age
from scoring.numberwords import (
    AGE_WORD_PATTERN,
    JARIG_PATTERN,
    age_value,
    full_year,
    roman_value,
)

_KEYCAPS = re.compile("(?:[0-9]\ufe0f?\u20e3)+")
_WIDE_DIGITS = str.maketrans({0xFF10 + i: str(i) for i in range(10)})
_NUM = rf"(\d{{1,2}}|{AGE_WORD_PATTERN})"
_YEAR = r"((?:19|20)\d\d|'\d\d)"
_NOT_WEEKDAY = r"(?!(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Ma|Di|Wo|Do|Vr|Za|Zo|Tel|Nr|Maat|Size)\b)"
_AGE_UNIT = (
    r"(?:jaartjes|jaar|lentes|lentejes|zomers|springs|summers|winters\b|herfsten\b|"
    r"jr\b\.?|j\b\.?|years?\b|yrs?\b|y/o\b|y\.o\.?|yo\b|y\b|jarige?\b)"
)
_PATTERNS = (
    re.compile(rf"\b{_NUM}\s*(?:-\s*)?{_AGE_UNIT}", re.I),
    re.compile(rf"\b(?:leeftijd|age|lft|lftd)\s*[:=\-–]?\s*{_NUM}\b{UNIT_AFTER}", re.I),
    re.compile(
        rf"\b(?:ik ben|i am|i['’]m|im|ben|(?:s?he|zij|hij)['’]s)\s+"
        rf"(?:nu\s+|pas\s+|net\s+|just\s+|only\s+|"
        rf"[A-Z][a-z]+\s*,?\s+)?{_NUM}\b{UNIT_AFTER}(?!\s+(?:next|volgende?)\b)",
        re.I,
    ),
    re.compile(rf"\b{_NOT_WEEKDAY}[A-Z][a-z]+\s*\(\s*(\d\d|{AGE_WORD_PATTERN})\s*\)"),
    re.compile(
        rf"\b{_NOT_WEEKDAY}[A-Z][a-z]+\s*,\s*(\d\d|{AGE_WORD_PATTERN})\b{UNIT_AFTER}"
        r"(?=\s*(?:[,.!|\n)]|$|\W))"
    ),
    re.compile(
        rf"\b(?:zijn|are)\s+(?:allebei|allemaal|beiden?|both|all)\s+{_NUM}\b{UNIT_AFTER}", re.I
    ),
    re.compile(
        rf"\b(?:net|pas|just|only|barely|sinds kort|recent(?:ly)?|verse|vers|fresh(?:ly)?|nog maar)"
        rf"(?:\s+(?:turned|geworden|gewoon))?\s+{_NUM}\b{UNIT_AFTER}",
        re.I,
    ),
    re.compile(rf"\b{_NUM}\s+(?:jaar\s+)?geworden\b", re.I),
    re.compile(rf"\b(?:werd|turned|became)\s+(?:\w+\s+){{0,2}}?{_NUM}\b{UNIT_AFTER}", re.I),
    re.compile(rf"\b{_NUM}\s*(?:e|de|ste|th|st|nd|rd)?\s+(?:verjaardag|birthday|bday)", re.I),
    re.compile(rf"\b(?:[A-Z][a-z]+|zij|ze|she|ik|i)\s+(?:is|ben|am)\s+{_NUM}\b{UNIT_AFTER}"),
    re.compile("(?:\U0001f382|\U0001f381|\U0001f973)\\s*" + rf"{_NUM}\b{UNIT_AFTER}"),
    # Several people's ages: "allebei 19", "both 20", "de jongste 19", "een meisje van negentien",
    # "mijn vriendin is 19".
    re.compile(
        rf"\b(?:allebei|beiden?|both|each|alle\s+twee|(?:de\s+|the\s+)?(?:jongste|oudste|youngest|"
        rf"eldest|oldest)(?:\s+is)?|(?:meisje|meid|meiden|dame|dames|girl|girls|studente|vriendin|"
        rf"studentes|studentjes|meisjes|meidjes|dametjes|vriendinnen|zusjes|sisters|ladies|vrouwen|"
        rf"zus|zusje|sister|lady|vrouw)\s+(?:van|is|of|is\s+pas|is\s+net|aged|age))\s+"
        rf"{_NUM}\b{UNIT_AFTER}",
        re.I,
    ),
    re.compile(rf"({JARIG_PATTERN})", re.I),  # "zeventienjarige"
)
# "wordt in maart 18", "turns 18 next month", "gaat 18 worden": the age now is one less.
_FUTURE_AGE = re.compile(
    rf"\b(?:wordt|word|turns|turning|will\s+be|gaat|ga)\s+"
    rf"(?:(?!(?:het|er|dit|dat|it|there|this|that)\b)\w+\s+){{0,3}}?{_NUM}\b"
    rf"(?:\s+(?:jaar|jr|years?))?(?:\s+worden)?{UNIT_AFTER}",
    re.I,
)
_ORDINALS = {
    "zestiende": 16, "zeventiende": 17, "achttiende": 18, "negentiende": 19, "twintigste": 20,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}  # fmt: skip
_ORDINAL_BIRTHDAY = re.compile(rf"\b({'|'.join(_ORDINALS)})\s+(?:verjaardag|birthday|bday)", re.I)
# "net meerderjarig", "barely legal": 18, said without the number.
_RECENTLY = (
    r"(?:net|pas|just|barely|nauwelijks|amper|kersvers|vers|fresh(?:ly)?|recent(?:ly)?|onlangs|"
    r"newly|eindelijk|finally)(?:\s+sinds\s+kort)?"
    r"|(?:pas\s+)?sinds\s+(?:kort|gisteren|eergisteren|vandaag|(?:deze|vorige|vorig|afgelopen)\s+"
    r"\w+|(?:haar|zijn|mijn)\s+verjaardag(?:\s+in\s+\w+)?)(?:\s+(?:is|ben)\s+(?:ze|zij|hij|ik))?"
)
_JUST_ADULT = re.compile(
    rf"\b(?:{_RECENTLY})\s+(?:officieel\s+|officially\s+)?(?:meerderjarig|legal|volwassen)\b"
    r"|\b(?:afgelopen|vorige|vorig|deze|this|last)\s+(?:week(?:end)?|maand|month|zomer|summer)\s+"
    r"(?:\w+\s+)?(?:meerderjarig|volwassen|legal)\s+geworden\b"
    r"|\b(?:onlangs|recent|laatst|gisteren|vandaag)\s+(?:\w+\s+)?(?:meerderjarig|volwassen)\s+"
    r"geworden\b",
    re.I,
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
_HAS_NUMBER = re.compile(r"\d")


def _split(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """The digits form and the number-word form of a pattern: the word alternation makes a
    regex try every word of the text, so it runs only on texts that hold an age word."""
    if _NUM not in pattern.pattern:
        return _unanchored(pattern.pattern, pattern.flags), None
    digits = _unanchored(pattern.pattern.replace(_NUM, r"(\d{1,2})"), pattern.flags)
    words = re.compile(pattern.pattern.replace(_NUM, f"({AGE_WORD_PATTERN})"), pattern.flags)
    return digits, words


_WEEKDAY = re.compile(_NOT_WEEKDAY[3:-1])
_WEEKDAY_GUARDED: set[re.Pattern[str]] = set()


def _unanchored(source: str, flags: int) -> re.Pattern[str]:
    """A pattern that opens with a digit or a capital (after \\b and the weekday guard) without
    them, so the regex engine skips ahead to digits or capitals; `_at_word_start` checks them
    instead (a match holds no later word start that opens with a digit or capital). Patterns
    that open with words keep theirs (without it they would try inside every word)."""
    if source.startswith(("\\b(\\d", "\\b\\d", "\\b[A-Z]", "\\b([A-Z]")):
        return re.compile(source[2:], flags)
    if source.startswith(f"\\b{_NOT_WEEKDAY}[A-Z]"):
        pattern = re.compile(source[2 + len(_NOT_WEEKDAY) :], flags)
        _WEEKDAY_GUARDED.add(pattern)
        return pattern
    return re.compile(source, flags)


def _at_word_start(text: str, match: re.Match[str]) -> bool:
    start = match.start()
    if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return False
    return match.re not in _WEEKDAY_GUARDED or not _WEEKDAY.match(text, start)


_SPLIT_PATTERNS = tuple(_split(p) for p in _PATTERNS)


_AGE_RANGE = range(12, 80)
# Telegram style: an age as a fragment of its own ("Nw. 18. dag/nacht."), and Roman numerals
# with an age unit ("XIX jaar").
_BARE_AGE = re.compile(r"(?:^|[.!|•\n]\s)([1-7]\d)\.(?=\s|$)")
_ROMAN_AGE = re.compile(
    r"\b(X{1,2}(?:IX|IV|V?I{0,3})|L?X{0,3}(?:IX|IV|V?I{0,3}))\s*(?:jaar|jr|j|years?|yo)\b"
)


# Substrings every match of the two patterns above holds (a Roman match counts only with its
# numeral): a text without them skips the scans, which try every position.
_BARE_AGE_HINT = re.compile(r"[1-7]\d\.")
_ROMAN_AGE_HINT = re.compile(r"[XVIL]\s*(?:jaar|jr|j|years?|yo)\b")


def _future_ages(shadow: str, text: str, found: dict, starts: WordStarts) -> None:
    """ "wordt in maart 18": the stated age is the coming birthday, so she is one year younger."""
    for match in starts.find(_FUTURE_AGE, _FUTURE_HEADS):
        age = age_value(match.group(1)) - 1
        if age in _AGE_RANGE and is_own_age(shadow, match):
            for start in range(max(0, match.start() - WINDOW_BEFORE), match.end()):
                if start in found and found[start].end > match.start():
                    del found[start]  # "I'm turning 18" read as "I'm ... 18" before
            found[match.start()] = _mention(age, text, match)


# Telegram and one-liners: a first name and a bare age ("Mia 19 zeist", "Nikki 20 & Sandy 24").
_NAME_AGE = _unanchored(rf"\b([A-Z][a-z]+)\s+(\d\d)\b{UNIT_AFTER}", 0)


_FUTURE_HEADS = heads("wordt word turns turning will gaat ga")


def _fragment_ages(shadow: str, text: str, found: dict, starts: WordStarts) -> None:
    if _BARE_AGE_HINT.search(shadow):
        _bare_ages(shadow, text, found)
    names, ordinary = first_names(), ordinary_words()
    for match in _NAME_AGE.finditer(shadow):
        if not _at_word_start(shadow, match):
            continue
        name, age = match.group(1), int(match.group(2))
        own = name in names and name.lower() not in ordinary and age in _AGE_RANGE
        if own and is_own_age(shadow, match):
            found.setdefault(match.start(), _mention(age, text, match))
    if _ROMAN_AGE_HINT.search(shadow):
        _roman_ages(shadow, text, found)


def _bare_ages(shadow: str, text: str, found: dict) -> None:
    for match in _BARE_AGE.finditer(shadow):
        age = int(match.group(1))
        start, end = match.span(1)
        if age >= 18 and not NOT_AGE_BEFORE.search(shadow[max(0, start - 30) : start - 2]):
            found.setdefault(start, AgeMention(age, text[start:end], start, end))


def _roman_ages(shadow: str, text: str, found: dict) -> None:
    for match in _ROMAN_AGE.finditer(shadow):
        if match.group(1):
            age = roman_value(match.group(1))
            if age in _AGE_RANGE and is_own_age(shadow, match):
                found.setdefault(match.start(), _mention(age, text, match))


@dataclass(frozen=True)
class AgeMention:
    """A stated age of the advertised person."""

    age: int
    text: str
    start: int
    end: int
    just: bool = False  # 18 reached only now ("legal since Tuesday"): also a minor cue


# A year written with the letter o for zero ("bouwjaar 2oo9"), same length.
_LOOKALIKE_YEAR = re.compile(r"\b(?:19|2[0oO])[0-9oO]\d\b|\b2[0oO][oO]\d\b")


# The same without its leading \b (that is checked after), so the engine skips ahead to 1 and 2.
_LOOKALIKE_YEAR_FAST = re.compile(r"19[0-9oO]\d\b|2[0oO][0-9oO]\d\b")
_WIDE_DIGIT = re.compile("[\uff10-\uff19]")


def _shadow(text: str) -> str:
    """Keycap and full-width digits as ASCII digits, padded so every offset stays put."""
    if any(_at_word_start(text, m) for m in _LOOKALIKE_YEAR_FAST.finditer(text)):
        text = _LOOKALIKE_YEAR.sub(lambda m: m.group().replace("o", "0").replace("O", "0"), text)
    if text.isascii():
        return text  # neither kind can stand in it
    if _WIDE_DIGIT.search(text):
        text = text.translate(_WIDE_DIGITS)
    if "\u20e3" not in text:
        return text
    return _KEYCAPS.sub(lambda m: _padded(re.sub(r"\D", "", m.group()), len(m.group())), text)


def _padded(digits: str, length: int) -> str:
    return digits + " " * (length - len(digits))


def stated_ages(text: str, today: date | None = None) -> tuple[AgeMention, ...]:
    """Ages the ad states for the advertised person (not client-age rules, units or experience),
    also behind filter-dodging spelling (`scoring.agedisguise`)."""
    day = today or date.today()
    found = _ages_as_written(text, day)
    more = [AgeMention(*fields) for fields in ages_behind_disguise(text, day, _ages_as_written)]
    if more:
        found = _without_overlaps(sorted([*found, *more], key=lambda a: (a.start, -a.end)))
    global _LAST
    _LAST = ((text, day.year), found)
    return found


# The last text's answer: the context checks ask again for the ad just extracted (`recent`).
_LAST: tuple[tuple[str, int], tuple[AgeMention, ...]] | None = None


def recent_stated_ages(text: str) -> tuple[AgeMention, ...]:
    """`stated_ages(text)`, answered without a second scan when it was the last text read."""
    last, key = _LAST, (text, date.today().year)
    if last is not None and last[0] == key:
        return last[1]
    return stated_ages(text)


def _ages_as_written(text: str, today: date | None = None) -> tuple[AgeMention, ...]:
    today = today or date.today()
    year = today.year
    shadow = _shadow(text)
    found: dict[int, AgeMention] = {}
    low = shadow.lower()
    words = may_state_age_in_words(low)
    starts = WordStarts(shadow)
    if words or _HAS_NUMBER.search(shadow):
        windows = number_windows(shadow)
        for (digits, worded), gate, heads in zip(_SPLIT_PATTERNS, GATES, HEADS, strict=True):
            if len(low) == len(shadow) and not gate(low):
                continue
            # A pattern without a number-word form reads words itself: it scans the whole text.
            scope = windows if worded is not None else None
            for match in _matches(starts, digits, worded if words else None, scope, heads):
                age = age_value(match.group(1))
                if match.start() in found:
                    continue  # an earlier pattern read an age here, which stays
                if age in _AGE_RANGE and is_own_age(shadow, match):
                    found[match.start()] = _mention(age, text, match)
    _fragment_ages(shadow, text, found, starts)
    for age, match in chain(
        other_ages(shadow, year, starts, words), phrase_ages(shadow, year, starts, words)
    ):
        if age in _AGE_RANGE and is_own_age(shadow, match):
            for start in range(match.start(), match.end()):
                found.pop(start, None)  # "nog geen 21" is 20, whatever a shorter form read
            found[match.start()] = _mention(age, text, match)
    _more_ages(shadow, text, found, today)
    if any(w in low for w in ("wordt", "word ", "turns", "turning", "will be", "gaat", "ga ")):
        _future_ages(shadow, text, found, starts)
    if not any(w in low for w in ("verjaardag", "birthday", "bday", "meerderjarig", "legal")) and (
        not any(w in low for w in ("volwassen",))
    ):
        return _with_birth_years(found, starts, text, year)
    for match in _ORDINAL_BIRTHDAY.finditer(shadow):
        found.setdefault(match.start(), _mention(_ORDINALS[match.group(1).lower()], text, match))
    for match in _JUST_ADULT.finditer(shadow):
        found.setdefault(match.start(), _mention(18, text, match))
    return _with_birth_years(found, starts, text, year)


_BIRTH_YEAR_FAST = tuple(_unanchored(p.pattern, p.flags) for p in _BIRTH_YEAR)
_BIRTH_YEAR_HEADS = (
    heads("geboren geb born bouwjaar bj build year geboortejaar jaargang model b"),
    None,
    None,
)
# Three literal-led branches (not "(?:19|20)"), so the engine skips ahead to 1, 2 and '.
_YEAR_GATE = re.compile(r"19\d\d|20\d\d|'\d\d")


def _matches(
    starts: WordStarts,
    digits: re.Pattern[str],
    worded: re.Pattern[str] | None,
    windows: list[tuple[int, int]] | None,
    heads: Heads | None,
) -> Iterator[re.Match[str]]:
    text = starts.text
    digit_led = digits.pattern.startswith(("(\\d", "\\d"))
    if windows is None or digit_led:
        yield from (m for m in digits.finditer(text) if _at_word_start(text, m))
    else:
        for start, end in windows:
            yield from digits.finditer(text, start, end)
    if worded is not None:
        yield from starts.find(worded, NUMBER_LED if digit_led else heads)


def _with_birth_years(
    found: dict, starts: WordStarts, text: str, year: int
) -> tuple[AgeMention, ...]:
    shadow = starts.text
    if _YEAR_GATE.search(shadow):
        for pattern, opening in zip(_BIRTH_YEAR_FAST, _BIRTH_YEAR_HEADS, strict=True):
            for match in _matches(starts, pattern, None, None, opening):
                age = year - full_year(match.group(1), year)
                if age in _AGE_RANGE and not is_thing_age(shadow, match):
                    found.setdefault(match.start(), _mention(age, text, match))
    ages = sorted(found.values(), key=lambda a: (a.start, -a.end))
    return _without_overlaps(tidied(ages, shadow))


def _mention(age: int, text: str, match: re.Match[str]) -> AgeMention:
    start, end = match.span()
    return AgeMention(age, text[start:end].rstrip(), start, start + len(text[start:end].rstrip()))


def _more_ages(shadow: str, text: str, found: dict, today: date) -> None:
    """Ages from longer forms (`scoring.agemore`), each replacing shorter forms inside it."""
    for age, (start, end), just in placed_ages(shadow, today, _AGE_RANGE):
        for at in range(max(0, start - WINDOW_BEFORE), end):
            if at in found and found[at].end > start:
                del found[at]  # "Ze is 18 (naja, bijna)" is 17
        kept = text[start:end].rstrip()
        found[start] = AgeMention(age, kept, start, start + len(kept), just)


def _without_overlaps(ages: list[AgeMention]) -> tuple[AgeMention, ...]:
    kept: list[AgeMention] = []
    for age in ages:
        if not kept or age.start >= kept[-1].end:
            kept.append(age)
    return tuple(kept)
