"""Towns written as one list word: "Houten/Zeist/Amersfoort", "Dbosch-Tilburg", "Utrecht|Houten".

spaCy's tokenizer keeps such a list as one token, so the phrase matchers of `scope` see no town in
it. A token that no name matched is cut at its slashes and bars, then a piece that is still no
name at its dashes; when every piece is a known name (at least two of them) each counts as a place.
A name with a dash of its own ("Houten-Zuid", "Alphen-Chaam") is matched whole first, and a word
with one piece that is no name ("Zeist-West", "Jan-Pieterszoon-Coenstraat") names nothing.
`LocationMatcher` is its only user.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from spacy.attrs import IDX
from spacy.tokens import Doc

# A separator with a letter on both sides: the only tokens worth cutting.
LISTED = re.compile(r"[^\W\d_][/|\-–—][^\W\d_]")
_EVERY_LISTED = re.compile(r"(?=[^\W\d_][/|\-–—][^\W\d_])")  # overlapping ones too
_SLASHES = re.compile(r"[/|]")
_DASHES = re.compile(r"[\-–—]")

Piece = tuple[str, int]  # a piece's text and its offset in the token
Named = Callable[[str], "str | None"]  # a piece's text -> the matcher key naming it whole, or None


def list_tokens(doc: Doc, text: str | None, covered: set[int]) -> Iterator[int]:
    """Indices of tokens that hold a list separator between letters and no match covers, in
    order; `text` is the doc's text when the caller has it. Found from the separators' offsets,
    not by reading every token."""
    text = doc.text if text is None else text
    starts = doc.to_array([IDX]).tolist()
    seen: set[int] = set()
    for match in _EVERY_LISTED.finditer(text):
        index = bisect.bisect_right(starts, match.start() + 1) - 1  # the separator's token
        if index in seen or index in covered or not LISTED.search(doc[index].text):
            continue
        seen.add(index)
        yield index


def named_pieces(text: str, named: Named) -> list[tuple[str, int, str]] | None:
    """(piece, offset in `text`, key) for every piece of a list word, or None when some piece
    names no place or fewer than two do."""
    found: list[tuple[str, int, str]] = []
    for piece, at in _cut(text, _SLASHES):
        key = named(piece) if piece else None
        if key is not None:
            found.append((piece, at, key))
            continue
        parts = _cut(piece, _DASHES)
        keys = [named(part) if part else None for part, _ in parts]
        if len(parts) < 2 or None in keys:
            return None
        for (part, offset), key in zip(parts, keys, strict=True):
            found.append((part, at + offset, key))  # type: ignore[arg-type]
    return found if len(found) >= 2 else None


def _cut(text: str, separator: re.Pattern[str]) -> list[Piece]:
    pieces, start = [], 0
    for match in separator.finditer(text):
        pieces.append((text[start : match.start()], start))
        start = match.end()
    pieces.append((text[start:], start))
    return pieces
