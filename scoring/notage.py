"""What makes a number no age of the advertised person: its unit, the words around it.

A number followed by minutes, km, euro, cm, kg, maat, uur, % is no age; nor a client-age rule
("18+", "vanaf 18"), years of experience or residence ("al 11 jaar in Houten": a residence needs
the year unit, so "een meid van 16 in Houten" stays an age), a feeling ("voel me weer 18") or
the age of a thing ("mijn auto is 14 jaar oud").
"""

from __future__ import annotations

import re
from functools import lru_cache

UNIT_AFTER = (
    r"(?!\s*(?:[+\d]|min\b|minuten|minutes|mins?\b|km|kilometer|m\b|meter|cm|kg|kilo|euro|eur\b|€|"
    r"%|maat|size|uur\b|u\b|h\b|hours?|hrs?|dagen|days|weken|weeks|maanden|months|x\b|p/|/|"
    r"[.,]\d|:\d|[-–—]\s*\d|(?:for|voor|tot|to|t/m|à)\s+\d|cup|procent|percent|stuks|keer|times|plus|"
    r"graden|degrees|°|\)\s*min|m2\b|m²|(?:januari|january|jan|februari|february|feb|maart|march|"
    r"mrt|april|apr|mei|may|juni|june|jun|juli|july|jul|augustus|august|aug|september|sept|sep|"
    r"oktober|october|okt|oct|november|nov|december|dec)\b(?!\s*(?:jaar|years?)\b)))"
)
_UNIT_FOLLOWS = re.compile(UNIT_AFTER.replace("(?!", "(?=", 1), re.I)
NOT_AGE_BEFORE = re.compile(
    r"\b(?:minimaal|minimum|min\.|vanaf|boven|ouder dan|over|at least|sinds|since|al|already|"
    r"jonger dan|younger than|onder|under|klanten|clients|na|after|voor|for|binnen|within|"
    r"ruim|bijna|almost|meer dan|more than|weer|again|als|like|tot|until|om|at|mannen|heren|"
    r"men|gents|gentlemen|ongeveer|about|around|zo'n|circa|ca\.|elke|every|per|nog|still|geen|not|"
    r"no longer|niet meer|was|were|waren)"
    r"\s*(?:de\s+|the\s+)?$",
    re.I,
)
_NOT_AGE_AFTER = re.compile(
    r"^\s*(?:jaar|jr|years?|yrs?|y)?\.?\s*(?:\+|of ouder|or older|en ouder|and older|and over|"
    r"en hoger|ervaring|experience|geleden|ago|getrouwd|"
    r"werkervaring|zelfstandig|werkzaam|actief|active|bezig|lange|long|"
    r"again|weer|jong\s+van\s+hart|young at heart|aan het werk|working|in business|"
    r"masseuse|masseur|escort|of experience|in de branche|in het vak|getrouwd|married|werkte|"
    r"werkten|worked|woonde|lived|heb ik|ben ik|zit ik|doe ik|deed ik|i have|i've|i worked|"
    r"i lived|meer\b|anymore|any more|jubileum|bestaan|jubilee|anniversary|daarvan|thereof|"
    r"of which)",
    re.I,
)
# Residence or time spent: only with a year unit ("al 11 jaar in Houten", "20 years here");
# without it the place is where she is ("een meid van 16 in Houten").
_RESIDENCE_AFTER = re.compile(
    r"^\s*(?P<unit>(?:jaar|jr|years?|yrs?)\.?)?\s*(?:in this|in the|in de|in het|in nederland|"
    r"in houten|in\s+[A-Z]|samen|together|hier|here)",
    re.I,
)
_ENDS_IN_YEARS = re.compile(r"(?:jaar|jaartjes|jr\.?|years?|yrs?\.?)\s*$", re.I)


# A duration, only with a year unit: "16 jaar trouw", "(20 jaar later!)", "20 jaar voor de klas";
# without it the words start a new thought ("18. Later vandaag vrij").
_DURATION_AFTER = re.compile(
    r"^\s*(?P<unit>(?:jaar|jr|years?|yrs?)\.?)?\s*(?:trouw|later|voor de klas|in dienst)\b",
    re.I,
)


def _not_age_after(matched: str, after: str) -> bool:
    if _NOT_AGE_AFTER.match(after):
        return True
    duration = _DURATION_AFTER.match(after)
    if duration and (duration.group("unit") or _ENDS_IN_YEARS.search(matched)):
        return True
    residence = _RESIDENCE_AFTER.match(after)
    return bool(residence and (residence.group("unit") or _ENDS_IN_YEARS.search(matched)))


