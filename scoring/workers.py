"""Several workers named in one ad: two or more first names joined into a list.

"Vandaag: Nadia, Roos & Lieke", "ik regel de agenda voor Petra en Kiki", "Ma: Isa & Kim" name
several people offered through one ad, whatever words stand around them. A `multiple_workers`
match per list; names come from deduce's list of first names and must not be ordinary words
(as in `scoring.voice`). Quotes and clients are left to `scoring.context`.
"""

from __future__ import annotations

from adwatch.config.gazetteer import first_names, ordinary_words
from scoring.tokens import WEEKDAYS, Tokens
from scoring.voice import VoiceMatch

JOINERS = frozenset({",", "&", "en", "and", "+", "/", "of", "or", "n"})


class NameLists:
    """Finds lists of two or more first names; build once, call `matches(doc)`."""

    def __init__(self) -> None:
        self._names = first_names()
        self._ordinary = ordinary_words()

    def _is_name(self, doc: Tokens, i: int) -> bool:
        text = doc.text[i]
        return doc.title[i] and text in self._names and text.lower() not in self._ordinary

    def _names_at(self, doc: Tokens) -> list[int]:
        """The indices of the tokens that are first names (`_is_name`), in order."""
        names, ordinary = self._names, self._ordinary
        return [
            i
            for i, (title, text) in enumerate(zip(doc.title, doc.text, strict=True))
            if title and text in names and text.lower() not in ordinary
        ]

    def matches(self, doc: Tokens) -> list[VoiceMatch]:
        """One match per list of at least two distinct names joined by ",", "&", "en", "and"."""
        found: list[VoiceMatch] = []
        names_at = self._names_at(doc)
        i = 0
        for first in names_at:  # a list starts at a name not inside the list before it
            if first < i:
                continue
            i = first
            end, names = _past_age(doc, i + 1), {doc.text[i]}
            while end + 1 < doc.n and doc.norm[end] in JOINERS and not doc.is_space(end):
                at = end + 2 if doc.norm[end + 1] in WEEKDAYS and end + 2 < doc.n else end + 1
                if not self._is_name(doc, at):
                    break
                names.add(doc.text[at])
                end = _past_age(doc, at + 1)
            if len(names) >= 2:
                found.append(VoiceMatch("multiple_workers", i, end, negatable=True))
            i = end
        return found + self._rota(doc, names_at)

    def _rota(self, doc: Tokens, names_at: list[int]) -> list[VoiceMatch]:
        """Names after a weekday heading ("Ma: Lisa", "di Mia"), two or more distinct ones."""
        named = [
            i
            for i in names_at
            if i >= 1
            and (
                _is_weekday(doc.norm[i - 1])
                or (i > 1 and doc.text[i - 1] in {":", "-", "–"} and _is_weekday(doc.norm[i - 2]))
            )
        ]
        if len({doc.text[i] for i in named}) < 2:
            return []
        return [VoiceMatch("multiple_workers", named[0], named[-1] + 1, negatable=True)]


def _past_age(doc: Tokens, i: int) -> int:
    """The token after an age that follows a name ("Nikki (20), Sandy 24 & Roos")."""
    if (
        i + 2 < doc.n
        and doc.text[i] == "("
        and doc.text[i + 1].isdigit()
        and doc.text[i + 2] == ")"
    ):
        return i + 3
    if i < doc.n and doc.text[i].isdigit() and len(doc.text[i]) == 2:
        return i + 1
    return i


def _is_weekday(norm: str) -> bool:
    """A weekday or a range of them ("ma", "ma-wo", "do/vr")."""
    return norm in WEEKDAYS or all(part in WEEKDAYS for part in norm.replace("/", "-").split("-"))
