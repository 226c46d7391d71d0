"""Ages said through a birthday just had or still to come, and adulthood just reached.

`recent_ages` gives (age, match, just): `just` marks an age of 18 reached only now, which is
also a `minor_cue` ("net 18" in other words):
- adult for a short while: "legal since last Tuesday", "legal for about 5 minutes", "twee weken
  18", "18 sinds een paar dagen", "net de 18 gepasseerd", "net over de grens van 18 heen",
  "only just of age", "sinds gisteren mag het officieel";
- the first things adults may do: "mag sinds dinsdag stemmen", "haar eerste stempas", "mijn
  eerste biertje legaal", no more child benefit or parents' signature ("geen kinderbijslag
  meer", "geen handtekening van pa en ma meer nodig");
- a birthday celebrated or behind her: "vierde afgelopen vrijdag haar achttiende", "haar
  achttiende verjaardag is nog maar net achter de rug", "de 20 aangetikt", "twintig sinds
  oktober", "vorige week was ik nog 17";
- a birthday to come: "viert in maart haar zeventiende" (16 now);
- not there yet: "not 18 yet", "not even 16 yet", "18 (naja, bijna)" (one less);
- "<word> is zeventien": an age after any subject, the sentence ending there.
The caller checks each like the usual forms (`scoring.notage.is_own_age`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scoring.agestarts import folds_like_ascii
from scoring.notage import UNIT_AFTER
from scoring.numberwords import AGE_WORD_PATTERN, age_value

_NUM = rf"(\d{{1,2}}|{AGE_WORD_PATTERN})"
_EIGHTEEN = r"(?:18|achttien|eighteen)"
_DAYS = (
    r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)"
)
_MONTHS = (
    r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december|january|february|march|may|june|july|august|october)"
)
_LATELY = (
    rf"(?:(?:pas\s+|net\s+|about\s+|ongeveer\s+|only\s+)?(?:(?:een\s+paar|a\s+few|enkele|twee|"
    rf"drie|two|three|\d+)\s+)?(?:(?:last|vorige|vorig|afgelopen|deze|this)\s+)?"
    rf"(?:gisteren|yesterday|eergisteren|vandaag|today|kort|dagen|dagje|dagjes|days?|weken|"
    rf"weekjes?|weeks?|week|weekend|maand|month|minuten|minutes|uur|hours?|{_DAYS}|{_MONTHS}))"
)
_ADULT = r"(?:legal|legaal|meerderjarig|volwassen|of\s+age|18|achttien|eighteen)"
_JUST_FORMS = (
    rf"\b{_ADULT}\s+(?:sinds|since|for)\s+{_LATELY}\b",
    rf"\b(?:een\s+paar|enkele|twee|drie|vier|a\s+few|two|three|\d)\s+(?:dagen|dagjes|weken|"
    rf"weekjes|days|weeks)\s+(?:oud\s+)?{_EIGHTEEN}\b{UNIT_AFTER}",
    rf"\b(?:net|pas|just|barely|amper)\s+(?:de\s+|the\s+)?(?:over\s+de\s+(?:grens\s+van\s+"
    rf"(?:de\s+)?)?)?{_EIGHTEEN}\s+(?:gepasseerd|voorbij|heen|aangetikt|bereikt|gehaald|passed)",
    r"\b(?:only\s+|barely\s+)?just\s+of\s+age\b|\bbarely\s+of\s+age\b|\bnet\s+oud\s+genoeg\b",
    rf"\b(?:sinds|since)\s+{_LATELY}\s+(?:officieel\s+|officially\s+)?(?:legaal|legal|"
    r"meerderjarig)\b",
    rf"\b(?:sinds|since)\s+{_LATELY}\s+mag\s+(?:het|ik|ze|zij|alles)\s+(?:nu\s+)?"
    r"(?:officieel|eindelijk|legaal|echt)",
    r"\b(?:mag|mocht|mogen|may|can)\s+(?:ik|ze|zij|hij|she|i\s+)?\s*(?:\w+\s+){0,2}?"
    r"(?:sinds|since|eindelijk|finally|voor\s+het\s+eerst|for\s+the\s+first\s+time)\s+"
    r"(?:\w+\s+){0,3}?(?:stemmen|vote|drinken|drink|alcohol|legaal|legally)\b",
    r"\b(?:eerste|first)\s+(?:legale\s+|legal\s+)?(?:stempas|vote|biertje|bier|beer|drankje|"
    r"drink|wijntje)\b(?:\s+\w+){0,2}?\s+(?:legaal|legally|legal)\b"
    r"|\b(?:eerste|first)\s+(?:legale|legal)\s+(?:biertje|bier|beer|drankje|drink|wijntje)\b"
    r"|\b(?:eerste\s+stempas|first\s+vote)\b",
    r"\b(?:geen|no)\s+(?:kinderbijslag|child\s+benefit|(?:handtekening|toestemming|permission|"
    r"signature)\s+(?:van|of|from)\s+(?:pa\s+en\s+ma|papa\s+en\s+mama|haar\s+ouders|mijn\s+"
    r"ouders|her\s+parents|my\s+parents|mum\s+and\s+dad|mom\s+and\s+dad))\s+(?:\w+\s+){0,3}?"
    r"(?:meer|more|anymore|any\s+more)\b",
)
# Per form, the words one of which the text must hold (a cheap test before the scan).
_JUST_GATES = (
    ("sinds", "since", " for "),
    ("dagen", "weken", "days", "weeks", "dagjes", "weekjes"),
    ("gepasseerd", "voorbij", "heen", "aangetikt", "bereikt", "gehaald", "passed"),
    ("of age", "oud genoeg"),
    ("sinds", "since"),
    (" mag ",),
    ("stemmen", "vote", "drinken", "drink", "alcohol", "legaal", "legally"),
    ("legal", "stempas", "vote"),
    ("kinderbijslag", "child benefit", "handtekening", "toestemming", "permission", "signature"),
)
# A sharper test where the gate words are common ("sinds", " for ", "dagen"): the words the
# form needs side by side, searched before the form itself (which is tried at every word).
_JUST_SHARP = {
    0: r"(?:legal|legaal|meerderjarig|volwassen|age|18|achttien|eighteen)\s+(?:sinds|since|for)\s",
    1: rf"(?:dagen|dagjes|weken|weekjes|days|weeks)\s+(?:oud\s+)?{_EIGHTEEN}",
}
_JUST = tuple(
    (gate, re.compile(_JUST_SHARP.get(i, "")), re.compile(form, re.I))
    for i, (gate, form) in enumerate(zip(_JUST_GATES, _JUST_FORMS, strict=True))
)
_ORDINALS = {
    "zestiende": 16, "zeventiende": 17, "achttiende": 18, "negentiende": 19, "twintigste": 20,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "16e": 16, "17e": 17, "18e": 18, "19e": 19, "20e": 20, "16de": 16, "17de": 17, "18de": 18,
    "19de": 19, "20ste": 20, "16th": 16, "17th": 17, "18th": 18, "19th": 19, "20th": 20,
}  # fmt: skip
_ORD = "(" + "|".join(_ORDINALS) + ")"
_CELEBRATED = re.compile(
    rf"\b(?:vierde|vierden|gevierd|celebrated|had)\s+(?:[\w'’]+\s+){{0,3}}?(?:haar|zijn|mijn|"
    rf"her|his|my)\s+{_ORD}\b(?!\s+(?:werk|jaar|keer|week|klant|date|time|year))",
    re.I,
)
_TO_COME = re.compile(
    rf"\b(?:viert|vier|celebrates|will\s+celebrate)\s+(?:[\w'’]+\s+){{0,4}}?(?:haar|zijn|mijn|"
    rf"her|his|my)\s+{_ORD}\b(?!\s+(?:werk|jaar|keer|week|klant|date|time|year))",
    re.I,
)
_BEHIND = re.compile(
    rf"\b{_ORD}\s+(?:verjaardag|birthday|bday)\s+(?:is|was)\s+(?:(?:nog|maar|pas|net|just|"
    r"only|barely)\s+){1,3}(?:achter\s+de\s+rug|voorbij|geweest|gevierd|over|past|behind)",
    re.I,
)
# Candles blown out: "blies ik 20 kaarsjes uit", "just blew out 18 candles last week".
_CANDLES_OUT = re.compile(
    rf"\b(?:blies|bliezen|blaast|blew|blows?|blown)\s+(?:[\w'’]+\s+){{0,3}}?{_NUM}\s+"
    rf"(?:kaarsjes|kaarsen|candles)\b|\b{_NUM}\s+(?:kaarsjes|kaarsen|candles)\s+(?:uit|out)\b",
    re.I,
)
_REACHED = re.compile(
    rf"\bde\s+{_NUM}\s+(?:aangetikt|bereikt|gehaald|gepasseerd)\b"
    rf"|\b{_NUM}\s+(?:sinds|since)\s+(?:begin\s+|eind\s+|half\s+)?{_MONTHS}\b",
    re.I,
)
_REACHED_SHARP = re.compile(
    rf"aangetikt|bereikt|gehaald|gepasseerd|(?:sinds|since)\s+(?:begin\s+|eind\s+|half\s+)?{_MONTHS}"
)
_WAS_STILL = re.compile(
    rf"\b(?:vorige|vorig|afgelopen|last|gisteren|yesterday)\s+(?:(?:week|maand|month|jaar|year|"
    rf"{_DAYS})\s+)?(?:was|were)\s+(?:ik|ze|zij|hij|i|she|he)\s+(?:nog|still)\s+{_NUM}\b"
    rf"{UNIT_AFTER}",
    re.I,
)
_NOT_YET = re.compile(
    rf"\b(?:not|nog\s+niet|niet\s+eens|nog\s+geen)\s+(?:even\s+|eens\s+|quite\s+|helemaal\s+)?"
    rf"(?:sweet\s+)?{_NUM}\s+(?:yet|nog)\b|\bnot\s+even\s+(?:sweet\s+)?{_NUM}\b{UNIT_AFTER}",
    re.I,
)
_ALMOST_AFTER = re.compile(
    rf"\b{_NUM}\s*[(,]\s*(?:(?:naja|nou\s+ja|oké|oke|ok|well|haha)\s*,?\s*)?(?:bijna|almost|"
    r"nearly)\b",
    re.I,
)
# (gate words, pattern, step): the age is the number read plus the step.
_COUNTED_FORMS = (
    (("kaars", "candle"), _CANDLES_OUT, 0),
    (("aangetikt", "bereikt", "gehaald", "gepasseerd", "sinds", "since"), _REACHED, 0),
    ((" was ", " were "), _WAS_STILL, 1),
    (("not ", "nog niet", "niet eens", "nog geen"), _NOT_YET, -1),
    (("bijna", "almost", "nearly"), _ALMOST_AFTER, -1),
)
_NOT_SUBJECT = (
    r"(?:maat|nummer|nr|kamer|prijs|tarief|score|cijfer|code|tijd|afstand|temperatuur|it|het|"
    r"dit|dat|this|that|er|there|uur|hour|rate|zoon|zoontje|dochter|dochtertje|kind|kindje|zus|"
    r"zusje|broer|broertje|moeder|vader|oma|opa|neef|neefje|nicht|nichtje|son|daughter|child|"
    r"sister|brother|mother|father|hond|kat|poes|auto|car|dog|cat|paard|huis|bed)"
)
_IS_AGE = re.compile(  # matched at a word start found by `_is_ages`
    rf"\b(?!{_NOT_SUBJECT}\b)[a-z]+\s+is\s+(?:pas\s+|net\s+|nog\s+maar\s+|only\s+|just\s+)?"
    rf"{_NUM}\b{UNIT_AFTER}(?=\s*(?:[,.!;)]|en\b|and\b|$|\n))"
)


# A first name with a letter beyond ASCII and a bare age ("Zoë 17", "Chloë 1️⃣7️⃣" once the keycaps
# are digits); plain ASCII names are read by `scoring.ages`.
_ACCENTED_NAME_AGE = re.compile(r"\b([A-Z][a-z]*[à-ÿ][a-zà-ÿ]*)\s+(\d\d)\b" + UNIT_AFTER)


def accented_name_ages(shadow: str, names: frozenset[str]) -> Iterator[tuple[int, re.Match[str]]]:
    """(age, match) of a first name with a diacritic and a bare age after it."""
    for match in _ACCENTED_NAME_AGE.finditer(shadow):
        if match.group(1) in names:
            yield int(match.group(2)), match


def recent_ages(shadow: str) -> Iterator[tuple[int, re.Match[str], bool]]:
    """(age, match, just) for each of the forms above."""
    low = shadow.lower()
    # The sharper tests read the lower-cased text, so only where it reads like the case-blind forms.
    exact = len(low) == len(shadow) and not folds_like_ascii(shadow)
    for gate, sharp, pattern in _JUST:
        if any(word in low for word in gate) and (not exact or sharp.search(low)):
            for match in pattern.finditer(shadow):
                yield 18, match, True
    if any(word in low for word in _ORDINALS):
        for pattern, step in ((_CELEBRATED, 0), (_BEHIND, 0), (_TO_COME, -1)):
            for match in pattern.finditer(shadow):
                age = _ORDINALS[match.group(1).lower()] + step
                yield age, match, age == 18 and step == 0
    for gate, pattern, step in _COUNTED_FORMS:
        if any(word in low for word in gate) and (
            pattern is not _REACHED or _REACHED_SHARP.search(shadow)
        ):
            for match in pattern.finditer(shadow):
                age = age_value(next(g for g in match.groups() if g)) + step
                yield age, match, age == 18 and step >= 0
    if " is " in low:
        yield from _is_ages(shadow)


_IS = re.compile(r"is\s")


def _is_ages(shadow: str) -> Iterator[tuple[int, re.Match[str], bool]]:
    """ "talent is zeventien": found from each "is", the subject read backwards."""
    for found in _IS.finditer(shadow):
        end = found.start()
        if end == 0 or not shadow[end - 1].isspace():
            continue
        start = end - 1
        while start > 0 and shadow[start - 1].isspace():
            start -= 1
        word_end = start
        while start > 0 and "a" <= shadow[start - 1] <= "z":
            start -= 1
        if start < word_end and (match := _IS_AGE.match(shadow, start)) is not None:
            yield age_value(match.group(1)), match, False
