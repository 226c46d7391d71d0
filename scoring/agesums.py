"""Ages worked out rather than written: sums, differences, products, halves, Roman numerals and
binary in an age slot, and "about seventeen".

- a difference: "1 jaar jonger dan achttien", "een jaartje jonger dan twintig", "twintig min
  drie", "ruim een jaar over de 18" (19), "mijn zus is 21 en ik ben twee jaar jonger" (19);
- a product or a half: "4 keer 5", "2×9 jaar oud", "de helft van 40" (in an age slot);
- a sum of several terms: "9+9+9+9" is 36, never 18; Roman sums "XV + II";
- a Roman numeral after a name or a field ("Roos, XVI,", "Ik ben Iris, XVIII", "jaartjes: XIX");
- binary after a field ("leeftijd: 10011");
- an estimate: "een jaartje of zeventien", "a year or seventeen".
The caller puts each through the same checks as the usual forms (`scoring.notage.is_own_age`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scoring.notage import UNIT_AFTER
from scoring.numberwords import AGE_WORD_PATTERN, age_value, roman_value

_NUM = rf"(\d{{1,2}}|{AGE_WORD_PATTERN})"
_SMALL = r"(\d|een|één|one|twee|two|drie|three|vier|four|vijf|five|a|an)"
_ROMAN = r"(X{1,3}(?:IX|IV|V?I{0,3})|V?I{0,3}X{0,2})"
# Where an age stands: a field, "ik ben", "ze is", a name and a comma.
_SLOT = (
    r"(?:leeftijd|age|lft|jaartjes|jaren|years|ik\s+ben|i\s+am|i['’]m|ben\s+ik|ze\s+is|zij\s+is|"
    r"she\s+is|she['’]s|hij\s+is|he\s+is|he['’]s)\s*[:=?\-–]?\s*(?:echt\s+|precies\s+|exact(?:ly)?\s+)?"
)
_SMALL_VALUES = {"a": 1, "an": 1, "een": 1, "één": 1, "one": 1, "twee": 2, "two": 2, "drie": 3,
                 "three": 3, "vier": 4, "four": 4, "vijf": 5, "five": 5}  # fmt: skip

_YOUNGER_THAN = re.compile(
    rf"\b{_SMALL}\s+(?:jaar|jaartje|jaartjes|year|years)\s+(jonger|younger|ouder|older)\s+"
    rf"(?:dan|than)\s+(?:de\s+|the\s+)?{_NUM}\b{UNIT_AFTER}",
    re.I,
)
_PAST = re.compile(
    rf"\b(?:ruim\s+|bijna\s+|net\s+|precies\s+)?{_SMALL}\s+(?:jaar|jaartje|year)\s+"
    rf"(?:over|voorbij|past|na)\s+(?:de\s+|the\s+|mijn\s+|my\s+)?{_NUM}\b{UNIT_AFTER}",
    re.I,
)
_SIBLING = re.compile(
    rf"\b(?:zus|zusje|broer|sister|brother|vriendin)\s+is\s+(\d\d)\b[^.!?\n]{{0,20}}?\b"
    rf"(?:ik\s+ben|i['’]m|i\s+am)\s+(?:precies\s+|exact(?:ly)?\s+)?{_SMALL}\s+"
    r"(?:jaar|jaartjes?|years?)\s+(jonger|younger|ouder|older)",
    re.I,
)
_MINUS = re.compile(rf"{_SLOT}{_NUM}\s*(?:min|minus|−)\s*{_NUM}\b{UNIT_AFTER}", re.I)
_TIMES = re.compile(
    rf"(?P<slot>{_SLOT})?\b(\d{{1,2}}|{AGE_WORD_PATTERN})\s*(?:x|×|\*|keer|maal|times)\s*"
    rf"(\d{{1,2}}|{AGE_WORD_PATTERN})\b(?!\s*[=?])(?P<unit>\s*(?:jaar|years?|jr)\b)?",
    re.I,
)
_HALF_OF = re.compile(
    rf"{_SLOT}(?:de\s+|the\s+)?(?:helft\s+van|half\s+of|half\s+van)\s+{_NUM}\b", re.I
)
_PLUS_RUN = re.compile(r"(?<![\d+])(\d{1,2})((?:\s?\+\s?\d{1,2}){1,5})\b(?!\s*[=?+\d])")
_ROMAN_SUM = re.compile(rf"\b{_ROMAN}\s*\+\s*{_ROMAN}\b")
_ROMAN_SLOT = re.compile(
    rf"(?:\b(?i:leeftijd|age|lft|jaartjes|jaren|years|jaar)\s*[:=]\s*|"
    rf"\b(?i:ik\s+ben|i\s+am|i['’]m)\s+(?:[A-Z][a-zë]+\s*,\s*)?|"
    rf"\b[A-Z][a-zëïé]+\s*,\s*|\b[A-Z][a-zëïé]+\s*\(\s*){_ROMAN}\b(?=\s*[,.!;)|•·\n]|\s*$|\s+\W)"
)
_BINARY = re.compile(r"\b(?:leeftijd|age|lft)\s*[:=]?\s*([01]{5,7})\b", re.I)
_ABOUT = re.compile(
    rf"\b(?:een\s+|a\s+)?(?:jaar|jaartje|year)\s+(?:of|or)\s+{_NUM}\b{UNIT_AFTER}", re.I
)


def worked_out_ages(shadow: str) -> Iterator[tuple[int, re.Match[str]]]:
    """(age, match) for each of the forms above."""
    low = shadow.lower()
    if "jonger" in low or "younger" in low or "ouder" in low or "older" in low:
        for match in _YOUNGER_THAN.finditer(shadow):
            step = _small(match.group(1)) * (-1 if match.group(2).lower() in _LESS else 1)
            yield age_value(match.group(3)) + step, match
        for match in _SIBLING.finditer(shadow):
            step = _small(match.group(2)) * (-1 if match.group(3).lower() in _LESS else 1)
            yield int(match.group(1)) + step, match
    if _PAST_GATE.search(low):
        for match in _PAST.finditer(shadow):
            yield age_value(match.group(2)) + _small(match.group(1)), match
    yield from _arithmetic(shadow, low)
    if any(w in low for w in ("helft", "half of", "half van")):
        for match in _HALF_OF.finditer(shadow):
            yield age_value(match.group(1)) // 2, match
    yield from _numerals(shadow, low)
    if "jaar of" in low or "jaartje of" in low or "year or" in low:
        for match in _ABOUT.finditer(shadow):
            yield age_value(match.group(1)), match


_LESS = frozenset({"jonger", "younger"})
# Cheap tests before the scans, most of which open with words and would try every position.
_PAST_GATE = re.compile(r"(?:jaar|jaartje|year) (?:over|voorbij|past|na)\b")
_MINUS_GATE = re.compile(r"\bmin(?:us)?\b|−")
# "min" as in "30 min" passes the gate above in most ads; a difference needs a number after it.
_MINUS_AT = re.compile(rf"(?:min|minus|−)\s*{_NUM}\b", re.I)
_TIMES_GATE = re.compile(r"\d ?[x×*] ?\d|×|\b(?:keer|maal|times)\b")
_BINARY_GATE = re.compile(r"[01]{5}")
_PLUS_GATE = re.compile(r"\+ ?\d{1,2} ?\+")
_SLOT_WORDS = ("leeftijd", "age", "lft", "jaar", "year", "ik ben", "i am", "i'm", "i’m", "ben ik",
               " is ", "she's", "he's")  # fmt: skip


def _arithmetic(shadow: str, low: str) -> Iterator[tuple[int, re.Match[str]]]:
    if (
        _MINUS_GATE.search(low)
        and any(word in low for word in _SLOT_WORDS)
        and _MINUS_AT.search(shadow)
    ):
        for match in _MINUS.finditer(shadow):
            yield age_value(match.group(1)) - age_value(match.group(2)), match
    if _TIMES_GATE.search(low):
        for match in _TIMES.finditer(shadow):
            if match.group("slot") or match.group("unit"):
                yield age_value(match.group(2)) * age_value(match.group(3)), match
    if low.count("+") > 1 and _PLUS_GATE.search(low):
        for match in _PLUS_RUN.finditer(shadow):
            terms = [int(match.group(1)), *map(int, re.findall(r"\d+", match.group(2)))]
            if len(terms) > 2:
                yield sum(terms), match  # "9+9+9+9" is 36: the two-term forms read it as 18


def _numerals(shadow: str, low: str) -> Iterator[tuple[int, re.Match[str]]]:
    if "X" in shadow:
        for match in _ROMAN_SUM.finditer(shadow):
            if match.group(1) and match.group(2):
                yield roman_value(match.group(1)) + roman_value(match.group(2)), match
        for match in _ROMAN_SLOT.finditer(shadow):
            if match.group(1) and "X" in match.group(1):
                yield roman_value(match.group(1)), match
    if _BINARY_GATE.search(low):
        for match in _BINARY.finditer(shadow):
            yield int(match.group(1), 2), match


def _small(word: str) -> int:
    return int(word) if word.isdigit() else _SMALL_VALUES[word.lower()]


def sums_run(shadow: str) -> list[tuple[int, int]]:
    """Spans of sums of three terms or more ("9+9+9+9"): no two-term sum inside them is an age."""
    if shadow.count("+") < 2 or not _PLUS_GATE.search(shadow):
        return []
    return [m.span() for m in _PLUS_RUN.finditer(shadow) if m.group(2).count("+") > 1]
