"""Phone numbers in ad text: de-obfuscation, validation with `phonenumbers`, and keyed hashes.

Order: cheap seed scans (digit runs, number words on the lower-cased text, "oo") find the few
windows where a number can stand; only there is the text scanned for "digit units" (digits,
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

from scoring.numberwords import NUMBER_TOKEN_PATTERN, NUMBER_WORD_PATTERN, word_digits

PHONE_KEY_PREFIX = "hmac-sha256:"

# Fancy digits map 1:1 onto ASCII so offsets in the translated text match the original.
_FANCY_DIGITS = {
    **{0xFF10 + i: str(i) for i in range(10)},
    **{0x1D7CE + i: str(i) for i in range(10)},
    **{0x1D7EC + i: str(i) for i in range(10)},
    **{0x1D7F6 + i: str(i) for i in range(10)},
}
_HAS_FANCY = re.compile("[\uff10-\uff19\U0001d7ce-\U0001d7ff]")
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
_SEPARATOR = re.compile(r"[ \t.\-–/_*~]*(?:, ?)?[ \t.\-–/_*~]*")
_MIN_DIGITS = 9
_MAX_DIGITS = 15

# Pre-filter. Every unit holds a seed: a digit, "+", a number word or a standalone "oo". Between
# two seeds of one run stand only separators, look-alikes, brackets, keycap marks or the "en" of a
# nl compound, so seeds joined that way form clusters that contain every run; a cluster that
# cannot hold _MIN_DIGITS digits is skipped, the others are scanned with `_UNIT` from their first
# seed. Texts where lower-casing changes lengths or case folding is unusual take the full scan.
# A digit seed is a whole run of digits and look-alikes holding a digit (its length bounds the
# digits its units give), or a "+": the regex takes it from its first digit on (so the engine
# can skip ahead to digits), the look-alikes before are added by hand.
_DIGIT_SEED = re.compile(r"\d[\dOoIl|]*|\+")
_LOOKALIKE_CHARS = frozenset("0123456789OoIl|")
_TOKEN_WORD = re.compile(rf"\b(?:{NUMBER_TOKEN_PATTERN})\b")
_OO_SEED = re.compile(r"oo+")
_SEED_GAP = re.compile(r"[ \t.\-–/_*~,()+OoIl|\ufe0f\u20e3]*|\s?[eë]n\s?")
_UNIT_HEAD = frozenset("OoIl|(+")
_ODD_FOLDING = re.compile("[\u017f\u212a\u0130\u0131\u1e9e\u2126\ufb00-\ufb06]")
_WORD_DIGITS = 2
_LOOKAHEAD = 24
_LOOKAHEAD_SAFE = 4
_OO_DIGITS = 4


@dataclass(frozen=True)
class PhoneMatch:
    """One phone number found in a text: E.164 form, span in the original text, obfuscation flag."""

    e164: str
    start: int
    end: int
    text: str
    obfuscated: bool


@dataclass(frozen=True)
class _Unit:
    digits: str
    start: int
    end: int
    plus: bool
    obfuscated: bool


def find_phones(text: str, region: str = "NL") -> list[PhoneMatch]:
    """Find every valid phone number in `text`, including obfuscated ones, in text order."""
    plain = text.translate(_FANCY_DIGITS) if _HAS_FANCY.search(text) else text
    found: list[PhoneMatch] = []
    for run in _runs(plain):
        found.extend(_numbers_in_run(run, text, plain, region))
    return _dedupe(found)


def _runs(text: str) -> list[list[_Unit]]:
    """Runs of units with at least _MIN_DIGITS digits; the same as `_runs_in(text, 0, None)`."""
    windows = _windows(text)
    if windows is None:
        return _runs_in(text, 0, None)
    runs: list[list[_Unit]] = []
    for start, stop in windows:
        runs.extend(_runs_in(text, start, stop))
    return runs


def _windows(text: str) -> list[tuple[int, int]] | None:
    """(start, stop) of the seed clusters that may hold a number, or None: scan everything."""
    lower = text.lower()
    if len(lower) != len(text) or (not text.isascii() and _ODD_FOLDING.search(text)):
        return None
    seeds: list[tuple[int, int, int]] = []
    for match in _DIGIT_SEED.finditer(text):
        start, end = match.span()
        while start > 0 and text[start - 1] in _LOOKALIKE_CHARS:
            start -= 1
        seeds.append((start, end, end - start))
    seeds += _word_seeds(lower)
    seeds += [(*m.span(), _OO_DIGITS) for m in _OO_SEED.finditer(lower)]
    if not seeds:
        return []
    seeds.sort()
    windows: list[tuple[int, int]] = []
    first, last, digits = seeds[0]
    for start, end, count in seeds[1:]:
        if start <= last or _SEED_GAP.fullmatch(text, last, start):
            last, digits = max(last, end), digits + count
            continue
        if digits >= _MIN_DIGITS:
            windows.append((first, last))
        first, last, digits = start, end, count
    if digits >= _MIN_DIGITS:
        windows.append((first, last))
    return [(_unit_start(text, start), stop) for start, stop in windows]


def _word_seeds(lower: str) -> list[tuple[int, int, int]]:
    """Every whole word of `lower` that is a number-word token.

    A number-word unit begins and ends at a word boundary and is made of whole words, each a token
    (nl compounds in one or two words, or split by a lone "en" that the seed gap joins; en
    compounds split by a space or hyphen), so whole-word occurrences are all the seeds it needs.
    """
    return [(*m.span(), _WORD_DIGITS) for m in _TOKEN_WORD.finditer(lower)]


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
    last_end = -1
    for match in matches:
        unit = _unit(match)
        joined = last_end >= 0 and _SEPARATOR.fullmatch(text, last_end, match.start())
        if not joined and current:
            runs.append(current)
            current = []
        if unit is None:
            last_end = -1
            continue
        current.append(unit)
        last_end = match.end()
    if current:
        runs.append(current)
    return [run for run in runs if sum(len(u.digits) for u in run) >= _MIN_DIGITS]


def _unit(match: re.Match[str]) -> _Unit | None:
    kind, raw = match.lastgroup, match.group()
    start, end = match.span()
    if kind == "date":
        return None
    if kind == "trunk":
        return _Unit("0", start, end, plus=False, obfuscated=False)
    if kind == "plus":
        return _Unit("", start, end, plus=True, obfuscated=False)
    if kind == "keycap":
        return _Unit(re.sub(r"\D", "", raw), start, end, plus=False, obfuscated=True)
    if kind == "digits":
        digits = raw.translate(_LOOKALIKE)
        return _Unit(digits, start, end, plus=False, obfuscated=digits != raw)
    return _Unit(word_digits(raw), start, end, plus=False, obfuscated=True)


def _numbers_in_run(run: list[_Unit], original: str, plain: str, region: str) -> list[PhoneMatch]:
    found: list[PhoneMatch] = []
    i = 0
    while i < len(run):
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
    window: list[_Unit] = []
    candidates: list[tuple[str, int]] = []
    length = 0
    for unit in run[i:]:
        if unit.plus and window:
            break
        window.append(unit)
        length += len(unit.digits)
        if length > _MAX_DIGITS + 2:
            break
        if length >= _MIN_DIGITS:
            candidates.append((_dial_string(window), len(window)))
    for dial, size in reversed(candidates):
        e164 = _valid_e164(dial, region)
        if e164:
            units = run[i : i + size]
            start, end = units[0].start, units[-1].end
            obfuscated = any(u.obfuscated for u in units) or original[start:end] != plain[start:end]
            return PhoneMatch(e164, start, end, original[start:end], obfuscated), size
    return None, 1


def _dial_string(units: list[_Unit]) -> str:
    digits = "".join(u.digits for u in units)
    if units[0].plus:
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
