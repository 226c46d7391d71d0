"""Minor cues that are about someone or something else than the offered person.

Read after negation and the general context checks (`scoring.context`), for `minor_cue` only:
- the cherry emoji beside a cherry word: a wood, a colour, a work name ("kersenhouten bed 🍒",
  "lippen in kersenrood 🍒", "mijn werknaam is Cherry 🍒");
- school-calendar words when the writer writes of her own children ("tijdens de
  schoolvakanties ben ik dicht, dan zijn mijn kinderen thuis"), and any cue in the sentence
  where her own child is the subject ("mijn jongste is net 18 geworden");
- a sentence that lists what the writer refuses and ends in the refusal ("Rollenspellen met
  schooluniform of een jonge-meid-thema doe ik NIET", "Schoolgirl role play I never do").
"""

from __future__ import annotations

import re

from scoring.ages import stated_ages
from scoring.contextcues import adult_age
from scoring.tokens import Tokens

# A cherry word, not "kersvers" (brand new, which the emoji may well underline).
_CHERRY_WORD = re.compile(
    r"kers(?:en\w*|rood|hout\w*|pit\w*|boom\w*|taart\w*)?|cherries|cherry\w+|kirsch\w*"
)
# "Cherry" alone is a work name: the emoji beside it is literal only beside adult ages ("Mijn
# werknaam is Cherry 🍒, ik ben 36"); "Cherry: 🍒 sweet and innocent 🍒" stays a cue.
_CHERRY_NAME = "cherry"
# "mijn (eigen) kinderen", "my kids", "mijn jongste": the writer's own children.
_MINE = frozenset({"mijn", "m'n", "mn", "my", "onze", "our"})
_OWN = frozenset({"eigen", "own", "twee", "drie", "two", "three", "lieve", "kleine"})
_CHILDREN = frozenset(
    {"kinderen", "kids", "kind", "kindje", "dochter", "dochters", "zoon", "zoons", "zonen",
     "daughter", "daughters", "son", "sons", "children", "child", "pubers", "puber"}
)  # fmt: skip
# "mijn jongste" is her child only in a first-person ad by an adult ("Ik ben Ans, 49"); "onze
# jongste" is the house's youngest, and a go-between's "mijn jongste" may be a worker.
_RANKED = frozenset({"jongste", "oudste", "youngest", "eldest", "oldest"})
_SINGULAR_MINE = frozenset({"mijn", "m'n", "mn", "my"})
# Cues of the school calendar and routine, which the writer's children have too.
_CALENDAR = ("school", "vakantie", "vacation", "holiday", "les", "huiswerk", "homework",
             "proefwerk", "examen", "exam", "bedtijd", "bedtime")  # fmt: skip
_REFUSE_VERBS = frozenset({"doe", "bied", "speel", "accepteer", "do", "offer", "play", "accept"})
_REFUSE_SUBJECT = frozenset({"ik", "i", "wij", "we"})
_REFUSALS = frozenset({"niet", "nooit", "never", "not", "geen"})
_SENTENCE_ENDS = frozenset({".", "!", "?", ";"})


def about_someone_else(
    doc: Tokens, start: int, end: int
) -> tuple[str, tuple[int, int] | None, str] | None:
    """Why a minor cue at doc[start:end] is not about the offered person, or None."""
    if doc.text[start] == "🍒":
        word = next((i for i, n in enumerate(doc.norm) if _CHERRY_WORD.fullmatch(n)), None)
        if word is None and _CHERRY_NAME in doc.norm and adult_age(doc) is not None:
            word = doc.norm.index(_CHERRY_NAME)
        if word is not None:
            return "about_other", doc.offsets(word), "a cherry word"
    child = _own_child(doc, start, end)
    if child is not None:
        return "about_other", doc.offsets(child), "her own child"
    refusal = _refused_sentence(doc, end)
    if refusal is not None:
        return "negation", doc.offsets(refusal), "a list refused at its end"
    return None


def _own_child(doc: Tokens, start: int, end: int) -> int | None:
    """A child of the writer in the cue's sentence, or anywhere for a school-calendar cue."""
    calendar = any(doc.norm[i].startswith(_CALENDAR) for i in range(start, end))
    first, last = (0, doc.n) if calendar else _sentence(doc, start, end)
    for i in range(max(1, first), last):
        norm = doc.norm[i]
        if norm not in _CHILDREN and (calendar or norm not in _RANKED):
            continue
        before = doc.norm[i - 1]
        if before in _OWN and i > 1:
            before = doc.norm[i - 2]
        if norm in _RANKED and (before not in _SINGULAR_MINE or not _grown_up_writer(doc)):
            continue
        if before in _MINE:
            return i
    return None


def _grown_up_writer(doc: Tokens) -> bool:
    """The ad states an age of 30 or more (a mother of a grown child writes it)."""
    return any(age.age >= 30 for age in stated_ages(doc.source))


def _sentence(doc: Tokens, start: int, end: int) -> tuple[int, int]:
    first = start
    while first > 0 and not _ends_sentence(doc, first - 1):
        first -= 1
    last = end
    while last < doc.n and not _ends_sentence(doc, last):
        last += 1
    return first, last


def _ends_sentence(doc: Tokens, i: int) -> bool:
    return doc.text[i] in _SENTENCE_ENDS or "\n" in doc.text[i]


def _refused_sentence(doc: Tokens, end: int) -> int | None:
    """ "... doe ik niet." closing the cue's sentence (at most 16 words on)."""
    last = end
    while last < doc.n and not _ends_sentence(doc, last) and last < end + 16:
        last += 1
    words = [i for i in range(end, last) if not doc.text[i].isspace()]
    for k in range(len(words) - 2):
        verb, subject, no = (doc.norm[words[k + j]] for j in range(3))
        refused = verb in _REFUSE_VERBS and subject in _REFUSE_SUBJECT and no in _REFUSALS
        if refused and (k + 3 >= len(words) or not doc.text[words[k + 3]].isalpha()):
            return words[k + 2]
    return None


_POSSESSIVES = frozenset({"haar", "zijn", "her", "his", "d'r", "der"})
_PARENTS = frozenset({"ouders", "parents"})


def her_parents(doc: Tokens, i: int) -> bool:
    """ "haar ouders", "her parents": her parents' rules are a cue, not someone else's words."""
    return doc.norm[i] in _PARENTS and i > 0 and doc.norm[i - 1] in _POSSESSIVES
