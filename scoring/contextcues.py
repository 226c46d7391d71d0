"""Context cues of the later rule families, beside `scoring.context`: closing times, a monthly
intake, one of a family, a youthful word beside adult ages, a client's wish refused, a quoted
friend, a hotel as a meeting point.

Each function reads the tokens around a match and returns the cue that changes its meaning (or
None / 0 when there is none); `scoring.context.ContextChecks` decides what the cue stops.
"""

from __future__ import annotations

import re

from scoring.ages import recent_stated_ages
from scoring.agestarts import folds_like_ascii
from scoring.tokens import Tokens

QUOTES = frozenset({'"', "“", "”", "„", "«", "»", "''", "``"})
OPENING = frozenset({*QUOTES, "'"})
SENTENCE_ENDS = frozenset({".", "!", "?", ";"})
LINE_END = "\n"
UNTIL = frozenset({"tot", "until", "till", "t/m", "to"})
# A question about a difference answered with the idiom: "Het verschil met een app? Dag en nacht."
CONTRAST_ASKED = frozenset({"verschil", "difference", "vergelijking", "vergeleken", "compared"})
# "net verhuisd binnen Houten": a move within town
WITHIN = frozenset({"binnen", "within", "around", "rond"})
# A hotel as a meeting point, not a room: "Hotel Houten meeting point", "lobby van hotel X".
MEETING = frozenset(
    {"lobby", "meeting", "meetingpoint", "ontmoeten", "ontmoetingspunt", "ontmoetingsplek",
     "drankje", "drink", "borrel", "bar", "restaurant", "parkeerplaats", "parking", "meet",
     # her day job in a hotel: "ik werk als receptioniste in een hotel"
     "receptioniste", "receptionist", "schoonmaakster", "serveerster", "waitress", "baan", "job"}
)  # fmt: skip
MEETING_REACH = 5


# Newcomers every month or regularly: how a house takes people in, not one arrival.
MONTHLY = frozenset({"maandelijks", "monthly", "regelmatig", "regularly", "maand", "month"})


EVERY = frozenset({"elke", "iedere", "every", "each", "per", "a"})


def monthly(doc: Tokens, start: int) -> tuple[int, int] | None:
    """ "elke maand", "maandelijks", "regularly" up to six words before, in the sentence."""
    for i in range(start - 1, max(-1, start - 7), -1):
        if is_stop(doc, i):
            return None
        norm = doc.norm[i]
        if norm in MONTHLY and (norm not in {"maand", "month"} or doc.norm[i - 1] in EVERY):
            return doc.offsets(i)
    return None


def closing_time(doc: Tokens, start: int) -> tuple[int, int] | None:
    """ "tot 3 uur 's nachts", "till 4am", "van 10 tot 04u": a closing time, however late, is no
    round-the-clock availability (as agreed with the corpus authors); only a range that closes at
    the hour it opens ("van 6 tot 6") is the whole day."""
    until = start if doc.norm[start] in UNTIL else start - 1
    if until < 0 or doc.norm[until] not in UNTIL:
        return None
    closing = _hour(doc, until + 1)
    if closing is not None:
        for i in range(until - 1, max(-1, until - 4), -1):
            if doc.text[i] in SENTENCE_ENDS or LINE_END in doc.text[i]:
                break
            if _hour(doc, i) is not None:
                if _hour(doc, i) == closing:
                    return None
                break
    return doc.offsets(until)


def _hour(doc: Tokens, i: int) -> int | None:
    """The hour a token like "4", "04u", "4am", "04:00" names, modulo 24."""
    if i >= doc.n:
        return None
    digits = _HOUR.match(doc.norm[i])
    return int(digits.group(1)) % 24 if digits else None


_HOUR = re.compile(r"^(\d{1,2})(?:[.:]\d\d)?(?:u|h|uur|am|pm)?$")


ONE = frozenset(
    {"1", "een", "één", "eentje", "one", "jongste", "oudste", "middelste", "youngest", "eldest",
     "oldest", "middle"}
)  # fmt: skip


OF_THE = frozenset({"de", "the", "mijn", "my"})  # "1 van onze 3 dames" are ours: offered


def one_of(doc: Tokens, start: int) -> int:
    """ "ik ben 1 van de 3 zussen", "the youngest of four sisters": one person of a family or a
    group is described, not several offered. The index of "1"/"jongste", or 0."""
    i = start - 1
    if i >= 0 and doc.norm[i] in OF_THE:
        i -= 1
    if i < 1 or doc.norm[i] not in {"van", "of", "uit"}:
        return 0
    return i - 1 if doc.norm[i - 1] in ONE else 0


# A youthful word is no age: beside the ad's stated ages, all adult, it is about a look, a
# course or other ads ("babyface, maar ik ben 31", "huiswerk voor mijn cursus, 34"), and a word in
# scare quotes beside one is mentioned, not claimed ("al die 'teen' profielen").
# The indicator's own imagery (schoolmeisje, tiener, teen, lolita, jong meisje, 🍒) stands
# beside any age, as role play it is still the signal, unless it is only mentioned in quotes.
ADULT_AGE = 21


