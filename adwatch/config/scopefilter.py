"""The scope check's pre-filter: which words a place name needs.

Kept apart from `scope` so that module stays small; `LocationMatcher` is its only user.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from spacy.language import Language


def pattern_needles(
    nlp: Language, keys: Iterable[str], cased_keys: Container[str]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """One token of each pattern (`LocationMatcher`'s keys, "kind|name"), its longest that is no
    stop word ("Het Goy": "goy"): every match holds it as a whole token. Lower-cased for the
    uncased patterns, as written for the cased ones (`cased_keys`). None when some pattern cannot
    serve (no tokens, or a sigma, the one letter whose lower case depends on its neighbours)."""
    uncased, cased = set(), set()
    stop_words = nlp.Defaults.stop_words
    for key in keys:
        tokens = list(nlp.make_doc(key.split("|", 1)[1]))
        if not tokens or any(_CONTEXT_CASED & set(token.text) for token in tokens):
            return None
        rare = [t for t in tokens if t.lower_ not in stop_words] or tokens
        needle = max(rare, key=lambda t: len(t.text))
        if key in cased_keys:
            cased.add(needle.text)
        else:
            uncased.add(needle.lower_)
    return tuple(sorted(uncased)), tuple(sorted(cased))


LETTERS = re.compile(r"[^\W\d_]+")
_CONTEXT_CASED = frozenset("\u03a3\u03c3\u03c2")
