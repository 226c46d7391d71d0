"""Spelling normalisation before matching: each token's NORM, its offsets untouched.

The indicators match on spaCy's NORM attribute instead of the lower-cased text. A token's norm is
its lower-cased text with look-alike characters folded ("z0nder", Cyrillic "а"), letters repeated
three or more times shortened ("heeeel", "altijdddd"), hyphens inside a word dropped when the
joined word is known ("hotel-kamer"), chat abbreviations expanded ("ff", "mn", "nw"), and, for
longer words only, a misspelling one edit away from a word the rules use ("beschikbar"). Known
words are the words of the rules' phrases and patterns, so normalisation only ever moves a token
towards something a rule can match. Offsets stay those of the text: evidence quotes the ad as
written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne
from spacy.attrs import IDX, LOWER, NORM, ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

from scoring.splitwords import join_split_words, joined_form
from scoring.tokens import Tokens

# One-to-one look-alikes (same length, so offsets never move): digits inside words, Cyrillic and
# Greek letters that look Latin, full-width letters.
_LOOKALIKE_LETTERS = str.maketrans(
    {
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "ο": "o", "α": "a", "ε": "e",
        "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
        **{chr(0xFF41 + i): chr(ord("a") + i) for i in range(26)},
    }
)  # fmt: skip
_MIXED = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
_REPEATED = re.compile(r"([^\W\d_])\1{2,}")
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")
_FUZZY_MIN_LENGTH = 7
_FUZZY_CACHE_LIMIT = 200_000


class Normaliser:
    """Sets each token's NORM; built once per set of rules from their vocabulary."""

    def __init__(self, vocabulary: Iterable[str], abbreviations: Mapping[str, str]) -> None:
        self.vocabulary = frozenset(w for w in vocabulary if w)
        self.abbreviations = {k.lower(): v.lower() for k, v in abbreviations.items()}
        # A rule may name an abbreviation itself ("nw" in a pattern): it is still expanded.
        self._kept = self.vocabulary.difference(self.abbreviations)
        # Known longer words by their first and last two letters: a typo keeps both (`_nearest`).
        self._fuzzy_targets: dict[tuple[str, str], list[str]] = {}
        for w in sorted(self.vocabulary):
            if len(w) >= _FUZZY_MIN_LENGTH and w.isalpha():
                self._fuzzy_targets.setdefault((w[:2], w[-2:]), []).append(w)
        self._cache: dict[str, str] = {}
        self._lexical: dict[int, tuple] = {}  # ORTH key -> what `_lexeme` reads
        self._changed: set[int] = set()  # ORTH keys whose normal form is not their lower case

    def norm(self, lower: str) -> str:
        """The normal form of one lower-cased token."""
        found = self._cache.get(lower)
        if found is None:
            found = self._norm(lower)
            if len(self._cache) > _FUZZY_CACHE_LIMIT:
                self._cache.clear()
            self._cache[lower] = found
        return found

    def _norm(self, lower: str) -> str:
        if lower in self._kept:
            return lower
        if not lower.isalnum():
            joined = joined_form(lower, self._spells_known)  # "n.i.e.t", "n i e u w", "$chool"
            if joined is not None:
                return self.abbreviations.get(joined, joined)
        word = lower
        if _MIXED.search(word) and not word[:1].isdigit():
            folded = word.translate(_LOOKALIKE_LETTERS)
            word = folded if folded.isalpha() else word
        elif _NON_ASCII_LETTER.search(word):
            word = word.translate(_LOOKALIKE_LETTERS)
        word = self._shortened(word)
        if "-" in word and word.replace("-", "") in self.vocabulary:
            word = word.replace("-", "")
        word = self.abbreviations.get(word, word)
        if word in self.vocabulary or len(word) < _FUZZY_MIN_LENGTH or not word.isalpha():
            return word
        return self._nearest(word)

    def _spells_known(self, word: str) -> bool:
        """Whether a word spelled out in pieces is one the rules use (letters only, or 24/7:
        never a number, so a spaced phone, a price or a time stays what it is)."""
        return (word.isalpha() or word == "24/7") and word in self.vocabulary

    def _shortened(self, word: str) -> str:
        if not _REPEATED.search(word):
            return word
        once = _REPEATED.sub(r"\1", word)
        if once in self.vocabulary or once in self.abbreviations:
            return once
        return _REPEATED.sub(r"\1\1", word)

    def _nearest(self, word: str) -> str:
        """A known word one edit away with the same first and last two letters: a typo inside
        the word ("beschikbar"), never another word form ("teenage" is not "teenager")."""
        targets = self._fuzzy_targets.get((word[:2], word[-2:]))
        if not targets:
            return word
        best = extractOne(word, targets, scorer=Levenshtein.distance, score_cutoff=1)
        return best[0] if best is not None else word

    def apply(self, doc: Doc) -> Doc:
        """Set NORM on every token whose normal form differs from its lower-cased text."""
        self.tokens(doc)
        return doc

    def tokens(self, doc: Doc, text: str | None = None) -> Tokens:
        """Set NORM as `apply` does and return the doc's tokens as plain lists.

        `text`: the doc's text when the caller has it (`doc.text` rebuilds it token by token).
        A token's text, lower case, flags and normal form depend on its ORTH alone, so they are
        read once per distinct word (`_lexical`); only NORM and IDX are read per token."""
        join_split_words(doc, self._spells_known, text)
        source = doc.text if text is None else text
        if not len(doc):
            return Tokens([], [], [], [], [], [], [], source, norm_keys=[])
        columns = doc.to_array([ORTH, LOWER, NORM, IDX])
        orth = columns[:, 0].tolist()
        lexical = self._lexical
        if len(lexical) > _FUZZY_CACHE_LIMIT:
            lexical.clear()
            self._changed.clear()
        for key in set(orth).difference(lexical):
            lexical[key] = self._lexeme(doc.vocab, key)
        rows = map(lexical.__getitem__, orth)
        words, lower, norm, alpha, title, num, keys = map(list, zip(*rows, strict=True))
        # The tokenizer's exceptions set NORM on some tokens ("'t"), and a doc seen before has
        # ours: there NORM differs from LOWER.
        for i in numpy.flatnonzero(columns[:, 1] != columns[:, 2]).tolist():
            if norm[i] == lower[i]:
                keys[i] = int(columns[i, 2])
                norm[i] = doc.vocab.strings[keys[i]]
        if not self._changed.isdisjoint(orth):
            changed = self._changed
            for i, key in enumerate(orth):
                if key in changed:
                    doc[i].norm_ = norm[i]
        return Tokens(
            words, norm, lower, columns[:, 3].tolist(), alpha, title, num, source, norm_keys=keys
        )

    def _lexeme(self, vocab: Vocab, key: int) -> tuple:
        """(text, lower, normal form, is_alpha, is_title, like_num, NORM key) of one ORTH."""
        lexeme = vocab[key]
        lower = lexeme.lower_
        normal = self.norm(lower)
        if normal != lower:
            self._changed.add(key)
        return (
            lexeme.orth_,
            lower,
            normal,
            int(lexeme.is_alpha),  # ints, as Doc.to_array gave them
            int(lexeme.is_title),
            int(lexeme.like_num),
            vocab.strings.add(normal),
        )