IMAGERY = ("school", "tiener", "teen", "lolita", "🍒")


IMAGERY_PAIRS = (
    frozenset({"jong", "jonge", "young"}),
    frozenset({"meisje", "meisjes", "girl", "girls", "ding"}),
)


def mere_word(doc: Tokens, start: int, end: int) -> bool:
    """A youthful word that is not the indicator's own imagery, or imagery in scare quotes."""
    if start > 0 and end < doc.n and doc.text[start - 1] in OPENING and doc.text[end] in OPENING:
        return True
    norm = doc.norm[start]
    if norm.startswith(IMAGERY):
        return False
    return not (
        norm in IMAGERY_PAIRS[0] and end - start > 1 and doc.norm[start + 1] in IMAGERY_PAIRS[1]
    )


def since_school(doc: Tokens, start: int) -> tuple[int, int] | None:
    """ "vriendinnen sinds de brugklas": a school year as the start of something, long past."""
    i = start - 1
    if i >= 0 and doc.norm[i] in {"de", "het", "the", "high"}:
        i -= 1
    if i >= 0 and doc.norm[i] in {"sinds", "since"}:
        return doc.offsets(i)
    return None


def adult_age(doc: Tokens) -> tuple[int, int] | None:
    """The first stated age when every age the ad states is adult (21 or more), else None."""
    known = _ADULT_AGES.get(id(doc))
    if known is not None and known[0] is doc:
        return known[1]
    ages = recent_stated_ages(doc.source)
    found = None
    if ages and all(age.age >= ADULT_AGE for age in ages):
        found = (ages[0].start, ages[0].end)
    if len(_ADULT_AGES) > 64:
        _ADULT_AGES.clear()
    _ADULT_AGES[id(doc)] = (doc, found)
    return found


# The last docs' answers (read once per ad, however many youthful words it holds); the doc is
# kept beside its id, so a reused id of a freed doc never answers for another.
_ADULT_AGES: dict[int, tuple[Tokens, tuple[int, int] | None]] = {}


IF_YOU = frozenset({"als", "if", "zoek", "zoekt", "wil", "wilt"})


YOU = frozenset({"je", "jij", "u", "you", "you're", "youre"})


REFUSALS = frozenset(
    {"verkeerde", "verkeerd", "wrong", "elders", "elsewhere", "niet", "not", "geen", "no", "nee",
     "nergens", "nowhere", "vergeet", "forget", "volgende", "next", "doorklikken", "scroll"}
)  # fmt: skip


def refused_wish(doc: Tokens, start: int, end: int) -> tuple[int, int] | None:
    """ "Als je een jong meisje zoekt, ben je bij mij aan het verkeerde adres": the client's wish
    in an if-clause, refused in the clause after it."""
    for i in range(start - 1, max(0, start - 6), -1):
        if is_stop(doc, i):
            return None
        if doc.norm[i] in YOU and doc.norm[i - 1] in IF_YOU:
            break
    else:
        return None
    comma = next((j for j in range(end, min(doc.n, end + 8)) if doc.text[j] == ","), None)
    if comma is None or any(is_stop(doc, j) for j in range(end, comma)):
        return None
    for j in range(comma + 1, min(doc.n, comma + 10)):
        if is_stop(doc, j):
            return None
        if doc.norm[j] in REFUSALS:
            return doc.offsets(j)
    return None


def is_stop(doc: Tokens, i: int) -> bool:
    """Token i ends a sentence or a line."""
    return doc.text[i] in SENTENCE_ENDS or LINE_END in doc.text[i]


# A verb of saying opens a quotation only with a colon or a quote mark after it ("klant zei:
# ...", "says 'top'"); "mag ik dit niet zeggen" quotes nobody.
SAYING = frozenset({"schreef", "zei", "zegt", "zeggen", "wrote", "said", "says"})


SPEAKING = SAYING | {
    "vindt",
    "vond",
    "noemt",
    "noemde",
    "thinks",
    "calls",
    "called",
    "zeggen",
    "zegt",
    "schrijft",
    "writes",
    "vertelde",
    "vertelt",
    "told",
    "tells",
}


def quoted_saying(doc: Tokens, end: int) -> int:
    """The verb of saying right after a friend or relative ("mijn vriendin zei: ..."): she is
    quoted, she takes no calls. 0 when none."""
    for i in range(end, min(doc.n, end + 2)):
        if doc.norm[i] in SPEAKING:
            return i
        if doc.norm[i] not in {"altijd", "always", "ooit", "once", "vaak", "often", "ook", "also"}:
            return 0
    return 0


# A service word in quotes, then refused: "People ask for 'no limits'. Sorry, I have limits.",
# "'alles mag' en 'zonder' staan niet op mijn lijstje"; "ook 'zonder' mogelijk" offers it.
REFUSING = frozenset(
    {"niet", "not", "nee", "no", "sorry", "nooit", "never", "klopt", "geen", "nergens"}
)  # fmt: skip
OFFERING = frozenset({"mogelijk", "possible", "kan", "mag", "can", "ok", "oké", "prima"})
QUOTED_REFUSAL_REACH = 14


