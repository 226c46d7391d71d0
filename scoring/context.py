"""Who a match is about: quoted clients, pets and objects, relatives, and the worker herself.

After negation (`scoring.negation`), a match can still be about someone or something else:
- "quoted": inside quotation marks, or after a review marker on the same line ("Review: ...",
  "klant schreef ..."), the words are a client's, not the advertiser's;
- "about_other": "zij"/"she" or "tiener" next to a pet, an object or a relative ("mijn hond, ze
  is ...", "moeder van een tiener");
- "self": a go-between word in a clause where the worker says she arranges things herself
  ("ik regel mijn afspraken zelf, geen manager").
Applied to the indicators where that changes the meaning (see `_CHECKS`).
"""

from __future__ import annotations

import bisect

from scoring.contextcues import (
    CONTRAST_ASKED,
    LINE_END,
    MEETING,
    MEETING_REACH,
    OPENING,
    QUOTES,
    SAYING,
    SENTENCE_ENDS,
    UNTIL,
    WITHIN,
    adult_age,
    allowed_now,
    arrival_is_age_or_past,
    closing_time,
    her_self,
    is_pronoun_voice,
    mere_word,
    monthly,
    next_in,
    one_of,
    quoted_saying,
    quoted_then_refused,
    refused_wish,
    since_school,
    working_apart,
)
from scoring.minorcontext import about_someone_else, her_parents
from scoring.notage import not_an_age_after
from scoring.tokens import WEEKDAYS, Tokens

REVIEW_MARKERS = frozenset(
    {"review", "reviews", "recensie", "recensies", "testimonial", "testimonials", "feedback",
     "schreef", "zei", "zegt", "zeggen", "wrote", "said", "says", "beoordeling", "ervaringen"}
)  # fmt: skip
OTHERS = frozenset(
    {"hond", "hondje", "honden", "kat", "katje", "poes", "poesje", "katten", "huisdier",
     "huisdieren", "konijn", "paard", "auto", "wagen", "fiets", "boot", "motor", "camper",
     "dog", "doggy", "puppy", "cat", "kitten", "pet", "pets", "car", "boat", "bike",
     "dochter", "dochters", "zoon", "zoons", "moeder", "vader", "mama", "papa", "oma", "opa",
     "kinderen", "kind", "buurvrouw", "daughter", "son", "mother", "mom", "mum", "father",
     "kids", "children", "neighbour", "neighbor", "nichtje", "niece", "zusje", "kater", "merrie",
     "pony", "hengst", "paardje", "hamster", "vogel", "bird", "horse", "mare", "labrador",
     "herder", "teckel", "poedel", "chihuahua", "retriever", "terrier", "husky", "volvo",
     "autootje", "autotje", "wagentje", "garage", "oldtimer", "cabrio", "busje"}
)  # fmt: skip
SELF_MARKERS = frozenset(
    {"zelf", "zelfstandig", "zelfstandige", "ikzelf", "mezelf", "myself", "independent",
     "independently", "eigen", "own", "solo"}
)  # fmt: skip
OTHER_CHECKED = frozenset({"third_party", "minor_cue"})
# Literal uses of a minor cue: the cherry emoji next to cherries, "teen" next to her children.
# The cherry emoji beside fruit or cake is fruit.
CHERRY = frozenset(
    {"kersen", "kers", "kersentijd", "kersenboom", "fruit", "boomgaard", "taart", "cherries"}
)  # fmt: skip
LITERAL = frozenset(
    {"pubers", "puber", "scholier", "scholieren", "docent", "docente", "lerares", "leraar",
     "teacher", "juf", "meester", "conciërge", "ouders", "parents",
     # her own school days, long past: "ik heb vroeger havo gedaan" ("ooit", "gedaan" are not:
     # "nog nooit eerder gedaan, pas van school")
     "vroeger", "toen", "afgerond", "afgemaakt", "diploma", "geleden", "ago"}
)  # fmt: skip
FEELING = frozenset(
    {"voel", "voelt", "voelde", "voelen", "feel", "feels", "felt", "feeling", "jonger", "younger",
     "heart", "hart", "lijk", "lijkt", "look", "looks"}
)  # fmt: skip
SIMILE = frozenset({"als", "like", "zoals", "verschil", "difference"})
FIGURATIVE_CHECKED = frozenset({"minor_cue", "always_available"})
PROMOTION = frozenset(
    {"gratis", "korting", "actie", "aanbieding", "discount", "free", "sale", "parkeerkaart",
     "cadeau", "bonus", "%", "vakantie", "holiday", "vacation",
     "gesloten", "closed", "verbouwing", "away", "familiebezoek", "afwezig", "absent"}
)  # fmt: skip
# New things, not a new person: "new lingerie just arrived", "nieuw nummer".
NEW_THINGS = frozenset(
    {"lingerie", "set", "outfit", "foto", "foto's", "fotos", "pics", "photos", "nummer",
     "number", "website", "speeltjes", "toys", "kleding", "behandeling", "treatment", "adres",
     "address", "kamer", "room", "bed", "advertentie", "advertenties", "ad", "advert", "site",
     "profiel", "profile", "account"}
)  # fmt: skip


