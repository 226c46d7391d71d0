"""Round-the-clock words that are not about the worker's hours, for `always_available`.

After negation, a "24/7", "dag en nacht", "altijd open" or "elk uur" can still say something else:
- an idiom: "dag en nacht verschil", "het verschil is als dag en nacht", "ik denk dag en nacht
  aan je", "I dream of you day and night" ("idiom");
- a thing or an activity that runs round the clock: "24/7 camera", "24/7 rooster in ploegen",
  "camerabewaking 24/7", "non-stop lachen" ("about_other");
- per booked hour: "bij elk uur een drankje", "for every hour booked" ("per_hour");
- an asynchronous channel: "per mail altijd bereikbaar" ("channel");
- a claim the same sentence limits to fixed days or hours: "altijd open voor nieuwe ideeën,
  maar afspraken alleen di-za 11-21u" ("hours").
`why_not_always(doc, start, end)` gives (reason, cue offsets, detail) or None.
"""

from __future__ import annotations

import re

from scoring.tokens import WEEKDAYS, Tokens

_IDIOM_AFTER = frozenset({"verschil", "verschilletje", "difference", "-verschil"})
_THINKING = frozenset(
    {"denk", "denken", "dacht", "droom", "dromen", "droomde", "mis", "missen", "verlang",
     "verlangen", "fantaseer", "fantaseren", "think", "thinking", "dream", "dreaming", "miss",
     "missing", "pieker", "piekeren", "lig", "wakker"}
)  # fmt: skip
_ABOUT = frozenset({"aan", "over", "van", "om", "about", "of"})
# Things and pastimes that run round the clock (never the worker): right next to the match.
_THINGS = frozenset(
    {"camera", "camera's", "cameras", "cameratoezicht", "camerabewaking", "bewaking", "bewaakt",
     "beveiliging", "beveiligd", "security", "cctv", "rooster", "ploegen", "ploegendienst",
     "parkeren", "parkeerplaats", "parkeergarage", "parking", "toegang", "access", "tankstation",
     "supermarkt", "apotheek", "pharmacy", "klantenservice", "helpdesk", "verwarming", "airco",
     "wifi", "lachen", "kletsen", "praten", "giechelen", "feest", "party", "fun",
     "muziek", "music", "laughing", "laughs", "talking", "chatten", "gamen", "gaming"}
)  # fmt: skip
_PER = frozenset({"bij", "per", "voor", "with", "for", "each"})
_HOURLY = frozenset({"uur", "hour", "uurtje"})
_CHANNELS = frozenset(
    {"mail", "e-mail", "email", "mailtje", "post", "brief", "inbox", "formulier", "website",
     "site", "contactformulier", "voicemail"}
)  # fmt: skip
_ONLY = frozenset({"alleen", "only", "uitsluitend", "enkel", "afspraak", "appointment"})
_HOURS = re.compile(r"^\d{1,2}(?:[.:]\d\d)?(?:u|h|uur|am|pm)?$")
_DAYS = WEEKDAYS | {"t/m", "weekend", "weekends", "werkdagen", "weekdays", "overdag"}
_SENTENCE = frozenset({".", "!", "?", ";"})
_REACH = 20
_THINK_REACH = 4


def why_not_always(doc: Tokens, start: int, end: int) -> tuple[str, tuple[int, int], str] | None:
    """Why an `always_available` match doc[start:end] is not about round-the-clock hours."""
    return (
        _idiom(doc, start, end)
        or _thing(doc, start, end)
        or _per_hour(doc, start, end)
        or _channel(doc, start, end)
        or _limited(doc, end)
        or _night_alone(doc, start, end)
    )


_ALSO = frozenset({"ook", "also", "even", "zelfs", "en"})
_NIGHT = frozenset({"nachts", "night", "nacht"})
_EVERY = frozenset({"elke", "iedere", "alle", "every", "all", "7", "zeven", "seven"})
_DAY = frozenset({"dag", "dagen", "day", "days"})
# Every day, the daytime, or the days shops close: "ook op feestdagen en 's nachts".
_DAILY = frozenset(
    {"dagelijks", "daily", "overdag", "7/7", "daytime", "feestdagen", "feestdag", "holidays",
     "zondag", "zondags", "sunday", "sundays", "weekend", "weekends"}
)  # fmt: skip
_DAY_REACH = 12


