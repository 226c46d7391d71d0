"""Where a word-led regex can start: at the words it opens with, not at every position.

Python's regex engine skips ahead only to a literal or a character set; a pattern that opens with
`\\b` and a case-blind word alternation ("ik ben|i am|...") is tried at every position of the text,
which made the number-word forms of `scoring.ages` the dearest part of a stated-age scan. Such a
pattern can only match where a word (a run of `\\w`) it opens with starts, so it is tried there
with `match`, which gives what `finditer` gives: the same leftmost, non-overlapping matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_RUN = re.compile(r"\w+")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
# The only characters a case-blind regex reads as an ASCII letter ("ſix" is "six"): with one in
# the text, lower-cased words no longer tell where a pattern can start.
_FOLD_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


@dataclass(frozen=True)
class Heads:
    """The words a pattern can open with: lower case, or as written when `case_blind` is off;
    `capitalised` adds every word of a capital and lower-case ASCII letters ("[A-Z][a-z]+")."""

    words: frozenset[str]
    case_blind: bool = True
    capitalised: bool = False


def heads(words: str, case_blind: bool = True, capitalised: bool = False) -> Heads:
    """Heads from words separated by spaces."""
    return Heads(frozenset(words.split()), case_blind, capitalised)


class WordStarts:
    """The start of every word of one text, by its lower-case form, read once per text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.exact = not any(c in text for c in _FOLD_TO_ASCII)
        self._index: dict[str, list[int]] | None = None

    def _words(self) -> dict[str, list[int]]:
        if self._index is None:
            index: dict[str, list[int]] = {}
            for run in _RUN.finditer(self.text):
                index.setdefault(run.group().lower(), []).append(run.start())
            self._index = index
        return self._index

    def of(self, heads: Heads) -> list[int] | None:
        """Sorted starts where a pattern opening with `heads` can match (None: anywhere)."""
        if not self.exact:
            return None
        index = self._words()
        starts = [
            at
            for word in heads.words & index.keys()
            for at in index[word]
            if heads.case_blind or self.text.startswith(word, at)
        ]
        if heads.capitalised:
            starts += (m.start() for m in _CAPITALISED.finditer(self.text))
        return sorted(set(starts))


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields, for a pattern that matches nothing empty and can
    start only at `starts` (sorted)."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            yield match
            end = match.end()
