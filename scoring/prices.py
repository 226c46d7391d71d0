"""Prices per hour from running text, in the usual shorthands, surcharges and extras left out.

A price is an amount (€150, 150€, 150 euro, 150,-, eur 150, or a bare number after a duration)
beside a duration: "1 uur", "1u", "1h", "uur", "60 min", "heel uur", "½u", "half uur", "30 min",
"kwartier", "1,5u", "anderhalf uur", "90 min", "2u", "twee uur", either "duration amount" or
"amount per/p/ /voor duration". Each becomes a rate per hour (`euro`); the ad's hourly price is
the one whose duration lies nearest to an hour ("half uur 25" alone is 50 an hour). Amounts
marked as surcharge, extra, travel cost, discount or deposit ("+€30 reistoeslag", "na 23u +€30",
"korting") are not rates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.priceold import superseded
from scoring.pricewords import spelled_amounts


@dataclass(frozen=True)
class PriceMention:
    """A price, as a rate per hour in euro, with the stated amount and duration."""

    euro: int
    text: str
    start: int
    end: int
    amount: int = 0
    minutes: int = 60


_DURATION_WORDS = {
    "kwartier": 15, "half uur": 30, "halfuur": 30, "half hour": 30, "halve uur": 30,
    "½ uur": 30, "½uur": 30, "½u": 30, "½ u": 30, "½h": 30, "½ h": 30, "uur": 60, "heel uur": 60,
    "hele uur": 60, "een uur": 60, "één uur": 60, "1 uur": 60, "hour": 60, "an hour": 60,
    "one hour": 60, "1 hour": 60, "anderhalf uur": 90, "twee uur": 120, "two hours": 120,
    "uurtje": 60, "halfuurtje": 30, "half uurtje": 30, "kwartiertje": 15, "full hour": 60,
    "whole hour": 60, "volle uur": 60, "volledig uur": 60, "hourly": 60, "halfje": 30,
    "tweeuurtje": 120, "1/2u": 30, "1/2 uur": 30, "1/2 u": 30, "1/2h": 30,
    "twee uurtjes": 120, "drie kwartier": 45, "half an hour": 30,
}  # fmt: skip
_WORDS = "|".join(re.escape(w) for w in sorted(_DURATION_WORDS, key=len, reverse=True))
_DURATION = (
    rf"(?P<dur>(?:{_WORDS})\b|(?P<n>\d(?:[.,]5)?|\d{{2,3}})\s*"
    rf"(?P<u>min(?:uten|utes|s)?\.?|m\b|uur|u\b|h\b|hr?s?\b|hours?|hour|kwartier)"
    r"(?!\s*(?:per|p/|/|p\.)\s*(?:dag|day|week|nacht|night)))"
)
_AMOUNT = (
    r"(?P<pre>€|eur(?:o)?\s?)?[^\S\n]*(?<!\d[.,])(?P<amount>\d{2,4})(?:[.,]-|,00|[.,]00)?[^\S\n]*"
    r"(?P<post>€|euro\b|eur\b)?"
)
_BY_DURATION = re.compile(
    rf"(?<![\w+])(?:\+\s*)?{_DURATION}[^\S\n]*(?:[:=\-–]|voor|for|is|kost|costs)?[^\S\n]*"
    rf"(?:(?:maar|slechts|only|just)[^\S\n]+)?{_AMOUNT}(?!\s*(?:min|uur|u\b|h\b|km|%|\d))",
    re.I,
)
# Words between the duration and "voor"/"kost" ("half uurtje kennismaken voor 25 euro", "een
# uurtje bij mij kost maar 40 euro"): read only where such a word stands.
_BY_DURATION_WORDS = re.compile(
    rf"(?<![\w+]){_DURATION}(?:[^\S\n]+[^\W\d]+){{1,3}}?[^\S\n]*(?:[:=]|voor|for|kost|costs|is)"
    rf"[^\S\n]*(?:(?:maar|slechts|only|just)[^\S\n]+)?{_AMOUNT}(?!\s*(?:min|uur|u\b|h\b|km|%|\d))",
    re.I,
)
_BETWEEN_WORDS = ("voor", "for", "kost", "cost", "=", ":", " is ")
_PER_DURATION = re.compile(
    rf"(?:(?<=€)|(?<![\w+]))\s*{_AMOUNT}\s*"
    rf"(?:(?:per|p/|/(?!\s*\d)|p\.|p(?=u\b)|voor|for|an?|each|het|the)\s*(?:(?:the|een|a|"
    rf"het)\s+)?(?:{_DURATION}|(?P<bare>uur|u|h|hr|hour)\b)"
    rf"|(?<=[€oR])\s+(?P<word>full hour|whole hour|volle uur|hele uur|heel uur|half hour|"
    rf"half uur|halfuur|halve uur|kwartier|uur|hour)\b)",
    re.I,
)
_EXTRA_WORDS = (
    r"toeslag|surcharge|extra\b|meerprijs|travel|reiskosten|reistoeslag|korting|discount|"
    r"deposit|aanbetaling|borg\b|\bfee\b|fooi|parkeer|parkeren|parking|taxi|huur\b|kamerhuur|"
    r"\brent\b|slot\b"
)
# A plus sign marks an extra only right before an amount ("+€30", "na 23u +30"), not a "+" that
# joins words earlier in the line ("Castellum + escort regio. 150 p/u").
_EXTRA_BEFORE = re.compile(
    rf"{_EXTRA_WORDS}|[+➕][^\S\n]*(?:€|eur(?:o)?)?[^\S\n]*\d|\bna \d+\s*u|\bafter \d+", re.I
)
_EXTRA_AFTER = re.compile(rf"^[ \t]{{0,2}}(?:{_EXTRA_WORDS})", re.I)
_PRICE_RANGE = range(10, 2001)
_MINUTE_RANGE = range(10, 241)


def hourly_prices(text: str) -> tuple[PriceMention, ...]:
    """Every price with its rate per hour, in text order; surcharges and extras left out."""
    written = text
    text = spelled_amounts(text)
    if not any(c.isdigit() for c in text):
        return ()
    found: dict[int, PriceMention] = {}
    # The positions inside the amounts and the matches taken so far (spans are short, so a set
    # of positions keeps a text full of prices linear).
    amounts: set[int] = set()
    taken: set[int] = set()
    windows = _amount_windows(text)
    low = text.lower()
    between = any(word in low for word in _BETWEEN_WORDS)
    for pattern in (_BY_DURATION, _BY_DURATION_WORDS, _PER_DURATION):
        if pattern is _BY_DURATION_WORDS and not between:
            continue
        for match in _overlapping(pattern, text, windows):
            if match.start() in taken:
                continue  # "uur 90" inside "half uur 90"
            span = range(*match.span("amount"))
            if pattern is _PER_DURATION and not amounts.isdisjoint(span):
                continue  # "30 min €30 / uur €60": the €30 belongs to the half hour
            mention = _mention(text, match, written)
            if mention is not None:
                found.setdefault(match.start(), mention)
                amounts.update(span)
                taken.update(range(*match.span()))
    return tuple(sorted(found.values(), key=lambda p: p.start))


_AMOUNT_DIGITS = re.compile(r"\d{2,4}(?!\d)")
# A price reads at most this far before its amount (the longest duration and separators) and
# after it (a currency word and "per uur", and what the patterns' look-aheads read).
_BEFORE_AMOUNT = 32
_AFTER_AMOUNT = 32


def _amount_windows(text: str) -> list[tuple[int, int]]:
    """Merged windows around every number of two to four digits: every price holds one."""
    windows: list[tuple[int, int]] = []
    for match in _AMOUNT_DIGITS.finditer(text):
        if match.start() and text[match.start() - 1].isdigit():
            continue
        start = max(0, match.start() - _BEFORE_AMOUNT)
        end = min(len(text), match.end() + _AFTER_AMOUNT)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _overlapping(pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]):
    """Matches that may overlap: "Half uur 30 uur 50" holds "half uur 30" and "uur 50", though
    "30 uur 50" also matches (and is thrown out as 30 hours). Searched only in `windows`."""
    for start, end in windows:
        position = start
        while (match := pattern.search(text, position, end)) is not None:
            yield match
            position = match.start() + 1


def hourly_rate(prices: tuple[PriceMention, ...]) -> PriceMention | None:
    """The price whose duration lies nearest to one hour (the first of equals), or None."""
    return min(prices, key=lambda p: abs(p.minutes - 60), default=None)


def _minutes(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("word"):
        return _DURATION_WORDS.get(groups["word"].lower(), 60)  # "25 euro half hour"
    if groups.get("bare"):
        return 60
    words = match.group("dur").lower()
    for word, minutes in _DURATION_WORDS.items():
        if words.startswith(word) and match.group("n") is None:
            return minutes
    number = float(match.group("n").replace(",", "."))
    unit = match.group("u").lower()
    if unit.startswith("k"):
        return round(number * 15)  # "3 kwartier"
    return round(number) if unit.startswith("m") else round(number * 60)


def _mention(text: str, match: re.Match[str], written: str) -> PriceMention | None:
    minutes = _minutes(match)
    amount = int(match.group("amount"))
    if minutes not in _MINUTE_RANGE or amount not in _PRICE_RANGE or _is_extra(text, match):
        return None
    if superseded(text, match.start(), match.end()):
        return None
    if match.groupdict().get("n") is not None and match.group("pre") is None and amount < 20:
        return None
    rate = round(amount * 60 / minutes)
    start, end = match.span()
    padded = end
    while padded < len(text) and text[padded] == " ":
        padded += 1
    if written[end:padded] != text[end:padded]:
        end = padded  # through the padding of an amount written out ("2 briefjes van 20")
    quoted = written[start:end].rstrip()
    return PriceMention(rate, quoted.strip(), start, start + len(quoted), amount, minutes)


def _is_extra(text: str, match: re.Match[str]) -> bool:
    # Up to 20 characters before and 15 after, within the line (searched only that far).
    start, end = match.span()
    reach = max(0, start - 20)
    before = text[text.rfind("\n", reach, start) + 1 or reach : start]
    inside = match.group()
    line_end = text.find("\n", end, end + 15)
    after = text[end : min(end + 15, len(text)) if line_end < 0 else line_end]
    return bool(_EXTRA_BEFORE.search(before + inside) or _EXTRA_AFTER.search(after))