NOT_WORKERS = NEW_THINGS | {"tijden", "times", "uren", "hours", "data", "dates"}  # "nieuwe tijden"
OTHER_SUFFIXES = ("hond", "honden", "poes", "kat", "paard", "auto", "dog", "cat")
# Words of opening hours: "van maandag tot vrijdag", "open tot 22 uur".
HOURS_WORDS = WEEKDAYS | {"van", "from", "vanaf", "open", "geopend", "opening", "uur", "u"}
AGES_SINCE = frozenset({"18", "19", "achttien", "negentien", "eighteen", "nineteen"})
# A one-word service cue about food or a hobby: "raw food", "extreme sports".
NOT_A_SERVICE = frozenset(
    {"food", "eten", "vegan", "sports", "sport", "sporten", "sporter", "kost", "keuken", "cuisine"}
)  # fmt: skip
THAN = frozenset({"dan", "than"})  # "jonger dan je denkt" compares; it is no feeling or hearsay
ARTICLES = frozenset({"een", "de", "het", "a", "an", "the", "mijn", "my"})
# What others believe or ask is no claim: "mannen denken dat ik net ben aangekomen".
HEARSAY = frozenset(
    {"denken", "denkt", "dacht", "dachten", "think", "thinks", "thought", "assume", "assumes",
     "beweren", "beweert", "roddels", "gerucht", "rumour", "rumor", "gevraagd", "asking",
     "volgens", "according", "claimen", "claimt", "claim", "claims",
     # other people's ads: "ik lees veel advertenties met '24u service'"
     "advertenties", "profielen", "ads", "profiles"}
)  # fmt: skip
# Asking is hearsay only as an indirect question: "vragen of ik nieuw ben", not "wat je vraagt".
ASKING = frozenset(
    {"vragen", "vraagt", "vroeg", "vroegen", "asks", "asked", "wonder", "vraag", "question"}
)  # fmt: skip
INDIRECT = frozenset({"of", "if", "whether"})
HEARSAY_REACH = 8
# A touring schedule is multi_city, not a new arrival: "deze week in A'dam, volgende week R'dam".
TOURING = frozenset(
    {"toert", "toer", "tour", "touring", "tournee", "verschillende", "rondreis", "rondreizend"}
)  # fmt: skip
# Several people who are clients, not workers: "ook stellen welkom, of twee vriendinnen".
CLIENTS = frozenset(
    {"welkom", "welcome", "klanten", "clients", "klant", "client", "stellen", "couples", "heren",
     "gentlemen", "gasten", "guests"}
)  # fmt: skip
TOURING_REACH = 12
# Workers who are not offered: "waar ook andere dames werken", "many girls say".
OTHER_WORKERS = frozenset({"andere", "other", "sommige", "some", "veel", "many", "most", "meeste"})
SELF_CHECKED = frozenset({"third_party"})
OTHER_REACH = 12


