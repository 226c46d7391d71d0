"""One ad's tokens as plain lists, read once: the structure checks walk these, not spaCy's doc.

Walking a spaCy `Doc` builds a `Token` object per step; negation, voice and context look at a
few dozen tokens around each match, so they read these lists instead (same tokens, same order).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc


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

    def __len__(self) -> int:
        return len(self.text)

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

    def is_space(self, i: int) -> bool:
        """Whitespace token (spaCy keeps runs of extra spaces and line breaks as tokens)."""
        return self.text[i].isspace()

    def is_line_break(self, i: int) -> bool:
        """A whitespace token holding a line break."""
        return "\n" in self.text[i]

    def offsets(self, i: int) -> tuple[int, int]:
        """Character offsets of token i in the text."""
        return self.idx[i], self.idx[i] + len(self.text[i])
