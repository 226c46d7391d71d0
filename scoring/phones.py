"""Phone numbers in ad text: de-obfuscation, validation with `phonenumbers`, and keyed hashes.

Order: one bytes regex over a one-byte-per-character shadow of the text (number words and
standalone "oo" overwritten by "#") finds the chains of seeds, the few windows where a number can
stand; only there is the text scanned for "digit units" (digits,
keycap emoji, look-alike letters next to digits, nl and en number words, "+", "(0)"); units
separated only by spaces, dots, dashes or slashes form a run, and windows of a run that
`phonenumbers` accepts (region NL) become matches.
Times ("21:00"), dates with a year, prices and postcodes never join a run into a valid number.

Numbers are linked across ads through `phone_key`, an HMAC-SHA256 with the instance secret; the
display form stays only in the ad's own text.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from scoring.numberwords import NUMBER_TOKENS, NUMBER_WORD_PATTERN, word_digits

PHONE_KEY_PREFIX = "hmac-sha256:"

# Fancy digits map 1:1 onto ASCII so offsets in the translated text match the original.
_FANCY_DIGITS = {
    **{0xFF10 + i: str(i) for i in range(10)},
    **{0x1D7CE + i: str(i) for i in range(10)},
    **{0x1D7EC + i: str(i) for i in range(10)},
    **{0x1D7F6 + i: str(i) for i in range(10)},
}
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})

_UNIT = re.compile(
    r"(?P<date>(?<!\d)\d{1,2}([-/.])\d{1,2}\2(?:19|20)\d\d(?!\d))"
    r"|(?P<trunk>\(0\))"
    r"|(?P<plus>\+|(?<=wa\.me/)(?=\d))"
    r"|(?P<keycap>(?:\d\ufe0f?\u20e3)+)"
    r"|(?P<digits>(?<![\w,])(?<!\d:)(?:[0-9OoIl|]*\d[0-9OoIl|]*|[Oo]{2,4})(?![\w:]|,\d))"
    r"|(?P<word>" + NUMBER_WORD_PATTERN + r")",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[ \t.\-–/_*~·()]*(?:, ?)?[ \t.\-–/_*~·()]*")
_MIN_DIGITS = 9
_MAX_DIGITS = 15

# Pre-filter. Every unit holds a seed: a digit, "+", a number word or a standalone "oo". Between
# two seeds of one run stand only separators, look-alikes, brackets, keycap marks or the "en" of a
# nl compound, so seeds joined that way form chains that contain every run; only chains long
# enough to hold _MIN_DIGITS digits are scanned with `_UNIT`. Texts with characters whose case
# folding is unusual take the full scan.
# The chains are found by one bytes regex on a "shadow" of the text, one byte per character:
# Latin-1 lower-cased, every other character "?" (it may be a digit, dash or keycap mark: "?" is
# all of these in the regex), and every number word present as a whole word, and every "oo" after
# a non-word character, overwritten with "#=..". A chain can then only begin at "+", a digit, "?"
# or "#", bytes the regex engine skips to in C instead of trying a match at every word.
# Overwriting makes more seeds, never fewer, and more seeds only make windows larger.
# A chain must have _MIN_DIGITS - 1 chain bytes after its lead, unless look-alikes before it
# ("ll2345678") are to be added by hand.
_SHADOW_TABLE = bytes(ord(chr(b).lower()) for b in range(256))
# Non-word bytes become spaces, so `split` gives the words.
_WORD_TABLE = bytes(b if chr(b).isalnum() or b == ord("_") else 32 for b in range(256))
_TOKEN_BYTES = frozenset(token.encode("latin-1") for token in NUMBER_TOKENS)
_STANDALONE_OO = re.compile(rb"oo(?<!\woo)")
_WS = rb"\s\x1c-\x1f\x85\xa0"
_CHAIN_BYTES = rb"[0-9#=+?oil|" + _WS + rb".\-/_*~,()\xb7e\xebn]"
_GAP = rb"(?:[" + _WS + rb".\-/_*~,()\xb7+?oil|#=]*|[" + _WS + rb"]?[e\xeb]n[" + _WS + rb"]?)"
_SEED = rb"(?:[+0-9?][0-9?#=oil|]*|(?<!\w)#[#=oil|]*(?!\w))"
_CHAIN = re.compile(
    rb"[+0-9?#](?:(?="
    + _CHAIN_BYTES
    + rb"{%d})|(?<=[oil|#=(+?][+0-9?]))" % (_MIN_DIGITS - 1)
    + rb"(?:(?<=[+0-9?])[0-9?#=oil|]*|(?<!\w#)[#=oil|]*(?!\w))"
    + rb"(?:"
    + _GAP
    + _SEED
    + rb")*"
)
_LOOKALIKE_CHARS = frozenset("0123456789OoIl|")
_UNIT_HEAD = frozenset("OoIl|(+")
# Characters that case-insensitive matching equates with ASCII letters ("ſix" is six): texts with
# them take the full scan, since the shadow knows only Latin-1 case. One search finds them and the
# fancy digits together (each search of a non-ASCII text costs a few microseconds).
_ODD_FOLDING_CHARS = "\u017f\u212a\u0130\u0131\u1e9e\u2126\ufb00-\ufb06"
_ODD_FOLDING = re.compile(f"[{_ODD_FOLDING_CHARS}]")
_UNUSUAL = re.compile(f"[\uff10-\uff19\U0001d7ce-\U0001d7ff{_ODD_FOLDING_CHARS}]")
# A unit ends at most one character (the ")" of "(0)") after the chain that holds it, and its
# look-aheads read two characters past its end: the scan of a window may stop 3 characters after
# it, and a unit ending later than one after it sends the window to the full scan.
_LOOKAHEAD = 3
_LOOKAHEAD_SAFE = 2


@dataclass(frozen=True)
class PhoneMatch:
    """One phone number found in a text: E.164 form, span in the original text, obfuscation flag."""

    e164: str
    start: int
    end: int
    text: str
    obfuscated: bool
    listed: bool = True  # False: nl mobile form (06 + 8 digits) in a block phonenumbers lacks


# A unit: (digits, start, end, plus, obfuscated). Plain tuples: a text makes dozens of them.
_Unit = tuple[str, int, int, bool, bool]
_DIGITS, _START, _END, _PLUS, _OBFUSCATED = range(5)


def find_phones(text: str, region: str = "NL") -> list[PhoneMatch]:
    """Find every valid phone number in `text`, including obfuscated ones, in text order."""
    plain, odd_folding = text, False
    if not text.isascii() and _UNUSUAL.search(text):
        plain = text.translate(_FANCY_DIGITS)
        odd_folding = _ODD_FOLDING.search(text) is not None
    found: list[PhoneMatch] = []
    for run in _runs_in(plain, 0, None) if odd_folding else _runs(plain):
        found.extend(_numbers_in_run(run, text, plain, region))
    if "06" in plain:
        found.extend(_split_numbers(text, plain, found))
    return sorted(_dedupe(found), key=lambda m: m.start)


# "06-1234 (na 12u bellen) 5678": a mobile number split by a few words, as a reader still reads it.
# The look-behind stands after the leading "0" (same test: what precedes the "0") so the pattern
# starts with a literal and the regex engine skips ahead to each "0" instead of trying every place.
_SPLIT = re.compile(
    r"0(?<![\d+\-/.]0)\s?6[\s.\-·]*(\d{4})"
    r"\s*\(?\s*[A-Za-z][^\d\n()]{0,24}(?:\d{1,2}(?::\d\d)?\s?(?:u|uur|h)\b[^\d\n()]{0,15})?\)?\s*"
    r"(\d{4}|\d{2} \d{2})(?![\d\-/.])"
)


def _split_numbers(text: str, plain: str, found: list[PhoneMatch]) -> list[PhoneMatch]:
    taken = [(m.start, m.end) for m in found]
    extra = []
    for match in _SPLIT.finditer(plain):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        digits = "06" + re.sub(r"\D", "", match.group(1) + match.group(2))
        e164 = dutch_mobile_form(digits)
        if e164 is not None:
            listed = _parse_e164(digits, "NL") is not None
            start, end = match.span()
            extra.append(PhoneMatch(e164, start, end, text[start:end], True, listed))
    return extra


def _runs(text: str) -> list[list[_Unit]]:
    """Runs of units with at least _MIN_DIGITS digits; the same as `_runs_in(text, 0, None)`."""
    runs: list[list[_Unit]] = []
    for start, stop in _windows(text):
        runs.extend(_runs_in(text, start, stop))
    return runs


def _windows(text: str) -> list[tuple[int, int]]:
    """(start, stop) of the seed chains that may hold a number."""
    windows = []
    for match in _CHAIN.finditer(_shadow(text)):
        start, stop = match.span()
        while start > 0 and text[start - 1] in _LOOKALIKE_CHARS:
            start -= 1
        start = _unit_start(text, start)
        # A chain's length bounds its digits: no unit gives more digits than it has characters.
        if stop - start >= _MIN_DIGITS:
            windows.append((start, stop))
    return windows


def _shadow(text: str) -> bytes:
    """The shadow of `text` (see above); longer number words are overwritten first."""
    shadow = text.encode("latin-1", "replace").translate(_SHADOW_TABLE)
    present = _TOKEN_BYTES.intersection(shadow.translate(_WORD_TABLE).split())
    for token in sorted(present, key=len, reverse=True):
        shadow = shadow.replace(token, b"#" + b"=" * (len(token) - 1))
    return _STANDALONE_OO.sub(b"#=", shadow)


def _unit_start(text: str, start: int) -> int:
    while start > 0 and text[start - 1] in _UNIT_HEAD:
        start -= 1
    return start


def _runs_in(text: str, start: int, stop: int | None) -> list[list[_Unit]]:
    """Runs among the units that start in text[start:stop] (lookbehinds still see before start).

    The scan ends _LOOKAHEAD characters after `stop` rather than searching the rest of the text;
    a unit reaching that end might continue past it, and then the window is scanned in full.
    """
    endpos = len(text) if stop is None else min(len(text), stop + _LOOKAHEAD)
    matches = []
    for match in _UNIT.finditer(text, start, endpos):
        if stop is not None and match.start() >= stop:
            break
        if endpos < len(text) and match.end() > endpos - _LOOKAHEAD_SAFE:
            return _runs_until(text, start, stop or len(text))
        matches.append(match)
    return _join_runs(text, matches)


def _runs_until(text: str, start: int, stop: int) -> list[list[_Unit]]:
    matches = []
    for match in _UNIT.finditer(text, start):
        if match.start() >= stop:
            break
        matches.append(match)
    return _join_runs(text, matches)


def _join_runs(text: str, matches: list[re.Match[str]]) -> list[list[_Unit]]:
    runs: list[list[_Unit]] = []
    current: list[_Unit] = []
    digits = 0
    last_end = -1
    for match in matches:
        unit = _unit(match)
        start = match.start()
        if current and not (last_end >= 0 and _joined(text, last_end, start)):
            if digits >= _MIN_DIGITS:
                runs.append(current)
            current, digits = [], 0
        if unit is None:
            last_end = -1
            continue
        current.append(unit)
        digits += len(unit[_DIGITS])
        last_end = unit[_END]
    if digits >= _MIN_DIGITS:
        runs.append(current)
    return runs


def _joined(text: str, end: int, start: int) -> bool:
    return (
        end == start
        or text[end] == " " == text[end:start]
        or bool(_SEPARATOR.fullmatch(text, end, start))
    )


def _unit(match: re.Match[str]) -> _Unit | None:
    kind, raw = match.lastgroup, match.group()
    start, end = match.span()
    if kind == "digits":
        if raw.isdecimal():
            return raw, start, end, False, False
        digits = raw.translate(_LOOKALIKE)
        return digits, start, end, False, digits != raw
    if kind == "date":
        return None
    if kind == "trunk":
        return "0", start, end, False, False
    if kind == "plus":
        return "", start, end, True, False
    if kind == "keycap":
        return re.sub(r"\D", "", raw), start, end, False, True
    return word_digits(raw), start, end, False, True


def _numbers_in_run(run: list[_Unit], original: str, plain: str, region: str) -> list[PhoneMatch]:
    found: list[PhoneMatch] = []
    i = 0
    while i < len(run):
        # A dial string that neither starts with "+" nor with a 0 is never valid (`_valid_e164`).
        if not run[i][_PLUS] and not run[i][_DIGITS].startswith("0"):
            i += 1
            continue
        match, used = _longest_valid(run, i, original, plain, region)
        if match is None:
            i += 1
            continue
        found.append(match)
        i += used
    return found


def _longest_valid(
    run: list[_Unit], i: int, original: str, plain: str, region: str
) -> tuple[PhoneMatch | None, int]:
    candidates: list[tuple[str, int]] = []
    digits = ""
    for j in range(i, len(run)):
        unit = run[j]
        if unit[_PLUS] and j > i:
            break
        digits += unit[_DIGITS]
        if len(digits) > _MAX_DIGITS + 2:
            break
        if len(digits) >= _MIN_DIGITS:
            candidates.append((digits, j + 1))
    plus = run[i][_PLUS]
    for digits, stop in reversed(candidates):
        dial = _dial_string(digits, plus)
        e164 = _valid_e164(dial, region)
        listed = e164 is not None
        if e164 is None:
            e164 = dutch_mobile_form(dial)
        if e164:
            start, end = run[i][_START], run[stop - 1][_END]
            obfuscated = any(u[_OBFUSCATED] for u in run[i:stop]) or (
                original[start:end] != plain[start:end]
            )
            match = PhoneMatch(e164, start, end, original[start:end], obfuscated, listed)
            return match, stop - i
    return None, 1


_DUTCH_MOBILE = re.compile(r"(?:0|\+31)(6\d{8})")


def dutch_mobile_form(dial: str) -> str | None:
    """E.164 of a number written in nl mobile form (06 + 8 digits, +31 6 + 8 digits), whether
    or not phonenumbers lists its block: new blocks appear faster than the library."""
    match = _DUTCH_MOBILE.fullmatch(dial)
    return None if match is None else "+31" + match.group(1)


def _dial_string(digits: str, plus: bool) -> str:
    if plus:
        return "+" + _drop_trunk_after_country(digits)
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits


def _drop_trunk_after_country(digits: str) -> str:
    # "+31 (0)6 ..." and "+31 06 ..." carry the national trunk 0 that E.164 leaves out.
    if digits.startswith("310"):
        return "31" + digits[3:]
    return digits


def _valid_e164(dial: str, region: str) -> str | None:
    if not dial.startswith("+") and not (dial.startswith("0") and len(dial) == 10):
        return None
    return _parse_e164(dial, region)


@lru_cache(maxsize=65536)
def _parse_e164(dial: str, region: str) -> str | None:
    # Cached: one advertiser's number recurs across its ads and every version of them.
    try:
        number = phonenumbers.parse(dial, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _dedupe(found: list[PhoneMatch]) -> list[PhoneMatch]:
    seen: set[tuple[int, int]] = set()
    unique = []
    for match in found:
        if (match.start, match.end) not in seen:
            seen.add((match.start, match.end))
            unique.append(match)
    return unique


def e164_numbers(text: str, region: str = "NL") -> list[str]:
    """The distinct E.164 numbers in `text`, first seen first."""
    return list(dict.fromkeys(m.e164 for m in find_phones(text, region)))


def phone_key(e164: str, secret: bytes | str) -> str:
    """Keyed hash of an E.164 number for linking: "hmac-sha256:<hex>"."""
    key = secret.encode() if isinstance(secret, str) else secret
    if not key:
        raise ValueError("phone_key needs a non-empty instance secret")
    digest = hmac.new(key, e164.encode("ascii"), hashlib.sha256).hexdigest()
    return PHONE_KEY_PREFIX + digest