_FEELING = re.compile(
    r"\b(?:voel(?:de)?|felt|feel|feels|voelt|lijk|look|looks|seem)\b[^.!?\n]{0,25}$", re.I
)
# The age of a thing or an animal the ad compares with ("mijn auto is 14 jaar oud").
_OBJECT_AGE = re.compile(
    r"\b(?:auto(?:otje|tje)?|car|wagen(?:tje)?|fiets|bike|scooter|huis|house|appartement|apartment|hond|dog|kat|cat|"
    r"poes|paard|horse|bank|sofa|telefoon|phone|wijn|wine|fles|bottle|whisk(?:e?y)|motor|boot|boat|"
    r"bed|kast|tafel|stoel|matras|meubel|foto|photo|pic|video|advertentie|profiel|site)\b"
    r"[^.!?\n]{0,25}$",
    re.I,
)


def _object_age(before: str, matched: str) -> bool:
    """ "mijn auto is 14 jaar oud", "mijn hond Max (14)"; but a name some words after a thing is
    a person ("Private house Zeist: this week Nikki (20)")."""
    found = _OBJECT_AGE.search(before)
    if found is None:
        return False
    between = before[found.start() :]
    return not matched[:1].isupper() or (len(between.split()) <= 1 and ":" not in between)


def is_thing_age(text: str, match: re.Match[str]) -> bool:
    """Whether a matched age or birth year is that of a thing just named ("mijn auto, bouwjaar
    2007", "wijn, oogstjaar 2007"), or a build year among a vehicle's words ("mijn trouwe Polo,
    bouwjaar 2009 - zij rijdt nog", "bj 2007, 180.000 km, APK")."""
    return _object_age(text[max(0, match.start() - 30) : match.start()], match.group()) or (
        _built_thing(text, match)
    )


_BUILD_WORD = re.compile(r"bouwjaar|\bbj\b|bwjr|model|jaargang|oogst|vintage|build", re.I)
# Words that make a build year a vehicle's or a bottle's, within its sentence.
_VEHICLE = re.compile(
    r"\b(?:rijdt|rijden|km|kilometers?|kilometerstand|apk|banden|vraagprijs|te koop|for sale|"
    r"benzine|diesel|elektrisch|brandstof|motor|versnellingsbak|trekhaak|cabrio|hatchback|"
    r"opel|volkswagen|vw|ford|renault|peugeot|toyota|citro[eë]n|fiat|kia|skoda|seat|bmw|audi|"
    r"mercedes|volvo|polo|golf|corsa|fiesta|clio|twingo|yaris|aygo|panda|picanto|mini|fles|"
    r"wijn|wine|bottle|whisk(?:e?y)|druiven)\b",
    re.I,
)


def _built_thing(text: str, match: re.Match[str]) -> bool:
    if not _BUILD_WORD.search(match.group()):
        return False
    start = max(text.rfind(".", 0, match.start()), text.rfind("\n", 0, match.start()), 0)
    ends = [i for i in (text.find(".", match.end()), text.find("\n", match.end())) if i >= 0]
    return bool(_VEHICLE.search(text, start, min(ends, default=len(text))))


# The age of the writer's own child or parent ("mijn dochter is net 18 geworden").
_RELATIVE_BEFORE = re.compile(
    r"\b(?:mijn|m'n|mn|my|onze|our)\s+(?:eigen\s+|own\s+)?(?:dochter|dochters|zoon|zoons|kind|"
    r"kinderen|kids|daughter|son|children|child|kleinkind|kleindochter|kleinzoon|neefje|nichtje|"
    r"moeder|vader|mother|father|mum|mom|dad|stiefdochter|stiefzoon)\b[^.!?\n]{0,25}$",
    re.I,
)


def not_an_age_after(text: str, end: int) -> bool:
    """Whether what follows a number makes it no age ("18 jaar in het vak", "18 km")."""
    after = text[end : end + 25]
    return _not_age_after(text[max(0, end - 12) : end], after) or bool(_UNIT_FOLLOWS.match(after))


def is_own_age(text: str, match: re.Match[str]) -> bool:
    """Whether the age a pattern matched belongs to the advertised person (see module)."""
    start, end = match.span()
    own = _is_own(text[max(0, start - 30) : start], match.group(), text[end : end + 25])
    return own and not _built_thing(text, match)  # reads the whole sentence: not cacheable


# The answer depends on these three strings alone; a long text repeating one phrase asks the
# same question thousands of times (four regex searches each).
@lru_cache(maxsize=4096)
def _is_own(before: str, matched: str, after: str) -> bool:
    return not (
        NOT_AGE_BEFORE.search(before)
        or _not_age_after(matched, after)
        or _FEELING.search(before)
        or _object_age(before, matched)
        or _RELATIVE_BEFORE.search(before)
    )
