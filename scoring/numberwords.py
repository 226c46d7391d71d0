"""Number words in nl and en ("nul zes twaalf", "zero six thirty-four") as digit strings."""

from __future__ import annotations

import re
from functools import lru_cache

_UNITS_NL = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_UNITS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS_NL = ["tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
             "achttien", "negentien"]  # fmt: skip
_TEENS_EN = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
             "eighteen", "nineteen"]  # fmt: skip
_TENS_NL = ["twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]
_TENS_EN = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

_VALUES: dict[str, str] = {}
for _i, _w in enumerate(_UNITS_NL):
    _VALUES[_w] = str(_i)
for _i, _w in enumerate(_UNITS_EN):
    _VALUES[_w] = str(_i)
for _i, _w in enumerate(_TEENS_NL + _TEENS_EN):
    _VALUES[_w] = str(10 + _i % 10)
for _i, _w in enumerate(_TENS_NL + _TENS_EN):
    _VALUES[_w] = str(20 + 10 * (_i % 8))
_VALUES["één"] = "1"
_VALUES["eén"] = "1"


def alternation(words: list[str]) -> str:
    """A trie-shaped regex of `words`: one character test per position instead of one per word."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    branches = [
        re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and "" not in node else f"(?:{'|'.join(branches)})"
    return body + "?" if "" in node and body.startswith("(?:") else (
        f"(?:{body})?" if "" in node else body)  # fmt: skip


_UNIT_NL = alternation([*_UNITS_NL[1:], "één", "eén"])
_UNIT_EN = alternation(_UNITS_EN[1:])
_COMPOUND_NL = rf"(?:{_UNIT_NL})\s?[eë]n\s?(?:{alternation(_TENS_NL)})"
_COMPOUND_EN = rf"(?:{alternation(_TENS_EN)})[\s-]?(?:{_UNIT_EN})"
_SIMPLE = alternation(list(_VALUES))

NUMBER_WORD_PATTERN = rf"\b(?:{_COMPOUND_NL}|{_COMPOUND_EN}|{_SIMPLE})\b"
# Every lower-case word (a run of \w) that is a number word or part of one: simple words, nl
# compounds written as one word and their halves ("vieren dertig", "vier endertig"), en
# compounds written as one word. A text without any of these has no number words.
NUMBER_TOKENS = frozenset(
    {*_VALUES}
    | {f"{u}{e}n{t}" for u in [*_UNITS_NL[1:], "één", "eén"] for e in "eë" for t in _TENS_NL}
    | {f"{u}{e}n" for u in [*_UNITS_NL[1:], "één", "eén"] for e in "eë"}
    | {f"{e}n{t}" for e in "eë" for t in _TENS_NL}
    | {f"{t}{u}" for t in _TENS_EN for u in _UNITS_EN[1:]}
)

_COMPOUND_NL_RE = re.compile(rf"({_UNIT_NL})\s?[eë]n\s?(\w+)", re.IGNORECASE)
_COMPOUND_EN_RE = re.compile(rf"({alternation(_TENS_EN)})[\s-]?(\w+)", re.IGNORECASE)


def word_digits(word: str) -> str:
    """The digits a number word (or nl/en compound like "vierendertig") stands for."""
    # casefold: the pattern matches case-insensitively, so "ſix" (long s) is six as well.
    lower = word.casefold()
    if lower in _VALUES:
        return _VALUES[lower]
    nl = _COMPOUND_NL_RE.fullmatch(lower)
    if nl:
        return str(int(_VALUES[nl.group(2)]) + int(_VALUES[nl.group(1)]))
    en = _COMPOUND_EN_RE.fullmatch(lower)
    if en:
        return str(int(_VALUES[en.group(1)]) + int(_VALUES[en.group(2)]))
    raise ValueError(f"not a number word: {word!r}")


# Ages only (never phones): a teen written in two words ("negen tien", "zeven-tien") and the
# common misspellings of the teens ("achtien", "zeventien" with one e less).
_SPLIT_TEEN = r"(?:vier|vijf|zes|zeven|acht|negen)[\s-]tien"
_MISSPELT = {
    "achtien": "18",
    "achtiende": "18",
    "zeventin": "17",
    "negentin": "19",
    "zestin": "16",
    "ninteen": "19",
    "nineten": "19",
    "eightteen": "18",
    "eigteen": "18",
}
MISSPELT_TEENS = frozenset(_MISSPELT)
AGE_WORD_PATTERN = rf"\b(?:{_SPLIT_TEEN}|{alternation(list(_MISSPELT))})\b|{NUMBER_WORD_PATTERN}"
# A number word glued to "jarig(e)": "zeventienjarige", "negentienjarig".
JARIG_PATTERN = rf"\b(?:{_COMPOUND_NL}|{_SIMPLE})(?=-?jarige?\b)"


@lru_cache(maxsize=1024)
def age_word_digits(word: str) -> str:
    """The digits of a number word as an age may write it (split teens, misspelt teens too)."""
    lower = word.casefold()
    if lower in _MISSPELT:
        return _MISSPELT[lower]
    split = re.fullmatch(r"(\w+)[\s-]tien", lower)
    if split and split.group(1) in _VALUES:
        return str(10 + int(_VALUES[split.group(1)]))
    return word_digits(lower)


def age_value(raw: str) -> int:
    """An age written in digits or words as a number (-1 when it reads as none)."""
    return int(raw) if raw.isdigit() else int(age_word_digits(raw) or -1)


_ROMAN_VALUES = {"X": 10, "V": 5, "I": 1, "L": 50}


def roman_value(numeral: str) -> int:
    """The value of a Roman numeral of X, V, I and L ("XIX" is 19)."""
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def full_year(raw: str, current: int) -> int:
    """A year as written ("2007", "'07") in full; a two-digit year is never in the future."""
    if raw.startswith("'"):
        two = int(raw[1:])
        return 2000 + two if 2000 + two <= current else 1900 + two
    return int(raw)
