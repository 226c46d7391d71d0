"""Scraped text cut into plain pieces for the templates: highlighted spans, diffs, templates.

Nothing here produces markup. Templates render each piece's text escaped and wrap it in their own
elements, so hostile text stays text.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SLOT = "{…}"


@dataclass(frozen=True)
class Segment:
    """A piece of text; `codes`: indicators whose spans cover it, `ends`: those ending here."""

    text: str
    codes: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()


def spans_for(hits: Iterable[Any], field: str, version_id: int) -> list[tuple[int, int, str]]:
    """(start, end, code) of every span of this field in the hits' evidence for the version."""
    spans = []
    for hit in hits:
        if hit.version_id not in (None, version_id):
            continue
        for item in hit.evidence:
            span = item.get("span") if item.get("kind") == "value" else item
            if span and span.get("kind") == "span" and span.get("field", "text") == field:
                spans.append((int(span["start"]), int(span["end"]), hit.code))
    return spans


def segments(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """The text cut at every span boundary, each piece with the codes covering it."""
    valid = [(s, e, c) for s, e, c in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, _, _ in valid), *(e for _, e, _ in valid)})
    result = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(dict.fromkeys(c for s, e, c in valid if s <= start and end <= e))
        ending = tuple(dict.fromkeys(c for _, e, c in valid if e == end))
        result.append(Segment(text[start:end], covering, ending if covering else ()))
    return result or [Segment(text)]


@dataclass(frozen=True)
class DiffPiece:
    """A word run of a diff: `same`, `removed` or `added`."""

    kind: str
    text: str


def word_diff(before: str, after: str) -> list[DiffPiece]:
    """A word-level diff of two texts."""
    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    pieces = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(DiffPiece("same", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(DiffPiece("removed", "".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(DiffPiece("added", "".join(new[b1:b2])))
    return pieces


def changed_fields(before: dict[str, str] | None, after: dict[str, str]) -> list[str]:
    """The field names whose value differs from the previous version."""
    if before is None:
        return []
    return [name for name, value in after.items() if before.get(name) != value]


def template_parts(template: str) -> list[Segment]:
    """The template cut at its slots; a slot is a segment with the code `slot`."""
    parts: list[Segment] = []
    for index, piece in enumerate(template.split(SLOT)):
        if index:
            parts.append(Segment("…", ("slot",)))
        if piece:
            parts.append(Segment(piece))
    return parts