class ContextChecks:
    """The checks after negation; `reject` gives (reason, cue offsets, detail) or None."""

    def reject(
        self, code: str, doc: Tokens, start: int, end: int
    ) -> tuple[str, tuple[int, int] | None, str] | None:
        """Why doc[start:end] is about someone else, or None when it stands."""
        cue = quoted(doc, start)
        if cue is not None:
            return "quoted", cue, ""
        cue = _hearsay(doc, start)
        if cue is not None:
            return "hearsay", cue, ""
        cue = refused_wish(doc, start, end)
        if cue is not None:
            return "negation", cue, "a wish refused"
        if code in OTHER_CHECKED:
            cue = _near(doc, start, end, OTHERS, OTHER_REACH)
            if cue is not None:
                return "about_other", cue, ""
        after = doc.offsets(end - 1)[1]
        if code == "minor_cue" and any(doc.num[start:end]) and not_an_age_after(doc.source, after):
            return "unit", _offsets(doc, end - 1), "not an age"
        if code == "minor_cue" and (found := about_someone_else(doc, start, end)) is not None:
            return found
        if code == "minor_cue" and doc.text[start] == "🍒" and not CHERRY.isdisjoint(doc.norm):
            fruit = next(i for i, norm in enumerate(doc.norm) if norm in CHERRY)
            return "about_other", _offsets(doc, fruit), "literal"  # "De kersen 🍒 zijn op"
        if code == "minor_cue" and not any(doc.num[start:end]) and mere_word(doc, start, end):
            adult = adult_age(doc)
            if adult is not None:
                return "about_other", adult, "a word, beside an adult age"
        if code == "minor_cue":
            cue = _in_clause(doc, start, end, LITERAL, skip=her_parents) or since_school(doc, start)
            if cue is not None:
                return "about_other", cue, "literal"
        if code in FIGURATIVE_CHECKED:
            cue = _figurative(doc, start)
            if cue is not None:
                return "figurative", cue, ""
        if code == "hotel_location":
            cue = _in_sentence_before(doc, start, MEETING, MEETING_REACH) or _in_sentence_after(
                doc, end, MEETING, MEETING_REACH
            )
            if cue is not None:
                return "about_other", cue, "a meeting point"
        if code == "always_available":
            found = closing_time(doc, start)
            if found is not None:
                return "hours", found, "a closing time"
        if code == "unsafe_services":
            cue = quoted_then_refused(doc, start, end) or allowed_now(doc, start)
            if cue is not None:
                return "about_other", cue, "mentioned, refused or allowed by age"
        # "raw food", "extreme sports"
        if code == "unsafe_services" and end - start == 1 and next_in(doc, end, NOT_A_SERVICE):
            return "about_other", _offsets(doc, end), "not a service"
        if code == "multiple_workers" and start > 0 and doc.norm[start - 1] in OTHER_WORKERS:
            return "about_other", _offsets(doc, start - 1), "other workers"  # "andere dames werken"
        if code == "multiple_workers" and (working_apart(doc) or next_in(doc, end, NOT_WORKERS)):
            return "about_other", working_apart(doc) or _offsets(doc, end), "not offered with her"
        if code == "multiple_workers" and one_of(doc, start):
            return "about_other", _offsets(doc, one_of(doc, start)), "one of them"
        if code == "multiple_workers":
            cue = _in_sentence_before(doc, start, CLIENTS, HEARSAY_REACH)
            if cue is not None:
                return "about_other", cue, "clients"
        if code == "new_arrival":
            found = _arrival_context(doc, start, end)
            if found is not None:
                return found
        if code in SELF_CHECKED and quoted_saying(doc, end):
            return "quoted", _offsets(doc, quoted_saying(doc, end)), "the one quoted"
        if code in SELF_CHECKED and not is_pronoun_voice(doc, start):
            cue = _in_clause(doc, start, end, SELF_MARKERS, skip=her_self)
            if cue is not None:
                return "self", cue, ""
        return None


