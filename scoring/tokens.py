"""One ad's tokens as plain lists, read once: the structure checks walk these, not spaCy's doc.

Walking a spaCy `Doc` builds a `Token` object per step; negation, voice and context look at a
few dozen tokens around each match, so they read these lists instead (same tokens, same order).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc

# The days of the week as ads write them, in both languages, in full and abbreviated.
WEEKDAYS = frozenset(
    {"ma", "di", "wo", "do", "vr", "za", "zo", "maandag", "dinsdag", "woensdag", "donderdag",
     "vrijdag", "zaterdag", "zondag", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday",
     "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)  # fmt: skip


@dataclass
class Tokens:
    """Per token: text, normalised form, lower case, character offset and a few flags."""

    text: list[str]
    norm: list[str]
    lower: list[str]
    idx: list[int]
    alpha: list[bool]
    title: list[bool]
    num: list[bool]
    source: str
    n: int = -1  # the number of tokens (len() costs a call in the hot loops)

    _ends: list[int] | None = None  # indices of the clause_end breaks
    _clauses: list[int] | None = None  # indices of the clause_around breaks
    quotes: list[int] | None = None  # per token: index of the open quote on its line, or -1
    norm_keys: list[int] | None = None  # per token: the NORM hash (for the keyed patterns)

    def __post_init__(self) -> None:
        self.n = len(self.text)

    def __len__(self) -> int:
        return self.n

    @classmethod
    def of(cls, doc: Doc) -> Tokens:
        """The lists of a doc whose NORM is already set."""
        text, norm, lower, idx, alpha, title, num = [], [], [], [], [], [], []
        for token in doc:
            text.append(token.text)
            norm.append(token.norm_)
            lower.append(token.lower_)
            idx.append(token.idx)
            alpha.append(token.is_alpha)
            title.append(token.is_title)
            num.append(token.like_num)
        return cls(text, norm, lower, idx, alpha, title, num, doc.text)

    def clause_end(self, i: int, marks: frozenset[str]) -> int:
        """The first index from i that is a mark of `marks` or a line break (or n); the
        break list is made once per ad (always with the same marks)."""
        ends = self._ends
        if ends is None:
            ends = self._ends = [
                j for j, t in enumerate(self.text) if t in marks or ("\n" in t and t.isspace())
            ]
        at = bisect_left(ends, self._index(i))
        return ends[at] if at < len(ends) else self.n

    def clause_around(self, i: int) -> tuple[int, int]:
        """The nearest break before token i and the first from i (-1 and n when none): a break
        is ".", "!", "?", ";" or a token holding a line break. One pass per ad, then a search."""
        breaks = self._clauses
        if breaks is None:
            breaks = self._clauses = [
                j for j, t in enumerate(self.text) if t in _CLAUSE_MARKS or "\n" in t
            ]
        at = bisect_left(breaks, self._index(i))
        return (
            breaks[at - 1] if at else -1,
            breaks[at] if at < len(breaks) else self.n,
        )

    def _index(self, i: int) -> int:
        """i as an index of a table of n + 1 entries (a negative i counts from its end)."""
        return i + self.n + 1 if i < 0 else i

    def is_space(self, i: int) -> bool:
        """Whitespace token (spaCy keeps runs of extra spaces and line breaks as tokens)."""
        return self.text[i].isspace()

    def is_line_break(self, i: int) -> bool:
        """A whitespace token holding a line break."""
        return "\n" in self.text[i]

    def offsets(self, i: int) -> tuple[int, int]:
        """Character offsets of token i in the text."""
        return self.idx[i], self.idx[i] + len(self.text[i])


_CLAUSE_MARKS = frozenset({".", "!", "?", ";"})
