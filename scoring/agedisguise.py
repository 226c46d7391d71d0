"""Ages behind filter-dodging spelling: the text with the disguise undone, and a map back.

- letters spaced or dotted out: "a.c.h.t.t.i.e.n jaar", "n-i-n-e-t-e-e-n", "L e e f t i j d : 1 9";
- digits and signs for letters inside a word: "n3g3nt13n", "tw1nt1g", "ze7entien", "tw33-nul",
  "geboortej@@r 2007", "n1neteen", "F0rty";
- a digit and "tien" for a teen: "8tien lentes";
- letters for digits inside a number: "l9 jr".
`undisguised` gives the cleaned text and, per character of it, the offset in the text as
written; `scoring.ages` reads ages in the cleaned text and quotes them from the original.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from scoring.splitwords import SYMBOL_LETTERS

_RUN = re.compile(
    r"(?<![\w@$])[A-Za-z0-9@$](?P<sep>[.\-‧·*_ ])[A-Za-z0-9@$](?:(?P=sep)[A-Za-z0-9@$])+"
    r"(?![\w@$])"
)
_FIELD_DIGITS = re.compile(r"(?<=[:=])\s*\d \d(?![ \t]*\d)")
_LEET_WORD = re.compile(r"(?<![\w@$])[A-Za-z@$][A-Za-z0-9@$]*[0-9@$][A-Za-z0-9@$]*(?![\w@$])")
_UNIT_TAIL = re.compile(r"^\d+[a-z]{1,3}$|^[a-z]\d+$", re.I)
_DIGIT_TEEN = re.compile(r"(?<![\w])([3-9])tien\b", re.I)
_TEEN_WORDS = {"3": "der", "4": "veer", "5": "vijf", "6": "zes", "7": "zeven", "8": "acht",
               "9": "negen"}  # fmt: skip
_LETTER_DIGITS = re.compile(r"(?<![\w])[lI](?=\d\b)|(?<=\d)[oO](?=\b)")
_HINT = re.compile(r"\w[.\-‧·*_ ]\w[.\-‧·*_ ]\w|[a-z][0-9@$]|[0-9@$][a-z]|\b[lI]\d", re.I)
# Per scan above, a cheap test each of its matches passes (most ads pass `_HINT`: "t u b", "O6").
_RUN_GATE = re.compile(r"([.\-‧·*_ ])[A-Za-z0-9@$]\1[A-Za-z0-9@$](?:\1|(?![\w@$]))")
_FIELD_DIGITS_GATE = re.compile(r"[:=]\s*\d \d")
_LEET_WORD_GATE = re.compile(r"[A-Za-z@$][0-9@$]")
_DIGIT_TEEN_GATE = re.compile(r"[3-9]tien", re.I)
_LETTER_DIGITS_GATE = re.compile(r"[lI]\d|\d[oO]")
# Words that read as numbers after 7 → v ("ze7entien") rather than 7 → t.
_SEVEN_AS_V = ("zeventien", "zeventig", "zeven", "seventeen", "seventy", "seven")


def undisguised(text: str) -> tuple[str, list[int]] | None:
    """The text with the disguises above undone and the map to the original offsets, or None
    when it holds none."""
    if not _HINT.search(text):
        return None
    pieces: list[tuple[int, int, str]] = []  # (start, end, replacement) in the text as written
    for match in _scan(_RUN_GATE, _RUN, text):
        letters = match.group().replace(match.group("sep"), "")
        if sum(c.isalpha() for c in letters) >= 3:
            pieces.append((match.start(), match.end(), _unleet(letters)))
    for match in _scan(_FIELD_DIGITS_GATE, _FIELD_DIGITS, text):
        pieces.append((match.end() - 3, match.end(), match.group()[-3:].replace(" ", "")))
    for match in _scan(_LEET_WORD_GATE, _LEET_WORD, text):
        if not _UNIT_TAIL.match(match.group()):
            pieces.append((match.start(), match.end(), _unleet(match.group())))
    for match in _scan(_DIGIT_TEEN_GATE, _DIGIT_TEEN, text):
        pieces.append((match.start(), match.end(), _TEEN_WORDS[match.group(1)] + "tien"))
    for match in _scan(_LETTER_DIGITS_GATE, _LETTER_DIGITS, text):
        pieces.append((match.start(), match.end(), "1" if match.group() in "lI" else "0"))
    if not pieces:
        return None
    return _applied(text, _first_of_overlaps(pieces))


def _scan(gate: re.Pattern[str], pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return list(pattern.finditer(text)) if gate.search(text) else []


def _unleet(word: str) -> str:
    plain = word.lower().translate(SYMBOL_LETTERS)
    if "7" in word:
        with_v = word.lower().replace("7", "v").translate(SYMBOL_LETTERS)
        if with_v.startswith(_SEVEN_AS_V):
            return with_v
    return plain


def _first_of_overlaps(pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for piece in sorted(pieces):
        if not kept or piece[0] >= kept[-1][1]:
            kept.append(piece)
    return kept


def _applied(text: str, pieces: list[tuple[int, int, str]]) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    at = 0
    for start, end, replacement in pieces:
        out.append(text[at:start])
        where.extend(range(at, start))
        out.append(replacement)
        span = end - start
        size = max(1, len(replacement))
        where.extend(
            start + (span - 1 if i == size - 1 else min(i * span // size, span - 1))
            for i in range(len(replacement))
        )
        at = end
    out.append(text[at:])
    where.extend(range(at, len(text)))
    return "".join(out), where


def ages_behind_disguise(
    text: str, today: date | None, read: Callable[[str, date | None], tuple]
) -> list[tuple[int, str, int, int, bool]]:
    """(age, quote, start, end, just) of the ages `read` finds in the undisguised text, with
    the offsets and quote of the text as written."""
    clean = undisguised(text)
    if clean is None:
        return []
    cleaned, where = clean
    found = []
    for age in read(cleaned, today):
        start, end = where[age.start], where[age.end - 1] + 1
        found.append((age.age, text[start:end], start, end, age.just))
    return found
