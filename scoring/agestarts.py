"""Where a word-led regex can start: at the words it opens with, not at every position.

Python's regex engine skips ahead only to a literal or a character set; a pattern that opens with
`\\b` and a case-blind word alternation ("ik ben|i am|...") is tried at every position of the text,
which made the number-word forms of `scoring.ages` the dearest part of a stated-age scan. Such a
pattern can only match where a word it opens with starts (a run of letters: "geboren2007" opens
with "geboren"), so it is tried there with `match`, which gives what `finditer` gives: the same
leftmost, non-overlapping matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_RUN = re.compile(r"[^\W\d_]+")
# Without a leading \\b, so the engine skips ahead to capitals; word starts are checked after.
_CAPITALISED = re.compile(r"[A-Z][a-z]+\b")
# The only characters a case-blind regex reads as an ASCII letter ("ſix" is "six"): with one in
# the text, lower-cased words no longer tell where a pattern can start.
_FOLD_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


@dataclass(frozen=True)
class Heads:
    """The words a pattern can open with: lower case, or as written when `case_blind` is off;
    `prefix`: or the start of a longer word ("ageXIX"); `capitalised` adds every word of a
    capital and lower-case ASCII letters ("[A-Z][a-z]+")."""

    words: frozenset[str]
    case_blind: bool = True
    capitalised: bool = False
    prefix: bool = False


def heads(words: str, **how: bool) -> Heads:
    """Heads from words separated by spaces."""
    return Heads(frozenset(words.split()), **how)


class WordStarts:
    """The words of one text (lower case, letters only), read once; where a word starts is
    looked up when a pattern asks for it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._low = text.lower()
        # The lower-cased text's offsets are the text's only when every character stays one.
        self.exact = len(self._low) == len(text) and not any(c in text for c in _FOLD_TO_ASCII)
        self._words: frozenset[str] | None = None
        self._found: dict[str, list[int]] = {}
        self._capitals: list[int] | None = None

    def of(self, heads: Heads) -> list[int] | None:
        """Sorted starts where a pattern opening with `heads` can match (None: anywhere)."""
        if not self.exact:
            return None
        if self._words is None:
            self._words = frozenset(_RUN.findall(self._low))
        if heads.prefix:
            opening = tuple(heads.words)
            found = [word for word in self._words if word.startswith(opening)]
        else:
            found = heads.words & self._words
        starts = [
            at
            for word in found
            for at in self._starts(word)
            if heads.case_blind or self.text.startswith(word, at)
        ]
        if heads.capitalised:
            if self._capitals is None:
                self._capitals = [m.start() for m in _CAPITALISED.finditer(self.text)]
            starts += self._capitals
        return sorted(set(starts)) if len(found) > 1 or heads.capitalised else starts

    def _starts(self, word: str) -> list[int]:
        """Where `word` starts a word of the text (and perhaps more letters follow)."""
        if word not in self._found:
            low, starts, at = self._low, [], self._low.find(word)
            while at >= 0:
                if at == 0 or not low[at - 1].isalnum():
                    starts.append(at)
                at = low.find(word, at + 1)
            self._found[word] = starts
        return self._found[word]

    def find(self, pattern: re.Pattern[str], heads: Heads) -> Iterator[re.Match[str]]:
        """`pattern.finditer(text)` for a pattern that opens with one of `heads`."""
        starts = self.of(heads)
        if starts is None:
            return pattern.finditer(self.text)
        return matches_at(pattern, self.text, starts)


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields, for a pattern that matches nothing empty and can
    start only at `starts` (sorted)."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            yield match
            end = match.end()