def quoted_then_refused(doc: Tokens, start: int, end: int) -> tuple[int, int] | None:
    """The refusal after a quoted service word, within its sentence and the next one."""
    if start == 0 or doc.text[start - 1] not in OPENING:
        return None
    sentences = 0
    for j in range(end, min(doc.n, end + QUOTED_REFUSAL_REACH)):
        norm = doc.norm[j]
        if norm in OFFERING:
            return None
        if norm in REFUSING:
            return doc.offsets(j)
        if is_stop(doc, j):
            sentences += 1
            if sentences > 1:
                return None
    return None


NOW = frozenset({"nu", "now", "eindelijk", "finally", "officieel", "officially"})


def allowed_now(doc: Tokens, start: int) -> tuple[int, int] | None:
    """ "nu mag alles", "eindelijk mag het": allowed by age now, no service offered."""
    if start > 0 and doc.norm[start - 1] in NOW and doc.norm[start] in {"mag", "may"}:
        return doc.offsets(start - 1)
    return None


def her_self(doc: Tokens, i: int) -> bool:
    """ "zij is zelf te verlegen": "zelf" after a third person is about her, not independence."""
    return doc.norm[i] == "zelf" and any(
        doc.lower[j] in {"zij", "ze", "she", "hij", "he"} for j in range(max(0, i - 2), i)
    )


def is_pronoun_voice(doc: Tokens, start: int) -> bool:
    """The match opens with a pronoun for her ("zij", "she", "haar")."""
    return doc.lower[start] in {"zij", "ze", "she", "haar", "her"}


# A time word that dates a birthday or the past, not an arrival: "pas sinds kort meerderjarig",
# "is deze maand net 18 geworden", "18, sinds dinsdag", "een paar dagen geleden", and clients
# passing through ("heren op doorreis").
AGE_AFTER = frozenset(
    {"meerderjarig", "volwassen", "verjaardag", "jarig", "geworden", "ouder", "achttien",
     "eighteen", "birthday", "jaartje", "18"}
)  # fmt: skip
PAST_AFTER = frozenset({"geleden", "ago"})
PASSING_CLIENTS = frozenset(
    {"heren", "klanten", "gentlemen", "clients", "zakenmannen", "businessmen", "gasten", "guests"}
)  # fmt: skip
SOFT_END = frozenset({",", ";", "(", ")"})


def arrival_is_age_or_past(doc: Tokens, start: int, end: int) -> tuple[str, tuple, str] | None:
    """(reason, cue, detail) when a new-arrival match dates an age, the past or clients."""
    closed = is_stop(doc, end - 1)  # "Nw." ends its own sentence
    for j in range(end, min(doc.n, end + 5) if not closed else end):
        if is_stop(doc, j) or doc.text[j] in SOFT_END:
            break
        if doc.norm[j] in AGE_AFTER:
            return "age", doc.offsets(j), "a birthday, not an arrival"
        if doc.norm[j] in PAST_AFTER:
            return "about_other", doc.offsets(j), "the past"
    since = doc.norm[start] in {"sinds", "since"}
    if since and start > 1 and doc.text[start - 1] == "," and doc.text[start - 2].isdigit():
        return "age", doc.offsets(start - 2), "an age since"  # "18, sinds dinsdag"
    for j in range(start - 1, max(-1, start - 5), -1):
        if is_stop(doc, j):
            break
        if doc.norm[j] in PASSING_CLIENTS:
            return "about_other", doc.offsets(j), "clients passing through"
    return None


# Colleagues or a sister named, then set apart: "we werken los van elkaar", "zij doet niet mee".
_WORKING_APART = re.compile(
    r"\b(?:los|apart) van elkaar\b|\bindependently of each other\b|\bseparately from\b|"
    r"\bdoe[nt] (?:zelf |dit werk |hier )?niet mee\b|\bdoe[nt] dit werk niet\b|\bnot involved\b|"
    r"\bgeen afspraken voor (?:haar|hem|hen)\b",
    re.I,
)
_WORKING_APART_PARTS = ("van elkaar", "each other", "separately from", "niet mee", "dit werk niet",
                        "not involved", "geen afspraken voor ")  # fmt: skip
SINGULAR = frozenset({"ik", "i", "i'm", "mij", "me", "mijn", "my"})


def working_apart(doc: Tokens) -> tuple[int, int] | None:
    """Where a first-person ad sets the others it names apart from her work, else None."""
    if SINGULAR.isdisjoint(doc.norm):
        return None
    text = doc.source
    if not folds_like_ascii(text):
        low = text.lower()
        if not any(part in low for part in _WORKING_APART_PARTS):
            return None  # every match holds one of them
    found = _WORKING_APART.search(text)
    return None if found is None else (found.start(), found.end())


def next_in(doc: Tokens, end: int, words: frozenset[str]) -> bool:
    """The token right after a match is one of `words`."""
    return end < doc.n and doc.norm[end] in words
