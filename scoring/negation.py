"""Clause-scoped negation and denial, one mechanism for every indicator, in nl and en.

A match is denied when, inside its own clause, a negation word stands before it ("nooit zonder
condoom", "no bareback"), or right after it ("bareback doe ik niet", "24/7 nee"); when its clause
is a question or a heading answered with a denial ("24/7? Nee, alleen op afspraak", "Hotel: nee");
or when it stands in a list that a denial opens ("Niet mogelijk: bareback, zonder condoom").
Clauses end at sentence marks, line breaks and commas; a contrast word ("maar", "wel", "but")
ends the reach of a negation before it. "Geen probleem" and "no problem" deny nothing.
The words are configured in `config/indicators.yaml` (`negation`); tokens are compared by NORM.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from scoring.tokens import Tokens

SENTENCE_MARKS = frozenset({".", "!", "?", ";", "…", "•", "|", "·", "*", "..", "...", "!!", "?!"})
QUESTION_MARKS = frozenset({"?", ":", "-", "–", "—", "??", "?!", "=", ">", "->", "=>"})
SOFT_MARKS = frozenset({",", "(", ")", "/", "+", "&"})
BOUNDARY_MARKS = SENTENCE_MARKS | SOFT_MARKS | QUESTION_MARKS
REACH_BEFORE = 6
REACH_AFTER = 4
ANSWER_REACH = 3
LIST_REACH = 40


@dataclass(frozen=True)
class Denial:
    """Why a match does not count: the word that denies it, where it stands, and the form."""

    cue: str
    start: int  # character offsets of the cue in the doc's text
    end: int
    form: str  # "before", "after", "answer" or "list"


@dataclass(frozen=True)
class NegationWords:
    """The configured words, as NORM strings."""

    before: frozenset[str]
    after: frozenset[str]
    answers: frozenset[str]
    close_only: frozenset[str]  # negate only right before the match ("zonder", "without")
    contrast: frozenset[str]
    breaks: frozenset[str]  # words after a match that start a new thought ("voor wie", "als")
    harmless: frozenset[str]  # after a negation word, makes it no denial ("geen probleem")


def _is_sentence_end(doc: Tokens, i: int) -> bool:
    text = doc.text[i]
    return text in SENTENCE_MARKS or ("\n" in text and text.isspace())


def _is_boundary(doc: Tokens, i: int) -> bool:
    text = doc.text[i]
    return _is_sentence_end(doc, i) or text in SOFT_MARKS or text in QUESTION_MARKS


@lru_cache(maxsize=4096)
def is_emoji(text: str) -> bool:
    """A token of emoji only ("🐣", "👯‍♀️"): it closes a clause as a full stop would."""
    return any(unicodedata.category(c) == "So" for c in text) and all(
        unicodedata.category(c) in {"So", "Sk", "Mn", "Cf"} for c in text
    )


def _emoji_break(doc: Tokens, i: int, words: NegationWords) -> bool:
    """An emoji between a match and a negation ends the clause ("just got here 🐣 not even 17"),
    unless the emoji is itself the denial ("🚫 bareback")."""
    text = doc.text[i]
    if text.isascii() or not is_emoji(text):
        return False
    norm = doc.norm[i]
    return norm not in words.before and norm not in words.after and norm not in words.answers


def denial(doc: Tokens, start: int, end: int, words: NegationWords) -> Denial | None:
    """The denial of the match doc[start:end], or None when the match stands."""
    while end - 1 > start and _is_boundary(doc, end - 1):
        end -= 1  # a pattern ending on its mark ("alles zonder?"): the mark is read as after it
    return (
        _before(doc, start, words)
        or _after(doc, end, words)
        or _answered(doc, end, words)
        or _denied_list(doc, start, words)
        or _asked(doc, end)
        or _asked_and_denied(doc, start, end, words)
    )


def _asked_and_denied(doc: Tokens, start: int, end: int, words: NegationWords) -> Denial | None:
    """ "24/7 beschikbaar? Lieverd, ik ben geen pinautomaat.": a question the match opens, a word
    or two before its mark, whose next sentence holds a denial (a bare "Underage fantasy? Dit is
    echt." stays)."""
    if (start > 0 and not _is_boundary(doc, start - 1)) or end >= doc.n or not doc.alpha[end]:
        return None
    mark = next((i for i in range(end, min(doc.n, end + 3)) if not doc.alpha[i]), None)
    if mark is None or doc.text[mark] not in {"?", "??", "?!"}:
        return None
    for j in range(mark + 1, min(doc.n, mark + 1 + LIST_REACH // 2)):
        if _is_sentence_end(doc, j):
            return None
        if doc.norm[j] in AFFIRMATIVE:
            return None
        if _negates(doc, j, words, words.before | words.answers):
            return _cue(doc, j, "answer")
    return None


AFFIRMATIVE = frozenset(
    {"ja", "yes", "yep", "jazeker", "zeker", "natuurlijk", "tuurlijk", "sure", "absoluut",
     "absolutely", "ofcourse", "uiteraard", "✅", "✔", "✔️", "👍"}
)  # fmt: skip


def _asked(doc: Tokens, end: int) -> Denial | None:
    """ "Nieuw in Houten?" asks; it claims nothing unless a "ja" (or a winked "nee") answers it."""
    if end >= doc.n or doc.text[end] not in {"?", "??", "?!"}:
        return None
    for j in range(end + 1, min(doc.n, end + 4)):
        if doc.norm[j] in AFFIRMATIVE or _winked(doc, j):
            return None
    return _cue(doc, end, "question")


# A verb of indifference before the negation makes it a claim: "dag of nacht, boeit me niet".
INDIFFERENT = frozenset({"boeit", "boeien", "interesseert", "uitmaakt", "matters", "bothers"})


def _negates(doc: Tokens, i: int, words: NegationWords, vocabulary: frozenset[str]) -> bool:
    if doc.norm[i] not in vocabulary:
        return False
    if any(doc.norm[j] in INDIFFERENT for j in range(max(0, i - 2), i)):
        return False
    return not (i + 1 < doc.n and doc.norm[i + 1] in words.harmless)


def _cue(doc: Tokens, i: int, form: str) -> Denial:
    start, end = doc.offsets(i)
    return Denial(doc.text[i], start, end, form)


# A wink right after a denial takes it back ("24/7? Haha nee hoor 😉"); a laugh alone does not
# ("no darling, I have a life 😂").
WINKS = frozenset(
    {"😉", "😜", "😏", "😝", "😛", ";)", ";-)", ";p", ";-p", ";d", "grapje", "geintje", "kidding",
     "jk", "knipoog", "*knipoog*"}
)  # fmt: skip
WINK_FILLERS = frozenset(
    {"hoor", "joh", "hihi", "haha", "hahaha", "lol", "hè", "he", "echt", "nee", "no", "toch",
     "just", "ofzo", "nope", "!", "..", "..."}
)  # fmt: skip


REPLY_WORDS = frozenset({"nee", "neen", "no", "nope", "nah", "haha", "hahaha"})


def _winked(doc: Tokens, i: int) -> bool:
    """The reply doc[i] ("nee", "no", "haha"; not "niet", "nooit") is followed, past fillers
    only, by a wink."""
    if doc.norm[i] not in REPLY_WORDS:
        return False
    for j in range(i + 1, min(doc.n, i + 5)):
        if doc.norm[j] in WINKS:
            return True
        if doc.norm[j] not in WINK_FILLERS and not doc.is_space(j):
            return False
    return False


def _answer_cue(doc: Tokens, i: int, form: str) -> Denial | None:
    """The denial a reply word makes, unless a wink takes it back."""
    return None if _winked(doc, i) else _cue(doc, i, form)


def _before(doc: Tokens, start: int, words: NegationWords) -> Denial | None:
    for i in range(start - 1, max(-1, start - 1 - REACH_BEFORE), -1):
        if _is_boundary(doc, i) or doc.norm[i] in words.contrast or _emoji_break(doc, i, words):
            return None
        if _negates(doc, i, words, words.before):
            return _cue(doc, i, "before")
        if start - i <= 2 and _negates(doc, i, words, words.close_only):
            return _cue(doc, i, "before")
    return None


def _after(doc: Tokens, end: int, words: NegationWords) -> Denial | None:
    i = end
    while i < min(doc.n, end + REACH_AFTER):
        norm = doc.norm[i]
        if doc.text[i] == "," and _lone_denial(doc, i + 1, words):
            return _answer_cue(doc, i + 1, "after")
        if _is_boundary(doc, i) or norm in words.breaks or norm in words.contrast:
            return None
        if _emoji_break(doc, i, words):
            return None
        if _negates(doc, i, words, words.after):
            return _answer_cue(doc, i, "after")
        i += 1
    return None


def _lone_denial(doc: Tokens, i: int, words: NegationWords) -> bool:
    """ ", never." or ", nooit!": a denial word alone after a comma, closing the clause."""
    if i >= doc.n or not _negates(doc, i, words, words.answers | words.after):
        return False
    return i + 1 >= doc.n or _is_boundary(doc, i + 1)


STRICT_ANSWERS = frozenset({"nee", "neen", "no", "nope", "nooit", "never"})


def _answered(doc: Tokens, end: int, words: NegationWords) -> Denial | None:
    i = doc.clause_end(end, BOUNDARY_MARKS) if end < doc.n else doc.n
    if i < doc.n and doc.text[i] == ",":
        i = _listed_question(doc, i)  # "Tieners, schoolmeisjes? Niet bij mij."
    if i < doc.n and doc.text[i] in {".", "!"}:
        return _next_sentence_denies(doc, i)
    if i >= doc.n or doc.text[i] not in QUESTION_MARKS:
        return None
    while i < doc.n and (doc.text[i] in QUESTION_MARKS or doc.is_space(i)):
        i += 1
    for j in range(i, min(doc.n, i + ANSWER_REACH)):
        if _negates(doc, j, words, words.answers):
            return _answer_cue(doc, j, "answer")
        if _is_sentence_end(doc, j):
            break
    return None


def _listed_question(doc: Tokens, i: int) -> int:
    """The question mark that closes a list the match stands in, else `i` (the comma)."""
    for j in range(i + 1, min(doc.n, i + LIST_QUESTION_REACH)):
        if doc.text[j] in QUESTION_MARKS:
            return j
        if _is_sentence_end(doc, j) or doc.is_line_break(j):
            return i
    return i


LIST_QUESTION_REACH = 12


def _next_sentence_denies(doc: Tokens, i: int) -> Denial | None:
    """ "Ik krijg vaak de vraag of ik in een hotel werk. Nee, ..." answers the sentence before."""
    while i < doc.n and (doc.text[i] in {".", "!"} or doc.is_space(i)):
        if doc.is_line_break(i):
            return None  # a new line is a new item, not an answer
        i += 1
    if (
        i < doc.n
        and doc.norm[i] in STRICT_ANSWERS
        and (i + 1 >= doc.n or doc.text[i + 1] in {",", ".", "!"})
    ):
        return _answer_cue(doc, i, "answer")
    return None


def _denied_list(doc: Tokens, start: int, words: NegationWords) -> Denial | None:
    """A denial opening a list with ":" earlier in the same sentence."""
    if ":" not in doc.text[max(0, start - LIST_REACH) : start]:
        return None  # no list opens within reach
    i = start - 1
    while i >= max(0, start - LIST_REACH) and not _is_sentence_end(doc, i):
        if doc.text[i] == ":":
            for j in range(i - 1, max(-1, i - 4), -1):
                if _is_sentence_end(doc, j):
                    break
                if _negates(doc, j, words, words.before | words.answers):
                    return _cue(doc, j, "list")
            return None
        i -= 1
    return None
