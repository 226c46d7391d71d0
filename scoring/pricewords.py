"""Amounts written out, in notes or in slang, as digits in place: the price patterns of
`scoring.prices` then read them like any amount.

- number words beside a currency or a duration: "vijftig euro het uur", "uurtje vijftig",
  "vijf-en-dertig pieken per uur", "fifty euro for the full hour", "vijfentwintig het half uur";
- notes: "2 briefjes van 20", "twee briefjes van twintig" (40), "3 tientjes" (30), "1 tientje
  per kwartier", "een briefje van 50";
- slang for euro: pieken, piek, ballen, knaken, flappen, bucks, euries;
- look-alike letters inside an amount: "4O euro", "uurtje 5O".
Every replacement keeps the text's length (digits padded with spaces), so a price's offsets are
those of the ad as written.
"""

from __future__ import annotations

import re

from scoring.numberwords import NUMBER_TOKENS, NUMBER_WORD_PATTERN, word_digits

_SLANG = re.compile(r"\b(?:pieken|piek|ballen|knaken|flappen|bucks|euries|eurie)\b", re.I)
_MONEY = r"(?:euro|eur\b|€|pieken|piek\b|ballen|knaken|flappen|bucks|euries)"
_DURATION = r"(?:uur|uurtje|hour|kwartier|kwartiertje|halfje|half\s+uur|half\s+hour)"
# A compound number with hyphens ("vijf-en-dertig") is read as one word.
_HYPHENED = re.compile(
    r"\b(een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)-([eë]n)-"
    r"(twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)\b",
    re.I,
)
# What every `_HYPHENED` match holds, as the case-blind form reads it (no other letter folds to
# e or n): searched first, since the form is tried at every word.
_HYPHEN_EN = re.compile(r"-[eEëË][nN]-")
_WORD = re.compile(
    rf"(?P<word>{NUMBER_WORD_PATTERN})(?=\s*{_MONEY}|\s+(?:het|per|voor|for|an?|the|de|een)\s+"
    rf"(?:half\s+|heel\s+|hele\s+|full\s+|whole\s+)?{_DURATION})",
    re.I,
)
_AFTER_DURATION = re.compile(
    rf"\b(?P<before>{_DURATION}\s*[:=]?\s*)(?P<word>{NUMBER_WORD_PATTERN})", re.I
)
_NOTES = re.compile(
    rf"\b(?P<count>\d|{NUMBER_WORD_PATTERN})\s+(?:briefjes?|biljetten|biljet|notes?)\s+(?:van|of)"
    rf"\s+(?:€\s*)?(?P<value>\d{{1,3}}|{NUMBER_WORD_PATTERN})\b(?:\s*euro\b)?"
    rf"|\b(?P<tens>\d|{NUMBER_WORD_PATTERN})\s+(?P<kind>tientjes?|vijfjes?|twintigjes?|"
    r"tenners?|fivers?)\b",
    re.I,
)
_KIND_VALUES = {"tientje": 10, "vijfje": 5, "twintigje": 20, "tenner": 10, "fiver": 5}
_LOOKALIKE = re.compile(r"(?<=\d)[oO](?=[oO]?\b)")
_DIGIT_O = re.compile(r"\d[oO]")
_HINTS = ("eur", "€", "piek", "ballen", "knaken", "flappen", "bucks", "uur", "hour", "kwartier",
          "halfje", "briefje", "biljet", "note", "tientje", "vijfje", "twintigje", "tenner",
          "fiver")  # fmt: skip


def spelled_amounts(text: str) -> str:
    """The text with written-out amounts as digits, of the same length (see module)."""
    low = text.lower()
    if not any(word in low for word in _HINTS):
        return text
    if _DIGIT_O.search(text):
        text = _LOOKALIKE.sub("0", text)
    if any(word in low for word in _NOTE_WORDS):
        text = _NOTES.sub(_notes, text)
    if any(part in low for part in _NUMBER_PARTS) and not _BIG_NUMBER_WORDS.isdisjoint(
        _WORDS.findall(low)
    ):
        if _HYPHEN_EN.search(text):
            text = _HYPHENED.sub(lambda m: m.group(1) + " " + m.group(2) + " " + m.group(3), text)
        text = _WORD.sub(_word, text)
        text = _AFTER_DURATION.sub(_word, text)
    if any(word in low for word in _SLANG_WORDS):
        text = _SLANG.sub(lambda m: "euro".ljust(len(m.group())), text)
    return text


# Cheap tests before the scans: a note word, a part of every number word from ten up, slang.
_NOTE_WORDS = ("briefje", "biljet", "note", "tientje", "vijfje", "twintigje", "tenner", "fiver")
_NUMBER_PARTS = ("tig", "tien", "elf", "twaalf", "ty", "teen", "ten", "eleven", "twelve", "honderd",
                 "hundred")  # fmt: skip
_WORDS = re.compile(r"[a-zéë]+")


def _big(word: str) -> bool:
    try:
        return int(word_digits(word)) >= 10
    except ValueError:
        return False


# Number words of ten and more, whole or as the tens of a compound ("vijf en dertig"): a text
# without one holds no amount in words.
_BIG_NUMBER_WORDS = frozenset(w for w in NUMBER_TOKENS if _big(w))
_SLANG_WORDS = ("piek", "ballen", "knaken", "flappen", "bucks", "eurie")


def _value(raw: str) -> int:
    return int(raw) if raw.isdigit() else int(word_digits(raw.replace(" ", "")))


def _notes(match: re.Match[str]) -> str:
    whole = match.group()
    if match.group("count"):
        amount = _value(match.group("count")) * _value(match.group("value"))
    else:
        kind = match.group("kind").lower()
        kind = kind[:-1] if kind.endswith("s") else kind
        amount = _value(match.group("tens")) * _KIND_VALUES[kind]
    written = f"{amount} euro"
    return written.ljust(len(whole)) if len(written) <= len(whole) else whole


def _word(match: re.Match[str]) -> str:
    word = match.group("word")
    before = match.groupdict().get("before") or ""
    try:
        digits = str(_value(word))
    except ValueError:
        return match.group()
    if int(digits) < 10 or len(digits) > len(word):
        return match.group()
    return before + digits.ljust(len(word))
