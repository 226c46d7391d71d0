"""Words written apart to dodge a filter, read as the word: "n i e u w", "2 4 / 7", "nieu🌸w",
"n!euw", "$chool", and inside one token "n.i.e.t", "h.0.t.e.l", "c-0-n-d-0-m".

Two steps, both precise by construction: a joined form counts only when it is a word the rules
use (the normaliser's vocabulary), so a phone number written "0 6 1 2 ...", a price, a time or a
code never becomes a word. `join_split_words` merges the tokens of a spaced or glued run into one
token (its text, and so the evidence, is the ad's own: "n i e u w"); `joined_form` gives the word
such a token, or a dotted one, stands for, for the token's NORM.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from spacy.tokens import Doc

# Digits and symbols used as letters inside a word (also read by `scoring.agedisguise`).
SYMBOL_LETTERS = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
     "|": "l", "€": "e", "¡": "i"}
)  # fmt: skip
# Separators between the letters of one word: spaces, dots, dashes, stars, middle dots.
_SEPARATORS = re.compile(r"[\s.\-_*·•~+]+")
# "n.i.e.t", "c-0-n-d-0-m", "t i e n e r": single characters joined by separators.
_SPELLED = re.compile(r"^(?:\w[\s.\-_*·•~+]+){2,}\w[.]?$")
_MAX_RUN = 24
# A quick test on the text: spaced single characters, or a symbol between letters.
_HINT = re.compile(
    r"(?:^|\s)\S (?:\S ){1,}\S(?:\s|$)|"
    r"[^\W\d_](?:[$@!|¡€]|[\u2190-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]{1,4})[^\W\d_]|"
    r"(?:^|\s)[$@!|¡][^\W\d_]"
)

# `_HINT`'s branches apart, each led by what the engine scans fast (a literal or one class):
# `_HINT` itself tried three branches at every character.
_SPACED_GATE = re.compile(r" \S \S(?:\s|$)")
_SPACED = re.compile(r"(?:^|\s)\S (?:\S ){1,}\S(?:\s|$)")
_SYMBOL = re.compile(r"[$@!|¡€\u2190-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]")
_GLUED = re.compile(r"(?:[$@!|¡€]|[\u2190-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]{1,4})[^\W\d_]")
_LETTER = re.compile(r"[^\W\d_]")


def _hinted(text: str) -> bool:
    """`bool(_HINT.search(text))`, answered faster."""
    if _SPACED_GATE.search(text) and _SPACED.search(text):
        return True
    for symbol in _SYMBOL.finditer(text):
        at = symbol.start()
        if at and _LETTER.match(text, at - 1) and _GLUED.match(text, at):
            return True  # a symbol or emoji between letters
        if (
            text[at] in "$@!|¡"
            and (not at or text[at - 1].isspace())
            and _LETTER.match(text, at + 1)
        ):
            return True  # a symbol for a word's first letter
    return False


def joined_form(word: str, known: Callable[[str], bool]) -> str | None:
    """The known word a spelled-out token stands for ("n.i.e.t" -> "niet"), else None."""
    if not _SPELLED.match(word) and not any(not c.isalnum() and not c.isspace() for c in word):
        return None
    for candidate in _candidates(word):
        if len(candidate) >= 3 and known(candidate):
            return candidate
    return None


def _candidates(word: str) -> list[str]:
    """The word with separators dropped, then with symbols read as letters or dropped."""
    bare = _SEPARATORS.sub("", word)
    letters = "".join(c for c in bare if c.isalnum() or c in "/$@!|€¡")
    dropped = "".join(c for c in bare if c.isalnum() or c == "/")
    return list(dict.fromkeys([bare, letters.translate(SYMBOL_LETTERS), dropped,
                               dropped.translate(SYMBOL_LETTERS)]))  # fmt: skip


def join_split_words(doc: Doc, known: Callable[[str], bool], text: str | None = None) -> int:
    """Merge runs of tokens that spell one known word; returns how many runs were merged.

    `text`: the doc's text when the caller has it."""
    if not len(doc) or not _hinted(doc.text if text is None else text):
        return 0
    texts = [t.text for t in doc]
    spaces = [t.whitespace_ for t in doc]
    runs = _runs(texts, spaces, known)
    if runs:
        with doc.retokenize() as retokenizer:
            for start, end in runs:
                retokenizer.merge(doc[start:end])
    return len(runs)


def _runs(
    texts: list[str], spaces: list[str], known: Callable[[str], bool]
) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    i, n = 0, len(texts)
    while i < n:
        end = _run_end(texts, spaces, i)
        found = _longest_known(texts, spaces, i, end, known) if end - i >= 2 else None
        if found is not None:
            runs.append((i, found))
            i = found
        else:
            i += 1
    return runs


def _run_end(texts: list[str], spaces: list[str], i: int) -> int:
    """The end of the run from i: single characters spaced once ("n i e u w"), or tokens glued
    without a space ("nieu🌸w", "$chool")."""
    spaced = len(texts[i]) == 1 and spaces[i] == " "
    j = i + 1
    while j < len(texts) and j - i < _MAX_RUN:
        if spaced:
            if len(texts[j]) != 1 or spaces[j - 1] != " ":
                break
        elif spaces[j - 1] or texts[j].isspace():
            break
        j += 1
    return j


_PIECE_MARKS = frozenset("/$@!|€¡.-_*·+")
_LEADING = frozenset("$@!|¡")


def _piece(text: str) -> bool:
    """A token that can be part of a spelled word: letters, digits, a letter-like symbol, a
    separator or an emoji (never a quote, bracket or tilde: those mark quotes and edits)."""
    return all(
        c.isalnum() or c in _PIECE_MARKS or unicodedata.category(c) in {"So", "Mn", "Cf"}
        for c in text
    )


def _longest_known(
    texts: list[str], spaces: list[str], start: int, end: int, known: Callable[[str], bool]
) -> int | None:
    """The end of the longest piece texts[start:k] (two tokens or more) that spells a known word
    it does not already spell token by token."""
    first = texts[start]
    if not (first.isalnum() or first in _LEADING):
        return None
    end = next((j for j in range(start, end) if not _piece(texts[j])), end)
    for k in range(end, start + 1, -1):
        if not texts[k - 1].isalnum():
            continue  # "2 4 / 7 !": the mark after the word stays a mark
        pieces = texts[start:k]
        if all(p.isalnum() for p in pieces) and not any(spaces[start : k - 1]):
            continue  # "dag" "nacht" glued by nothing odd: the tokenizer split it, not the writer
        word = "".join(p + w for p, w in zip(pieces, spaces[start:k], strict=True)).strip().lower()
        if joined_form(word, known) is not None:
            return k
    return None