def _figurative(doc: Tokens, start: int) -> tuple[int, int] | None:
    """A feeling or a comparison before the match: "voel me weer een jong meisje", "als dag en
    nacht", "young at heart"."""
    for i in range(start - 1, max(-1, start - 8), -1):
        if doc.text[i] == "?" and i == start - 1:
            return _in_sentence_before(doc, i, CONTRAST_ASKED, HEARSAY_REACH + 4)
        if doc.text[i] in {".", "!", "?", ";"} or LINE_END in doc.text[i]:
            break
        if i + 1 < doc.n and doc.norm[i + 1] in THAN:
            continue  # "jonger dan je denkt" compares ages, it is no feeling
        if doc.norm[i] in FEELING or (start - i <= 2 and doc.norm[i] in SIMILE):
            return _offsets(doc, i)
    return None


def _arrival_context(doc: Tokens, start: int, end: int):
    """ "Alleen deze week: gratis parkeren" is an offer; "van maandag tot vrijdag" are hours."""
    cue = _in_clause_or_percent(doc, start, end, PROMOTION)
    if cue is not None:
        return "promotion", cue, ""
    cue = _near(doc, start, end, NEW_THINGS, 3)
    if cue is not None:
        return "about_other", cue, "a new thing"
    cue = monthly(doc, start)
    if cue is not None:
        return "about_other", cue, "a house's intake"  # "elke maand nieuwe dames"
    if doc.norm[end - 1] in {"verhuisd", "moved"} and next_in(doc, end, WITHIN):
        return "about_other", _offsets(doc, end), "a move within town"  # "net verhuisd binnen"
    if (
        end - start <= 2
        and start > 0
        and doc.norm[start - 1] in ARTICLES
        and not doc.text[end - 1].isalnum()
    ):
        return "about_other", _offsets(doc, start - 1), "a new thing"  # "hier een nieuwe."
    cue = _in_sentence_before(doc, start, TOURING, TOURING_REACH) or _in_sentence_after(
        doc, end, TOURING, TOURING_REACH
    )
    if cue is not None:
        return "touring", cue, ""
    cue = arrival_is_age_or_past(doc, start, end)
    if cue is not None:
        return cue
    since = doc.norm[start] in {"sinds", "since"}
    if since and start > 0 and doc.text[start - 1].isdigit():
        return "age", _offsets(doc, start - 1), "an age since"  # "18 sinds maandag"
    if since and end < doc.n and doc.norm[end] in AGES_SINCE:
        return "age", _offsets(doc, end), "an age since"  # "sinds gisteren 18"
    if doc.norm[start] in UNTIL:
        for i in range(start - 1, max(-1, start - 4), -1):
            if doc.norm[i] in HOURS_WORDS:
                return "hours", _offsets(doc, i), ""
    return None


def _hearsay(doc: Tokens, start: int) -> tuple[int, int] | None:
    cue = _in_sentence_before(doc, start, HEARSAY, HEARSAY_REACH)
    if cue is not None and not _than_you_think(doc, cue[0]):
        return cue
    for i in range(start - 1, max(0, start - 1 - HEARSAY_REACH), -1):
        if doc.text[i] in SENTENCE_ENDS or LINE_END in doc.text[i]:
            return None
        if doc.norm[i] in ASKING and doc.norm[i + 1] in INDIRECT:
            return _offsets(doc, i)
        if doc.norm[i] in SAYING and doc.norm[i + 1] in {"dat", "that"}:
            return _offsets(doc, i)  # "sites die zeggen dat wij 24/7 open zijn"
    return None


def _than_you_think(doc: Tokens, offset: int) -> bool:
    """ "jonger dan je denkt", "younger than you think": a comparison, not what others believe."""
    i = bisect.bisect_left(doc.idx, offset)
    return any(doc.norm[j] in THAN for j in range(max(0, i - 3), i))


def _in_sentence_before(doc: Tokens, start: int, words: frozenset[str], reach: int):
    """A word of `words` up to `reach` tokens before `start` in the same sentence."""
    for i in range(start - 1, max(-1, start - 1 - reach), -1):
        if doc.text[i] in SENTENCE_ENDS or LINE_END in doc.text[i]:
            return None
        if doc.norm[i] in words:
            return _offsets(doc, i)
    return None


