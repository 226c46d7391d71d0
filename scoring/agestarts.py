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
from functools import cached_property

from scoring.numberwords import alternation

# The only characters a case-blind regex reads as an ASCII letter ("ſix" is "six"): with one in
# the text, lower-cased words no longer tell where a pattern can start.
_FOLD_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def folds_like_ascii(text: str) -> bool:
    """Whether the text holds a character a case-blind regex reads as an ASCII letter it is
    not: without one, a case-blind match of ASCII words holds them in `text.lower()`."""
    return any(c in text for c in _FOLD_TO_ASCII)


@dataclass(frozen=True)
class Heads:
    """The words (lower case) a case-blind pattern can open with; with `prefix`, also the start
    of a longer word ("ageXIX")."""

    words: frozenset[str]
    prefix: bool = False

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """One of the words, whole unless `prefix`: a leading literal, so the engine skips ahead
        (a match holds only letters, so no word start hides inside another match)."""
        whole = "" if self.prefix else r"(?![^\W\d_])"
        return re.compile(f"(?:{alternation(sorted(self.words))}){whole}")


def heads(words: str, **how: bool) -> Heads:
    """Heads from words separated by spaces."""
    return Heads(frozenset(words.split()), **how)


class WordStarts:
    """Where the words a pattern asks for start in one text, found once per text and list."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._low = text.lower()
        # The lower-cased text's offsets are the text's only when every character stays one.
        self.exact = len(self._low) == len(text) and not any(c in text for c in _FOLD_TO_ASCII)
        self._of: dict[Heads, list[int]] = {}

    def of(self, heads: Heads | None) -> list[int] | None:
        """Sorted starts where a pattern opening with `heads` can match (None: anywhere)."""
        if not self.exact or heads is None:
            return None
        # Keyed by the heads themselves (equal words, equal starts): an id could be reused by
        # another list once a short-lived one is freed.
        if heads not in self._of:
            self._of[heads] = self._starts_of(heads)
        return self._of[heads]

    def _starts_of(self, heads: Heads) -> list[int]:
        starts: list[int] = []
        if heads.words:
            low = self._low
            starts = [
                at
                for found in heads.regex.finditer(low)
                if (at := found.start()) == 0 or not low[at - 1].isalnum()
            ]
        return starts

    def find(self, pattern: re.Pattern[str], heads: Heads | None) -> Iterator[re.Match[str]]:
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


_SMALL_NUMBER = re.compile(r"\d{1,2}(?!\d)")
WINDOW_BEFORE = 60
_WINDOW_AFTER = 40


def number_windows(text: str) -> list[tuple[int, int]]:
    """Merged (start, end) windows around every one- or two-digit number: a digits-form
    pattern that starts with words ("ik ben", "Lina,") can only match inside one."""
    windows: list[tuple[int, int]] = []
    for match in _SMALL_NUMBER.finditer(text):
        at = match.start()
        if at and text[at - 1].isdigit():
            continue
        start, end = max(0, at - WINDOW_BEFORE), min(len(text), match.end() + _WINDOW_AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows
