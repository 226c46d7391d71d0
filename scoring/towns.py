"""Towns an ad offers itself in, for `multi_city`: landmarks, denials and quotes left out.

A town named only as a landmark ("10 min van Utrecht", "vlakbij Nieuwegein", "tussen Utrecht en
Culemborg"), a denied one ("Utrecht? Nee"), one on a quoted review line, or a hamlet's name where
no town is expected, does not count; the municipality's own places count as one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from adwatch.config.gazetteer import first_names
from scoring.extract import PlaceLike

SCOPE_TOWN = "(gemeente)"
# A number is a distance only with a unit or a way of travel ("24/7 naar Houten" is not one).
_DISTANCE = re.compile(
    r"(?:(?:\d+|een|één|vijf|tien|twintig)\s*(?:min\w*|km|kilometer|m|uur|u|kwartier)\.?|"
    r"kwartier|half uur|(?:\d+|een|één|vijf|tien|twintig)(?=\s*(?:lopen|rijden|fietsen|walk|"
    r"drive|by |met de|rijafstand)))"
    r"\s*(?:lopen|rijden|fietsen|walk|drive|by \w+|met de \w+|rijafstand)?\s*"
    r"(?:van|vanaf|naar|from|to|of|tot|v\.)\s*(?:het\s+|de\s+|the\s+)?(?:centrum\s+|station\s+)?$",
    re.I,
)
_RESIDENCE_CONTEXT = re.compile(
    r"(?:^|[\n•|\-–,:/&+(]|\b(?:in|naar|te|to|tot|en|and|ma|di|wo|do|vr|za|zo|mon|tue|wed|thu|"
    r"fri|sat|sun|week|weekend))\s*$",
    re.I,
)
# A hamlet that is also a first name ("Jet", "Lies") is a place only where a place must stand:
# after "in", "naar", "te" or a weekday; in a list of names or before an age it is a person.
_NAME_PLACE_CONTEXT = re.compile(
    r"\b(?:in|naar|te|to|ma|di|wo|do|vr|za|zo|mon|tue|wed|thu|fri|sat|sun)\s*$", re.I
)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return first_names()


_DENIED = frozenset({"niet", "not", "geen", "nooit", "never", "no"})
# "tussen" after a verb of going round names the towns she works in: "ik rij rond tussen Houten,
# Nieuwegein en Culemborg", "pendel tussen"; "vlakbij, tussen A en B" is a landmark.
_ROUND_BETWEEN = re.compile(
    r"\b(?:rond|pendel\w*|wissel\w*|werk\w*|reis|reizen|travel\w*|work\w*|switch\w*|"
    r"alternate\w*|afwisselend)\s+(?:\w+\s+)?(?:tussen|between)\b[^.!?\n]*$",
    re.I,
)
_COORDINATION = re.compile(
    r"^\s*(?:,|en|of|and|or|&|/|\||\+|-|–)?\s*(?:(?:en |and )?(?:ook|zelfs|even|also) )?$", re.I
)
_DENIED_AFTER = re.compile(r"^[^.!?\n]{0,40}\?\s*(?:nee|no|nope|nooit|never)\b", re.I)
# A town an edit takes back is no work town anywhere in the ad: "niet meer in Zeist", "Utrecht
# is gestopt", "In Zeist werk ik niet meer", "no longer in Zeist" (scoring/corrections.py).
_TAKEN_BACK_BEFORE = re.compile(
    r"\b(?:niet|geen|nooit|no|not)\s+(?:meer|langer|longer)\s+(?:\w+\s+)?(?:in|te|naar|op|at)?\s*$",
    re.I,
)
_TAKEN_BACK_AFTER = re.compile(
    r"^\W{0,3}(?:(?:is|zijn|was)\s+)?(?:gestopt|voorbij|vervallen|stopped|dropped)\b|"
    r"^[^.!?\n,]{0,30}\b(?:niet|no|not)\s+(?:meer|langer|longer|anymore)\b(?!\s+(?:dan|than))",
    re.I,
)
# A trip refused three words before the town: "geen escort naar Utrecht", "no outcall to Zeist"
# ("niet alleen in Houten maar ook ..." denies nothing).
_DENIED_TRIP = re.compile(
    r"\b(?:geen|niet|nooit|no|not|never)\s+(?!alleen\b|only\b|just\b)\w+\s+"
    r"(?:naar|in|to|into)\s*$",
    re.I,
)
# A travel time after a town is a landmark: "Nieuwegein 5 min, Utrecht 15 min".
_DISTANCE_AFTER = re.compile(
    r"^\s*[:(]?\s*(?:\d+|een|één|vijf|tien|twintig)\s*(?:min\w*|km|kilometer|kwartier)\b", re.I
)
_QUOTE_LINE = re.compile(r"^\W{0,4}[\"“„'«]")
# A hamlet's name opening a line is a town only in a list ("Dbosch-Tilburg-Houten"), not a word
# that happens to be one ("Born in 2005", "Look: ...", "Hee mannen").
_LINE_START = re.compile(r"(?:^|\n)\W{0,4}$")
_LIST_AFTER = re.compile(r"^\s*(?:[,/&|+\-–—.]|en\b|and\b|$|\n)", re.I)
# A sentence about the past, a private trip, where she grew up or hearsay names no work town:
# "jarenlang in Rotterdam gewerkt", "familiebezoek in Amsterdam", "denken dat ik in Bunnik zit".
_NOT_NOW = frozenset(
    {"gewerkt", "gewoond", "werkte", "woonde", "vroeger", "jarenlang", "verhuisd", "hart",
     "familiebezoek", "familie", "vakantie", "opgegroeid", "denken", "denkt", "worked",
     "lived", "used", "formerly", "moved", "holiday", "vacation", "family", "grew",
     # where she studies, has a day job, was born or where her child lives; what others ask
     "studeer", "studeert", "studie", "studies", "study", "studying", "eerstejaars", "erasmus",
     "universiteit", "university", "hogeschool", "ziekenhuis", "hospital", "bedrijf", "company",
     "trainee", "stage", "baan", "job", "forens", "forenst", "commute",
     "getogen", "geboren", "born", "dochter", "zoon", "daughter", "son", "vragen", "vraag",
     "buiten", "borden", "signs",
     # a grown child's town: "mijn jongste gaat op kamers in Groningen"
     "jongste", "oudste", "kamers", "kinderen"}
)  # fmt: skip
_SENTENCE_MARK = re.compile(r"[.!?\n]")


_NOT_NOW_REACH = 40


def _sentence_words(text: str, start: int, end: int) -> set[str]:
    """The lower-case words near text[start:end] in its sentence (`_NOT_NOW_REACH` characters)."""
    first = max(0, start - _NOT_NOW_REACH)
    left = max((m.end() for m in _SENTENCE_MARK.finditer(text, first, start)), default=first)
    right = _SENTENCE_MARK.search(text, end, end + _NOT_NOW_REACH)
    stop = right.start() if right else min(len(text), end + _NOT_NOW_REACH)
    return set(re.findall(r"\w+", text[left:stop].lower()))


def towns_named(text: str, places: Sequence[PlaceLike], ignore_after: Sequence[str]) -> set[str]:
    """Distinct towns an ad offers itself in; the municipality's own places count as one.

    A town is only a landmark (not counted) after one of `ignore_after` ("vlakbij Utrecht"),
    after a distance ("10 min van Utrecht"), after a denial ("ook niet in Utrecht", "Bunnik? Nee"),
    or joined by "en"/"of"/"," to a landmark just before it ("tussen Utrecht en Culemborg")."""
    ignored = {w.lower() for w in ignore_after} | _DENIED
    towns: set[str] = set()
    taken_back: set[str] = set()
    previous_end, previous_landmark = -100, False
    for place in places:
        if _TAKEN_BACK_BEFORE.search(text[max(0, place.start - 40) : place.start]) or (
            _TAKEN_BACK_AFTER.match(text[place.end : place.end + 40])
        ):
            taken_back.add(SCOPE_TOWN if place.in_scope else place.canonical)
        before = text[max(0, place.start - 40) : place.start]
        line = text[text.rfind("\n", 0, place.start) + 1 : place.start]
        landmark = (
            bool(_QUOTE_LINE.match(line))
            or (
                bool(ignored.intersection(w.strip("(['\"") for w in before.lower().split()[-2:]))
                and not _ROUND_BETWEEN.search(before)
            )
            or bool(_DENIED_TRIP.search(before))
            or bool(_DISTANCE.search(before))
            or bool(_DISTANCE_AFTER.match(text[place.end : place.end + 20]))
            or bool(_DENIED_AFTER.match(text[place.end : place.end + 50]))
            or (
                previous_landmark
                and place.start - previous_end < 16
                and bool(_COORDINATION.match(text[previous_end : place.start]))
            )
        )
        previous_end, previous_landmark = place.end, landmark
        if place.kind == "residence" and not _RESIDENCE_CONTEXT.search(before):
            continue  # a hamlet's name counts only where a town is expected ("in X", a list)
        if (
            place.kind == "residence"
            and text[place.start : place.end] in _first_names()
            and not _NAME_PLACE_CONTEXT.search(before)
        ):
            continue
        if (
            place.kind == "residence"
            and _LINE_START.search(before)
            and not _LIST_AFTER.match(text[place.end : place.end + 5])
        ):
            continue
        if not place.in_scope and not _NOT_NOW.isdisjoint(
            _sentence_words(text, place.start, place.end)
        ):
            continue
        if not landmark:
            towns.add(SCOPE_TOWN if place.in_scope else place.canonical)
    return towns - taken_back
