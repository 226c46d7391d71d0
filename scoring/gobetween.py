"""Go-betweens no role list names: "reserveren bij de sommelier", "via de makelaar: 06 ...",
"Bel de tuinman", "De juf plant de bezoekuren", "grootmoeder regelt alles".

Metaphor ads and house ads invent their go-between ("de hofmaarschalk", "de boomgaardbaas",
"de regie-assistent"); the structure stays: a person noun (a word formed as
person nouns are: -er, -aar, -eur, -ier, -ist, -ster, -man, -vrouw, -baas, -leiding, -meester,
-heer ...) after a contact word and an article ("via de", "bel de", "bij de" after a booking
word), or as the subject of an arranging verb at the start of a sentence. Things formed the same
way ("via het nummer", "bij de kamer", "de computer") are listed out. Each match is a
`scoring.voice.VoiceMatch` (negatable: "niet via de makelaar").
"""

from __future__ import annotations

import re

from scoring.tokens import Tokens
from scoring.voice import ARRANGING, VoiceMatch

_PERSON = re.compile(
    r"^[a-zà-ÿ'\-]{2,}(?:er|ers|aar|eur|ier|ist|ster|man|mannen|vrouw|baas|bazin|leiding|"
    r"meester|heer|moeder|vader|juf|tante|oom|broer|zus|assistent|maarschalk|kok|boer|"
    r"wachter|houder|ant|ent)$"
)
_NOT_PERSONS = frozenset(
    {"nummer", "nummers", "computer", "messenger", "twitter", "formulier", "papier", "dossier",
     "router", "server", "teller", "flyer", "poster", "register", "achter", "hieronder", "kamer",
     "kamers", "water", "letter", "folder", "filter", "scooter", "theater", "center", "banner",
     "appartement", "moment", "parlement", "document", "abonnement", "element", "segment",
     "percent", "procent", "accent", "jaar", "paar", "elkaar", "bezwaar", "gevaar", "plezier",
     "manier", "kwartier", "lijst", "kist", "deur", "kleur", "geur", "zomer", "winter",
     "weekender", "voorkeur", "buurt", "keer", "meer", "weer", "ander", "andere", "eerder",
     "later", "verder", "liever", "ieder", "super", "zonder", "onder", "over", "tijdstip",
     "klant", "klanten", "client", "restaurant", "supermarkt", "ingang", "achteringang",
     "ingrediënt", "talent", "student", "studenten", "parkeerplaats", "trein", "tram", "bus",
     "fietsenstalling", "apotheek", "benzinepomp", "mailer", "nieuwsbrief", "website",
     "monster"}
)  # fmt: skip
# Compounds of things: "huisnummer", "hotelkamer", "aanmeldformulier".
_THING_ENDS = (
    "nummer", "kamer", "formulier", "papier", "computer", "appartement", "moment", "document",
    "abonnement", "register", "folder", "poster", "flyer", "server", "router", "letter", "water",
    "theater", "center", "banner", "filter", "ingang", "plaats", "deur",
)  # fmt: skip
# People one goes to for their own trade: "parkeren bij de bakker", "afspraak bij de kapper".
_TRADES = frozenset(
    {"bakker", "slager", "kapper", "dokter", "huisarts", "tandarts", "boekhouder", "ober",
     "fysiotherapeut", "kapster", "schoonheidsspecialiste", "notaris", "advocaat"}
)  # fmt: skip
# Working for a shop or a doctor is not booking through them: "bij de bakker om de hoek".
_CONTACT = frozenset(
    {"via", "through", "bel", "belt", "bellen", "app", "appen", "sms", "sms'en", "call", "text",
     "ask", "vraag", "contact"}
)  # fmt: skip
_BOOKING = frozenset(
    {"reserveren", "reserveer", "reservering", "inschrijven", "aanmelden", "melden", "meld",
     "boeken", "boek", "afspraak", "afspraken", "bestellen", "bestel", "informatie", "info",
     "bezoek", "bezoeken", "bezichtigingen", "bezichtiging", "audiëntie", "book", "booking",
     "reservations", "appointments", "appointment", "tickets", "kaartjes", "entree"}
)  # fmt: skip
_AT = frozenset({"bij", "with", "at"})
_ARTICLES = frozenset({"de", "het", "onze", "ons", "mijn", "m'n", "the", "our", "my"})
_SENTENCE = frozenset({".", "!", "?", ";", ":"})
_SELF = frozenset({"zelf", "himself", "herself", "persoonlijk"})
_MORE_ARRANGING = frozenset({"bepaalt", "beslist", "zet", "verkoopt", "houdt", "bewaakt"})
_BOOKING_REACH = 8


def unnamed_go_betweens(doc: Tokens) -> list[VoiceMatch]:
    """Contact through a person noun no role list names, as third-party matches."""
    found: list[VoiceMatch] = []
    for i in range(doc.n - 1):
        norm = doc.norm[i]
        if norm in _POSSESSIVES and doc.norm[i + 1] in _SPOUSES and _spouse_arranges(doc, i + 1):
            found.append(VoiceMatch("third_party", i, i + 2, True, head=i + 1))
            continue
        if norm in _ARTICLES:
            noun = _noun_after(doc, i)
            if noun is None:
                continue
            if _contact_before(doc, i, noun) or _arranges_after(doc, i, noun):
                found.append(VoiceMatch("third_party", max(0, i - 1), noun + 1, True, head=noun))
    return found


# "mijn man neemt de telefoon aan", "haar vent regelt alles": a spouse who arranges.
_POSSESSIVES = frozenset({"mijn", "m'n", "haar", "my", "her"})
_SPOUSES = frozenset({"man", "vent", "vrouw", "wife", "hubby", "manlief"})


def _spouse_arranges(doc: Tokens, spouse: int) -> bool:
    for j in (spouse + 1, spouse + 2):
        if j < doc.n and (doc.norm[j] in ARRANGING or doc.norm[j] in _MORE_ARRANGING):
            return doc.norm[j] not in _NOT_ARRANGING
    return False


_NOT_ARRANGING = frozenset({"laat", "lets", "geeft", "gives"})  # "mijn man laat me vrij"


def _noun_after(doc: Tokens, i: int) -> int | None:
    """The person noun right after the article, or after one adjective ("de oude tovenaar")."""
    for j in (i + 1, i + 2):
        if j >= doc.n or (not doc.alpha[j] and "-" not in doc.text[j]):
            return None
        norm = doc.norm[j]
        if _PERSON.match(norm) and not norm.endswith(_THING_ENDS) and norm not in _NOT_PERSONS:
            return j
    return None


def _contact_before(doc: Tokens, article: int, noun: int) -> bool:
    if article == 0 or doc.norm[noun] in _TRADES:
        return False
    before = doc.norm[article - 1]
    if before in _CONTACT:
        return True
    if before not in _AT:
        return False
    for j in range(article - 2, max(-1, article - 2 - _BOOKING_REACH), -1):
        if doc.text[j] in _SENTENCE or doc.is_line_break(j):
            return False
        if doc.norm[j] in _BOOKING:
            return True
    return False


def _arranges_after(doc: Tokens, article: int, noun: int) -> bool:
    """ "De juf plant", "De bakker zelf regelt": a sentence the go-between opens."""
    if article > 0 and not (doc.text[article - 1] in _SENTENCE or doc.is_line_break(article - 1)):
        return False
    j = noun + 1
    if j < doc.n and doc.norm[j] in _SELF:
        j += 1
    return j < doc.n and (doc.norm[j] in ARRANGING or doc.norm[j] in _MORE_ARRANGING)