def _night_alone(doc: Tokens, start: int, end: int):
    """ "ook 's nachts" alone is no round-the-clock claim (the corpus brief settles it); it is
    beside every day or the daytime ("elke dag open, ook 's nachts", "overdag en ook 's nachts")."""
    if doc.norm[start] not in _ALSO or doc.norm[end - 1] not in _NIGHT:
        return None
    first = max(0, start - _DAY_REACH)
    for i in range(first, min(doc.n, end + _DAY_REACH)):
        if doc.is_line_break(i) and i < start:
            first = i
    for i in range(first, min(doc.n, end + _DAY_REACH)):
        if i >= end and doc.is_line_break(i):
            break
        norm = doc.norm[i]
        if norm in _DAILY or (norm in _EVERY and i + 1 < doc.n and doc.norm[i + 1] in _DAY):
            return None
    return "hours", doc.offsets(start), "at night too, not every day"


def _idiom(doc: Tokens, start: int, end: int):
    for i in range(end, min(doc.n, end + 2)):
        if doc.norm[i] in _IDIOM_AFTER or doc.norm[i].endswith("verschil"):
            return "figurative", doc.offsets(i), "an idiom"
    for i in range(start - 1, max(-1, start - 1 - _THINK_REACH), -1):
        if _breaks(doc, i) or doc.text[i] == ",":
            break
        if doc.norm[i] in _THINKING:
            return "figurative", doc.offsets(i), "thinking of someone"
    if end < doc.n and doc.norm[end] in _ABOUT:
        for i in range(end + 1, min(doc.n, end + 3)):
            if doc.norm[i] in _THINKING:
                return "figurative", doc.offsets(i), "thinking of someone"
    return None


def _thing(doc: Tokens, start: int, end: int):
    for i in (end, end + 1, start - 1):
        if 0 <= i < doc.n and doc.norm[i] in _THINGS:
            if i == end + 1 and not doc.alpha[end] and doc.text[end] not in {"-", "–"}:
                continue
            return "about_other", doc.offsets(i), "a thing, not her hours"
    return None


def _per_hour(doc: Tokens, start: int, end: int):
    if doc.norm[end - 1] in _HOURLY and start > 0 and doc.norm[start - 1] in _PER:
        return "about_other", doc.offsets(start - 1), "per booked hour"
    return None


def _channel(doc: Tokens, start: int, end: int):
    first = max(0, start - 5)
    for i in range(start - 1, first - 1, -1):
        if _breaks(doc, i):
            break
        if doc.norm[i] in _CHANNELS:
            return "about_other", doc.offsets(i), "a channel, not her hours"
    for i in range(end, min(doc.n, end + 3)):
        if _breaks(doc, i):
            break
        if doc.norm[i] in _CHANNELS:
            return "about_other", doc.offsets(i), "a channel, not her hours"
    return None


def _limited(doc: Tokens, end: int):
    """ "..., maar afspraken alleen di-za 11-21u": fixed days or hours later in the sentence."""
    only = -1
    for i in range(end, min(doc.n, end + _REACH)):
        if _breaks(doc, i):
            return None
        norm = doc.norm[i]
        if norm in _ONLY:
            only = i
        elif only >= 0 and i - only <= 6 and _days_or_hours(norm):
            return "hours", doc.offsets(only), "limited to fixed hours"
    return None


def _days_or_hours(norm: str) -> bool:
    """A day, a range of days ("ma-vr") or a range of hours ("11-21u", "11am–9pm")."""
    if norm in _DAYS:
        return True
    parts = re.split(r"[-–]", norm)
    if len(parts) == 2 and all(p in WEEKDAYS for p in parts):
        return True
    return len(parts) == 2 and all(_HOURS.match(p) for p in parts)


def _breaks(doc: Tokens, i: int) -> bool:
    return doc.text[i] in _SENTENCE or doc.is_line_break(i)
