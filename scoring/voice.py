"""Third-party voice: who is speaking about whom, beyond the phrases of `third_party`.

Three structures, each a `third_party` match on the doc (NORM of tokens):
- a pronoun or the ad's own name as the subject of a third-person verb ("zij ontvangt",
  "Mila ontvangt je", "she receives", "ontvangt Mila"), or "haar"/"her" as the object of a
  booking verb or the owner of a place or a number ("bel haar", "haar appartement");
- a go-between role (manager, chauffeur, receptie, zus, vriend, agency, desk ...) in the same
  sentence as an arranging or contact word (afspraken, regelt, neemt op, boek, books ...), after
  "via", or heading the contact line ("Receptie: 06 ...").
Names come from deduce's list of first names and must not be ordinary words. Negation applies
to the go-between structure ("geen manager"); quotes, pets and objects apply to all (see
`scoring.context`), which the indicators run on every match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from adwatch.config.gazetteer import first_names, ordinary_words
from scoring.tokens import Tokens

PRONOUNS = frozenset({"zij", "ze", "she"})
# "She's", "she'll": pronoun and verb in one token.
PRONOUN_VERBS = frozenset({"she's", "she'll", "she'd", "shes", "she’s", "she’ll"})
OBJECT_PRONOUNS = frozenset({"haar", "her"})
MODAL_VERBS = frozenset(
    {"is", "was", "heeft", "had", "kan", "wil", "zal", "mag", "moet", "gaat", "doet", "ziet",
     "komt", "staat", "zit", "ligt", "blijft", "wordt", "will", "can", "has", "does", "would",
     "loves", "likes", "offers", "receives", "works", "waits", "comes", "gives", "enjoys",
     "lives", "stays", "visits", "'s"}
)  # fmt: skip
NOT_VERBS = frozenset(
    {"niet", "ook", "dat", "met", "het", "wat", "echt", "licht", "nacht", "recht", "goed",
     "best", "meest", "eerst", "laatst", "zelfs", "this", "just", "must", "first",
     "most", "last", "next", "west", "oost", "zuid", "noord", "want", "dus", "tot", "uit",
     "groet", "groetjes", "kust", "kusjes", "night", "light", "right", "heet", "called",
     "gerust", "zacht", "vast", "direct", "apart", "straks", "altijd", "liefst", "steeds",
     "eens", "weleens", "ooit", "iets", "niets", "alles", "tijdens", "anders", "trans", "thans",
     "soms", "als", "plus", "bus", "ons", "tips", "extras", "poes", "muis", "kus", "haas"}
)  # fmt: skip
BOOKING_VERBS = frozenset(
    {"bel", "boek", "app", "ontmoet", "bezoek", "verwen", "contacteer", "mail", "sms",
     "reserveer", "book", "call", "meet", "contact", "text", "visit", "message", "see", "enjoy",
     "met", "voor", "bij", "naar", "with", "for", "to"}
)  # fmt: skip
OWNED = frozenset(
    {"appartement", "kamer", "flat", "huis", "studio", "nummer", "telefoon", "manager",
     "begeleider", "agenda", "adres", "woning", "place", "room", "apartment", "number", "phone",
     "agent", "driver", "schedule", "privé-appartement", "prive-appartement", "beheerder",
     "booker", "vriend", "vriendje", "boyfriend", "broer", "zus", "brother", "sister",
     "foto's", "fotos", "photos", "pics", "pictures", "tarieven", "rates", "prices", "services",
     "diensten", "beschikbaarheid", "availability", "profile", "profiel", "bookings", "diary"}
)  # fmt: skip
ROLES = frozenset(
    {"manager", "managers", "chauffeur", "driver", "agent", "agency", "bureau", "receptie",
     "reception", "receptionist", "balie", "desk", "office", "kantoor", "begeleider",
     "begeleiding", "secretaresse", "secretary", "assistent", "assistant", "telefoniste",
     "booker", "vriend", "vriendje", "boyfriend", "friend", "partner", "echtgenoot", "husband",
     "broer", "brother", "zus", "zuster", "sister", "neef", "cousin", "oom", "uncle", "tante",
     "aunt", "pooier", "pimp", "baas", "boss", "mama-san", "tussenpersoon", "bemiddelaar",
     "beheerder", "management", "managementnummer", "organisatie", "organisator", "planner",
     "portier", "centrale", "escortservice", "escortbureau", "escortagency", "telefoondienst",
     "beheerders", "beheer", "zwager", "schoonzus", "schoonbroer", "chauffeurs", "drivers",
     "receptionisten", "telefonisten", "bookers", "agents", "host", "hosts", "hostess",
     "gastvrouw", "gastvrouwen", "gastheer", "receptioniste", "team", "staff", "personeel",
     "medewerker", "medewerkers", "medewerkster", "frontdesk", "telefonist", "telefonistes",
     "dispatcher", "coordinator", "coördinator", "operator", "boeker", "boekers", "eigenaar",
     "eigenaresse", "owner", "hoofd", "trainer", "coach", "stiefvader", "stepfather",
     "stiefmoeder", "assistente", "assistentes", "pa", "pappie", "daddy", "uitbater"}
)  # fmt: skip
# Relatives and friends who are go-betweens only when contact runs through them ("alleen via
# vriendin", "bereikbaar via de oudste"); elsewhere they are just people in her life.
VIA_ROLES = frozenset(
    {"vriendin", "vriendinnetje", "girlfriend", "oudste", "jongste", "eldest", "youngest",
     "moeder", "mama", "mum", "mom", "dochter", "daughter", "vrouw", "collega", "colleague",
     "hem", "him", "huisgenote", "flatmate", "roommate", "meneer", "mevrouw", "mister"}
)  # fmt: skip
ARRANGING = frozenset(
    {"afspraak", "afspraken", "afspraakje", "afspraakjes", "regel", "regelt", "regelen",
     "geregeld", "plan", "plant", "plannen", "planning", "boek", "boekt", "boeken", "boeking",
     "boekingen", "reserveren", "reservering", "reserveringen", "bel", "belt", "bellen", "app",
     "appt", "appen", "sms", "telefoon", "nummer", "opnemen", "neemt", "beantwoordt",
     "berichten", "contact", "brengt", "haalt", "rijdt", "maakt", "book", "books", "booking",
     "bookings", "call", "calls", "arrange", "arranges", "handles", "answers", "schedule",
     "appointments", "appointment", "messages", "phone", "drives", "brings", "reserve",
     "takes", "whatsapp", "tel", "tel.", "info", "informatie", "reserveer", "helpt", "help",
     "verzorgd", "verzorgt", "ontvangt", "verwelkomt", "receives", "welcomes", "confirm",
     "confirms", "bevestigt", "bevestiging", "confirmation", "begeleidt", "guides", "guide",
     "stelt", "introduces", "wijst", "shows", "beschikbaarheid", "availability", "laat", "lets",
     "opens", "opent", "outcall", "incall", "aanmelden", "meld", "geeft", "gives", "stuurt",
     "sends", "zegt", "says", "ontvangst"}
)  # fmt: skip
VIA = frozenset({"via", "through"})
DETERMINERS = frozenset(
    {"de", "het", "een", "onze", "ons", "haar", "mijn", "the", "our", "her", "my", "a",
     "zijn", "his", "hun", "their"}  # "only through his manager"
)  # fmt: skip
CLIENT_POSSESSIVES = frozenset({"je", "jouw", "uw", "your"})
SENTENCE_END = frozenset({".", "!", "?", ";"})
PAIR_REACH = 8
# "Mijn naam is Kim": a copula before a name introduces it; only other verbs invert
# ("ontvangt Mila je").
COPULAS = frozenset({"is", "was", "ben", "am", "'s", "heet"})
NAMING_VERBS = frozenset({"heet", "heten", "noem", "noemt", "called", "named", "heette"})
FIRST_PERSON = frozenset({"ik", "i", "i'm", "im", "ikzelf", "me", "mij", "mezelf", "myself"})


@dataclass(frozen=True)
class VoiceMatch:
    """A third-party structure: token span, and whether negation applies to it.

    "zij is niet ..." is still written about her, so voice is not negatable; "geen manager" is.
    `weak`: a pronoun alone ("zij is"), which in a first-person ad is more often a pet or a car."""

    code: str
    start: int
    end: int
    negatable: bool
    weak: bool = False
    head: int = -1  # the token negation is read around (the role); -1: the whole span
    name: bool = False  # the ad's name as subject ("Mila ontvangt")


_STARTERS = PRONOUNS | PRONOUN_VERBS | OBJECT_PRONOUNS | ROLES | VIA_ROLES
# Someone presents her by name ("Introducing Lisa", "maak kennis met Lisa", "presents: Lisa");
# "meet Lisa" is weak, as a worker may title herself so.
PRESENTING = frozenset(
    {"introducing", "presenting", "presents", "presenteert", "presenteren", "introduceert",
     "introduces"}
)  # fmt: skip
MEETING_VERBS = frozenset({"meet", "ontmoet"})
# An appointment with her by name: "afspraak met Lisa", "time with Lisa", "kennis met Lisa".
APPOINTMENT = frozenset(
    {"afspraak", "afspraakje", "date", "appointment", "booking", "sessie", "session", "tijd",
     "time", "avond", "evening", "night", "nacht", "uurtje", "hour", "kennis"}
)  # fmt: skip
# "Call Kevin to book Jessy", "Bel Peter voor Lola": one name is the contact for another.
CONTACT_VERBS = frozenset(
    {"bel", "call", "app", "text", "whatsapp", "sms", "contact", "mail", "ring", "bellen", "appen"}
)  # fmt: skip
# The writer as the contact for someone else ("afspraken via mij", "je belt mij", "praat met
# mij", "ik regel", "wij plannen"): with a "zij is" elsewhere, the ad is about her, not by her.
CONTACT_ME = frozenset({"mij", "ons", "me", "us"})
# "bel mij" is how independent workers write; only these make the writer a go-between.
CONTACT_BEFORE_ME = frozenset({"via", "tegen", "through"})
TALK_WITH = frozenset({"praat", "spreek", "doe", "overleg", "afspraak", "afspraken", "talk"})
WRITER = frozenset({"ik", "wij", "we", "i"})
WRITER_ARRANGES = frozenset(
    {"regel", "regelen", "plan", "plannen", "beheer", "beheren", "beantwoord", "beantwoorden",
     "overleg", "overleggen", "vertaal", "vertalen", "arrange", "handle", "answer", "translate",
     "manage", "schedule"}
)  # fmt: skip
# "ik zeg je wanneer ze kan": the writer tells the client when she is free.
WRITER_TELLS = frozenset({"zeg", "zeggen", "laat", "tell"})
TOLD = frozenset({"je", "jou", "wanneer", "u", "you", "when"})
# A phone number right after a role opening a line: "Receptie 06 1234 4004", "Beheer 10-02u: 06".
ROLE_LINE_REACH = 4


class VoiceFinder:
    """Finds third-person and go-between structures; build once, call `matches(doc)`."""

    def __init__(self) -> None:
        self._names = first_names()
        self._ordinary = ordinary_words()

    def matches(self, doc: Tokens) -> list[VoiceMatch]:
        """Every structure found (the caller drops weak ones in a first-person ad)."""
        found: list[VoiceMatch] = []
        names, texts, norms = self._names, doc.text, doc.norm
        # Only a pronoun, a role or a title-case first name can start a structure.
        for i in [
            i
            for i, (norm, title) in enumerate(zip(norms, doc.title, strict=True))
            if norm in _STARTERS or (title and texts[i] in names)
        ]:
            norm = norms[i]
            if norm in PRONOUN_VERBS:
                found.append(VoiceMatch("third_party", i, i + 1, negatable=False, weak=True))
            elif norm in PRONOUNS or (doc.title[i] and self._is_name(doc.text[i])):
                found.extend(self._subject(doc, i))
            elif norm in OBJECT_PRONOUNS:
                found.extend(self._object(doc, i))
            elif norm in ROLES:
                found.extend(self._go_between(doc, i))
            elif norm in VIA_ROLES:
                head = _via_head(doc, i)
                if head is not None:
                    found.append(VoiceMatch("third_party", head, i + 1, negatable=True, head=i))
        return found

    @staticmethod
    def first_person(doc: Tokens) -> bool:
        """Whether the ad is written as "ik"/"I" anywhere."""
        return not FIRST_PERSON.isdisjoint(doc.norm)

    @staticmethod
    def writer_is_contact(doc: Tokens) -> int | None:
        """The token where the writer offers to be the contact or to arrange, if any."""
        norms = doc.norm
        # Only a contact word or a word after the writer can hold either answer.
        for i in [
            i
            for i, (before, norm) in enumerate(pairwise(norms), start=1)
            if norm in CONTACT_ME or before in WRITER
        ]:
            norm, before = norms[i], norms[i - 1]
            if norm in CONTACT_ME and (
                before in CONTACT_BEFORE_ME
                or (before == "met" and i > 1 and norms[i - 2] in TALK_WITH | {"je"})
                or (before in CONTACT_VERBS and not OBJECT_PRONOUNS.isdisjoint(norms[i : i + 5]))
            ):
                return i - 1  # "afspraken via mij", "text me to book her"
            if before in WRITER and (
                norm in WRITER_ARRANGES
                or (norm in WRITER_TELLS and i + 1 < doc.n and norms[i + 1] in TOLD)
            ):
                return i - 1
        return None

    def _is_name(self, text: str) -> bool:
        return text[:1].isupper() and text in self._names and text.lower() not in self._ordinary

    def _subject(self, doc: Tokens, i: int) -> Iterator[VoiceMatch]:
        pronoun = doc.norm[i] in PRONOUNS
        after = _past_parenthesis(doc, i + 1)
        if not pronoun and i > 0 and doc.norm[i - 1] in VIA:
            yield VoiceMatch("third_party", i - 1, i + 1, negatable=True, head=i - 1)
            return  # "boeken via Fleur": contact through someone named
        if not pronoun:
            presenter = self._presented(doc, i)
            if presenter is not None:
                yield presenter
                return
        if (
            after < doc.n
            and _third_person_verb(doc, after)
            and (doc.norm[after] not in NAMING_VERBS)
        ):
            yield VoiceMatch(
                "third_party", i, after + 1, negatable=False, weak=pronoun, name=not pronoun
            )
        elif pronoun and doc.norm[i] == "zij" and after < doc.n and _plural_verb(doc, after):
            yield VoiceMatch("third_party", i, after + 1, negatable=False, weak=True)
        elif (
            i > 0
            and not pronoun
            and _third_person_verb(doc, i - 1)
            and doc.norm[i - 1] not in NAMING_VERBS | COPULAS
        ):
            yield VoiceMatch("third_party", i - 1, i + 1, negatable=False)

    def _presented(self, doc: Tokens, i: int) -> VoiceMatch | None:
        """Her name presented, booked or reached through another named person."""
        j = i - 2 if i > 1 and doc.text[i - 1] == ":" else i - 1
        before = doc.norm[j] if j >= 0 else ""
        if before in PRESENTING:
            return VoiceMatch("third_party", j, i + 1, negatable=True, head=j)
        if before in MEETING_VERBS and _starts_line(doc, j):
            return VoiceMatch("third_party", j, i + 1, negatable=True, head=j, weak=True)
        if before in {"met", "with"} and j > 0 and doc.norm[j - 1] in APPOINTMENT:
            return VoiceMatch("third_party", j - 1, i + 1, negatable=True, head=j - 1)
        if before in CONTACT_VERBS:
            for k in range(i + 1, min(doc.n, i + PAIR_REACH)):
                if doc.text[k] in SENTENCE_END or doc.is_line_break(k):
                    break
                if doc.title[k] and doc.text[k] != doc.text[i] and self._is_name(doc.text[k]):
                    return VoiceMatch("third_party", j, k + 1, negatable=True, head=j)
        return None

    def _object(self, doc: Tokens, i: int) -> Iterator[VoiceMatch]:
        if i > 0 and doc.norm[i - 1] in BOOKING_VERBS:
            yield VoiceMatch("third_party", i - 1, i + 1, negatable=False, weak=True)
        elif i + 1 < doc.n and doc.norm[i + 1] in OWNED:
            yield VoiceMatch("third_party", i, i + 2, negatable=False, weak=True)

    def _go_between(self, doc: Tokens, i: int) -> Iterator[VoiceMatch]:
        if i > 0 and doc.norm[i - 1] in CLIENT_POSSESSIVES:
            return
        head = _via_head(doc, i)
        if head is not None:
            yield VoiceMatch("third_party", head, i + 1, negatable=True)
            return
        if i + 1 < doc.n and doc.text[i + 1] == ":" and _starts_line(doc, i):
            yield VoiceMatch("third_party", i, i + 1, negatable=True)
            return
        if _starts_line(doc, i) and _phone_follows(doc, i):
            yield VoiceMatch("third_party", i, i + 1, negatable=True)
            return
        partner = _arranging_near(doc, i)
        if partner is not None:
            start, end = min(i, partner), max(i, partner) + 1
            yield VoiceMatch("third_party", start, end, negatable=True, head=i)


def _third_person_verb(doc: Tokens, i: int) -> bool:
    norm = doc.norm[i]
    if norm in MODAL_VERBS:
        return True
    if not doc.alpha[i] or len(norm) < 4 or norm in NOT_VERBS or doc.title[i]:
        return False
    if norm.endswith("s") and not norm.endswith(("ss", "us", "is")):
        return True  # English third person ("she travels"); nl verbs rarely end in -s
    return norm.endswith("t") and not norm.endswith(("heid", "ist", "ant", "ent", "ort"))


def _past_parenthesis(doc: Tokens, i: int) -> int:
    """The token after "(22)" or ", 22," when one stands at `i` ("She (22) meets", "Angel, 30,
    ontvangt")."""
    if i < doc.n and doc.text[i] == "(":
        for j in range(i + 1, min(doc.n, i + 5)):
            if doc.text[j] == ")":
                return j + 1
    if (
        i + 2 < doc.n
        and (i < 2 or doc.norm[i - 2] not in COPULAS | _SELF_NAMING)
        and doc.text[i] == ","
        and doc.text[i + 1].isdigit()
        and doc.text[i + 2] == ","
    ):
        return i + 3
    return i


# "ik ben Lisa, 30," and "I'm Tamara, 38," name the writer herself.
_SELF_NAMING = frozenset({"ben", "am", "steeds", "naam", "'m", "’m", "i'm", "im", "i’m"})


def _phone_follows(doc: Tokens, i: int) -> bool:
    """Whether a phone-like number follows token `i` on its line within a few tokens."""
    for j in range(i + 1, min(doc.n, i + 1 + ROLE_LINE_REACH)):
        if doc.is_line_break(j):
            return False
        digits = sum(c.isdigit() for c in doc.text[j])
        if digits >= 6 or (doc.text[j] in {"06", "+31", "0031"} and j + 1 < doc.n):
            return True
    return False


def _plural_verb(doc: Tokens, i: int) -> bool:
    norm = doc.norm[i]
    return doc.alpha[i] and len(norm) >= 5 and norm.endswith("en") and not doc.title[i]


def _via_head(doc: Tokens, i: int) -> int | None:
    for back in (1, 2):
        j = i - back
        if j < 0:
            return None
        if doc.norm[j] in VIA:
            return j
        if doc.norm[j] not in DETERMINERS:
            return None
    return None


def _starts_line(doc: Tokens, i: int) -> bool:
    j = i - 1
    while j >= 0 and not doc.is_space(j) and not doc.alpha[j]:
        j -= 1  # emoji and marks before the role
    return j < 0 or (doc.is_space(j) and doc.is_line_break(j))


def _arranging_near(doc: Tokens, i: int) -> int | None:
    for step in (1, -1):
        j = i + step
        while 0 <= j < doc.n and abs(j - i) <= PAIR_REACH:
            if doc.text[j] in SENTENCE_END or doc.is_line_break(j):
                break
            if doc.norm[j] in ARRANGING:
                return j
            j += step
    return None