def _in_sentence_after(doc: Tokens, end: int, words: frozenset[str], reach: int):
    """A word of `words` up to `reach` tokens from `end` in the same sentence."""
    for i in range(end, min(doc.n, end + reach)):
        if doc.text[i] in SENTENCE_ENDS or LINE_END in doc.text[i]:
            return None
        if doc.norm[i] in words:
            return _offsets(doc, i)
    return None


def _offsets(doc: Tokens, i: int) -> tuple[int, int]:
    return doc.offsets(i)


def quoted(doc: Tokens, start: int) -> tuple[int, int] | None:
    """The opening quote or review marker on the same line before token `start`, if any."""
    if doc.quotes is None:
        doc.quotes = _quote_openers(doc)
    opener = doc.quotes[start] if start < doc.n else -1
    return None if opener < 0 else doc.offsets(opener)


def _quote_openers(doc: Tokens) -> list[int]:
    """Per token, the quote or review marker open before it on its line (-1: none); one pass.

    A review marker holds to the end of the line; quotes toggle, "“„«" always open."""
    openers = [-1] * doc.n
    if OPENING.isdisjoint(doc.text) and REVIEW_MARKERS.isdisjoint(doc.lower):
        return openers  # nothing opens: most ads
    opened, marker = -1, -1
    for i in range(doc.n):
        openers[i] = marker if marker >= 0 else opened
        text = doc.text[i]
        if LINE_END in text:
            opened, marker = -1, -1
        elif text in QUOTES or text == "'":
            if opened >= 0 and text not in ("“", "„", "«") and i - opened <= SCARE_QUOTE_REACH:
                for j in range(opened + 1, i + 1):
                    openers[j] = marker  # 'manager', "tante": scare quotes around a word or two
            opened = -1 if opened >= 0 and text not in ("“", "„", "«") else i
        elif marker < 0 and doc.lower[i] in REVIEW_MARKERS and _opens_quote(doc, i):
            marker = i
    return openers


SCARE_QUOTE_REACH = 3


def _opens_quote(doc: Tokens, i: int) -> bool:
    if doc.lower[i] not in SAYING:
        return True
    return i + 1 < doc.n and (doc.text[i + 1] == ":" or doc.text[i + 1] in OPENING)


def _near(doc: Tokens, start: int, end: int, words: frozenset[str], reach: int):
    """A word of `words` within `reach` tokens before the match or 3 after, same sentence run."""
    for i in range(start - 1, max(-1, start - 1 - reach), -1):
        if doc.text[i] in {".", "!", "?"} and i < start - 6:
            break
        if _is_other(doc.norm[i], words):
            return _offsets(doc, i)
    for i in range(end, min(doc.n, end + 3)):
        if _is_other(doc.norm[i], words):
            return _offsets(doc, i)
    return None


def _in_clause_or_percent(doc: Tokens, start: int, end: int, words: frozenset[str]):
    cue = _in_clause(doc, start, end, words)
    if cue is not None:
        return cue
    for i in range(start, min(doc.n, end + 8)):
        if doc.text[i].endswith("%") and doc.text[i][:-1].isdigit():
            return _offsets(doc, i)  # "10% off"
    return None


def _is_other(norm: str, words: frozenset[str]) -> bool:
    return norm in words or (words is OTHERS and len(norm) > 5 and norm.endswith(OTHER_SUFFIXES))


def _in_clause(doc: Tokens, start: int, end: int, words: frozenset[str], skip=None):
    """The nearest word of `words` before the match in its clause (not one `skip` rules out),
    else the first after it."""
    first = doc.clause_around(start)[0] + 1 if start > 0 else 0
    if not words.isdisjoint(doc.norm[first:start]):
        for i in range(start - 1, first - 1, -1):
            if doc.norm[i] in words and not (skip and skip(doc, i)):
                return _offsets(doc, i)
    stop = doc.clause_around(end)[1]
    if not words.isdisjoint(doc.norm[end:stop]):
        for i in range(end, stop):
            if doc.norm[i] in words and not (skip and skip(doc, i)):
                return _offsets(doc, i)
    return None
