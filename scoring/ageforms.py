"""Less usual ways to state an age, read beside the forms of `scoring.ages`.

- just below a number: "bijna 21", "nog (net) geen 21", "almost 20", "nog 1 jaartje tot de 20"
  (one year less);
- a sum: "10+9", "15 + 3" (a child's age first is also a `minor_cue` pattern);
- a field or a bullet: "Leeftijd: XIX", "Age: officieel 18", "Leeftijden: 19 t/m 23" (the
  youngest), "Jade • 19 •", a number word opening a line ("Negentien, spontaan");
- a birth year with a season or month ("voorjaar '08", "Dec '06", "geboren: lente 2007"), in
  classified shorthand ("bwjr '07"), or a birth date after a birthday ("jarig (6-12-2007)").
The caller puts each through the same checks as the usual forms (`scoring.notage.is_own_age`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scoring.agestarts import WordStarts, heads, matches_at
from scoring.notage import UNIT_AFTER
from scoring.numberwords import AGE_WORD_PATTERN, age_value, full_year, roman_value

_ROMAN = r"(X{1,2}(?:IX|IV|V?I{0,3}))"
_YEAR = r"((?:19|20)\d\d|'\d\d)"
_SEASONS = (
    r"(?:voorjaar|najaar|lente|zomer|herfst|winter|spring|summer|autumn|fall|jan(?:uari|uary)?|"
    r"feb(?:ruari|ruary)?|maart|march|mrt|apr(?:il)?|mei|may|jun[ie]?|jul[iy]?|aug(?:ustus|ust)?|"
    r"sep(?:t(?:ember)?)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# (pattern, how the age follows from the groups): ages given as they stand
_ALMOST = re.compile(
    rf"\b(?:nog\s+(?:net\s+)?geen|bijna|almost|nearly|not\s+yet)\s+(\d\d|{AGE_WORD_PATTERN})"
    rf"\b{UNIT_AFTER}(?!\s*(?:jaar|years?)\s+(?:ervaring|experience|in|bij|hier|here))",
    re.I,
)
_YEAR_TO_GO = re.compile(
    r"\bnog\s+(?:1|een|één)\s+jaar(?:tje)?\s+tot\s+(?:de\s+|mijn\s+)?(\d\d)\b", re.I
)
_SUM = re.compile(rf"\b(1\d|20)\s?\+\s?([1-9])\b(?![\d:/]){UNIT_AFTER}")
_FIELD_ROMAN = re.compile(rf"\b(?i:leeftijd|age|lft)\s*[:=\-–]?\s*{_ROMAN}\b")
_BULLET_ROMAN = re.compile(rf"[•|·]\s*{_ROMAN}\s*[•|·]")
_QUOTE = "[\"'‘’“”]"  # "Leeftijd: 'officieel' 18"
_FIELD_ADVERB = re.compile(
    rf"\b(?:leeftijd|age|lft)\s*[:=\-–]?\s*{_QUOTE}?(?:officieel|officially|net|pas|just)"
    rf"{_QUOTE}?\s+(\d\d)\b{UNIT_AFTER}",
    re.I,
)
_FIELD_RANGE = re.compile(r"\bleeftijden\s*:?\s*(\d\d)\s*(?:t/m|tot|-|–|to)\s*\d\d\b", re.I)
_BULLET_AGE = re.compile(r"[•|·]\s*(\d\d)\s*[•|·]")
_LEAD_WORD = re.compile(
    rf"(?:^|(?<=\n))[^\w\n]{{0,3}}({AGE_WORD_PATTERN})(?=\s*[,.!•|…]|\s+[^\w\s]|\s*$)", re.I
)
_SEASON_YEAR = re.compile(
    rf"(?:\b(?:geboren|geb\.?|born|bwjr|bwj|bj)\s*:?\s*)?\b{_SEASONS}\s+{_YEAR}\b"
    rf"|\b(?:bwjr|bwj)\.?\s*:?\s*{_YEAR}\b"
    rf"|{_YEAR}\s*(?:baby|babe|edition|editie|model|versie|version)\b",
    re.I,
)
_BIRTHDAY_DATE = re.compile(
    rf"\b(?:jarig|verjaardag|birthday|bday)\b[^\d\n]{{0,12}}\d{{1,2}}[-/.]\d{{1,2}}[-/.]{_YEAR}\b",
    re.I,
)
# Cheap tests of the lower-cased text before the scans above run.
_FIELD_GATE = re.compile(r"leeftijd|\blft|\bage\b|[•|·]")
_FIELD_WORD = re.compile(r"lft|age\b")


# Three literal-led branches (not "(?:19|20)"), so the engine skips ahead to 1, 2 and '.
_YEAR_GATE = re.compile(r"19\d\d|20\d\d|'\d\d")
_LINE_BREAK = re.compile("\n")
_ALMOST_HEADS = heads("nog bijna almost nearly not")
_NOG = heads("nog")
_RANGE_HEADS = heads("leeftijden")
_FIELD_HEADS = heads("leeftijd age lft", prefix=True)
_BIRTHDAY_HEADS = heads("jarig verjaardag birthday bday")


def other_ages(
    shadow: str, year: int, starts: WordStarts, words: bool
) -> Iterator[tuple[int, re.Match[str]]]:
    """(age, match) for each of the forms above that stands (its checks are the caller's);
    `starts` are the word starts of `shadow`, `words` what `may_state_age_in_words` says of it."""
    low = shadow.lower()
    if any(w in low for w in ("bijna", "geen", "almost", "nearly", "not yet")):
        for match in starts.find(_ALMOST, _ALMOST_HEADS):
            yield age_value(match.group(1)) - 1, match
    if "jaar" in low:
        for match in starts.find(_YEAR_TO_GO, _NOG):
            yield int(match.group(1)) - 1, match
    if "+" in low:
        for match in _SUM.finditer(shadow):
            yield int(match.group(1)) + int(match.group(2)), match
    if _may_hold_field(low):
        yield from _fields(starts)
    if words:
        lines = [0, *(m.end() for m in _LINE_BREAK.finditer(shadow))]
        for match in matches_at(_LEAD_WORD, shadow, lines):
            yield age_value(match.group(1)), match
    if _YEAR_GATE.search(shadow):
        for pattern in (_SEASON_YEAR, _BIRTHDAY_DATE):
            scan = pattern.finditer(shadow)
            if pattern is _BIRTHDAY_DATE:
                scan = starts.find(pattern, _BIRTHDAY_HEADS)
            for match in scan:
                raw = next(g for g in match.groups() if g)
                yield year - full_year(raw, year), match


def _may_hold_field(low: str) -> bool:
    """`_FIELD_GATE.search(low)`, with "\\blft" and "\\bage\\b" found by a regex that skips ahead
    to "l" and "a" (the word start checked after; a match holds no other word start)."""
    if "leeftijd" in low or "•" in low or "|" in low or "·" in low:
        return True
    return any(_at_word_start(low, m.start()) for m in _FIELD_WORD.finditer(low))


def _at_word_start(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")


def _fields(starts: WordStarts) -> Iterator[tuple[int, re.Match[str]]]:
    shadow = starts.text
    for match in [*starts.find(_FIELD_ROMAN, _FIELD_HEADS), *_BULLET_ROMAN.finditer(shadow)]:
        if match.group(1):
            yield roman_value(match.group(1)), match
    for scan in (
        starts.find(_FIELD_ADVERB, _FIELD_HEADS),
        starts.find(_FIELD_RANGE, _RANGE_HEADS),
        _BULLET_AGE.finditer(shadow),
    ):
        for match in scan:
            yield int(match.group(1)), match
