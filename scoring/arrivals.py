"""New-arrival and several-worker words that are about something else.

- "sinds gisteren", "since last Tuesday" beside a word of legal age or permission ("mag het
  officieel", "I'm legal since", "geen handtekening van pa en ma meer nodig") dates a birthday,
  not an arrival ("age");
- "deze week alleen donderdagavond": this week's hours, not a short stay ("hours");
- "oud & nieuw" is New Year's Eve ("holiday");
- "net verhuisd, twee straten verder" is a move within town ("about_other");
- "nieuw!" beside prices or hours ("Prijzen 2027 (nieuw!)") is a new thing ("about_other");
- several children or grandchildren counted ("oma van twee kleintjes") are no workers.
`why_not_new(doc, start, end)` and `why_not_workers(doc, start, end)` give (reason, cue offsets,
detail) or None.
"""

from __future__ import annotations

from scoring.tokens import WEEKDAYS, Tokens

_SINCE = frozenset({"sinds", "since"})
_LEGAL = frozenset(
    {"legal", "legaal", "officieel", "officially", "official", "toestemming", "handtekening",
     "permission", "signature", "kinderbijslag", "ouders", "parents", "pa", "ma", "meerderjarig",
     "volwassen", "adult", "stemmen", "vote", "rijbewijs", "allowed", "verjaardag", "birthday",
     "jarig"}
)  # fmt: skip
_CLAUSE_REACH = 10
_DAYPARTS = ("ochtend", "middag", "avond", "nacht", "morning", "afternoon", "evening", "night")
_ONLY = frozenset({"alleen", "only"})
_HOLIDAY_BEFORE = frozenset({"oud", "old"})
_AND = frozenset({"en", "&", "and", "+"})
_MOVED = frozenset({"verhuisd", "moved", "verhuist"})
_NEARBY = frozenset(
    {"dezelfde", "zelfde", "same", "straten", "straatjes", "verderop", "hoek", "corner", "streets"}
)  # fmt: skip
_PRICES = frozenset(
    {"prijzen", "prijs", "tarieven", "tarief", "prices", "price", "rates", "rate", "tijden",
     "openingstijden", "hours", "menu", "pakketten", "aanbod"}
)  # fmt: skip
_CHILDREN = frozenset(
    {"kleintjes", "kinderen", "kids", "kleinkinderen", "kindjes", "children", "grandchildren",
     "kinders", "zoontjes", "dochtertjes", "kleinkids"}
)  # fmt: skip
_MY = frozenset({"mijn", "my", "m'n"})
_FAMILY = frozenset({"oma", "opa", "moeder", "mama", "mother", "grandma", "granny", "mum", "mom"})


def why_not_new(doc: Tokens, start: int, end: int) -> tuple[str, tuple[int, int], str] | None:
    """Why a `new_arrival` match doc[start:end] is about something else, or None."""
    return (
        _legal_since(doc, start, end)
        or _this_weeks_hours(doc, end)
        or _holiday(doc, start)
        or _moved_nearby(doc, end)
        or _new_prices(doc, start)
    )


def why_not_workers(doc: Tokens, start: int, end: int) -> tuple[str, tuple[int, int], str] | None:
    """Why a `multiple_workers` match counts someone's children or grandchildren ("oma van
    twee kleintjes", "mijn twee kids"; a house's "onze twee kleintjes" are its workers), or None."""
    if doc.norm[end - 1] not in _CHILDREN:
        return None
    if start > 0 and doc.norm[start - 1] in _MY:
        return "about_other", doc.offsets(start - 1), "her children, not workers"
    for i in range(start - 1, max(-1, start - _CLAUSE_REACH), -1):
        if _stop(doc, i):
            break
        if doc.norm[i] in _FAMILY:
            return "about_other", doc.offsets(i), "family, not workers"
    return None


def _legal_since(doc: Tokens, start: int, end: int):
    if _SINCE.isdisjoint(doc.norm[start:end]):
        return None
    first, stop = doc.clause_around(start)
    for i in range(max(first + 1, start - _CLAUSE_REACH), min(stop, end + _CLAUSE_REACH)):
        if doc.norm[i] in _LEGAL:
            return "age", doc.offsets(i), "a legal age reached, not an arrival"
    return None


def _this_weeks_hours(doc: Tokens, end: int):
    """ "deze week alleen donderdagavond": a day or daypart after "alleen" are hours."""
    if doc.norm[end - 1] not in _ONLY or end >= doc.n:
        return None
    word = doc.norm[end]
    if (
        word in WEEKDAYS
        or word.startswith(tuple(d for d in WEEKDAYS if len(d) > 3))
        or (word.endswith(_DAYPARTS))
    ):
        return "hours", doc.offsets(end), "this week's hours"
    return None


def _holiday(doc: Tokens, start: int):
    if start >= 2 and doc.norm[start - 1] in _AND and doc.norm[start - 2] in _HOLIDAY_BEFORE:
        return "promotion", doc.offsets(start - 2), "New Year's Eve"
    return None


def _moved_nearby(doc: Tokens, end: int):
    if doc.norm[end - 1] not in _MOVED:
        return None
    for i in range(end, min(doc.n, end + _CLAUSE_REACH + 4)):
        if doc.text[i] in {".", "!", "?"} or doc.is_line_break(i):
            return None
        if doc.norm[i] in _NEARBY or (doc.norm[i] == "ver" and doc.norm[i - 1] == "niet"):
            return "about_other", doc.offsets(i), "a move within town"
    return None


def _new_prices(doc: Tokens, start: int):
    for i in range(start - 1, max(-1, start - 5), -1):
        if doc.is_line_break(i):
            break
        if doc.norm[i] in _PRICES:
            return "about_other", doc.offsets(i), "a new thing"
    return None


def _stop(doc: Tokens, i: int) -> bool:
    return doc.text[i] in {".", "!", "?", ";"} or doc.is_line_break(i)
