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

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne
from spacy.attrs import IDX, IS_ALPHA, IS_TITLE, LIKE_NUM, LOWER, NORM, ORTH
from spacy.tokens import Doc

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
        self._fuzzy_targets = sorted(
            w for w in self.vocabulary if len(w) >= _FUZZY_MIN_LENGTH and w.isalpha()
        )
        self._cache: dict[str, str] = {}
        self._strings: dict[int, str] = {}

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
        if lower in self.vocabulary:
            return lower
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
        targets = [t for t in self._fuzzy_targets if t[:2] == word[:2] and t[-2:] == word[-2:]]
        best = extractOne(word, targets, scorer=Levenshtein.distance, score_cutoff=1)
        return best[0] if best is not None else word

    def apply(self, doc: Doc) -> Doc:
        """Set NORM on every token whose normal form differs from its lower-cased text."""
        self.tokens(doc)
        return doc

    def tokens(self, doc: Doc, text: str | None = None) -> Tokens:
        """Set NORM as `apply` does and return the doc's tokens as plain lists.

        `text`: the doc's text when the caller has it (`doc.text` rebuilds it token by token)."""
        source = doc.text if text is None else text
        if not len(doc):
            return Tokens([], [], [], [], [], [], [], source)
        columns = doc.to_array([ORTH, LOWER, NORM, IDX, IS_ALPHA, IS_TITLE, LIKE_NUM]).T.tolist()
        orth, lower_keys, norm_keys, idx, alpha, title, num = columns
        strings = doc.vocab.strings
        if len(self._strings) > _FUZZY_CACHE_LIMIT:
            self._strings.clear()
        known = self._strings
        for key in {*orth, *lower_keys}.difference(known):
            known[key] = strings[key]
        text = [known[key] for key in orth]
        lower = [known[key] for key in lower_keys]
        norms = self._cache
        norm = []
        for i, low in enumerate(lower):
            normal = norms.get(low) or self.norm(low)
            if normal != low:
                doc[i].norm_ = normal
            elif norm_keys[i] != lower_keys[i]:
                normal = strings[norm_keys[i]]  # a norm the tokenizer's exceptions set
            norm.append(normal)
        return Tokens(text, norm, lower, idx, alpha, title, num, source)
