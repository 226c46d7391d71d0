"""The scope check's pre-filter: which words a place name needs, a search for them, and the
windows of whole chunks around what it finds.

Kept apart from `scope` so that module stays small; `LocationMatcher` is its only user.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache
from itertools import islice

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


def needle_pattern(needles: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex finding any of the needles as a whole word: a trie of alternatives, so
    thousands of names (the national gazetteer) cost one pass over the text. A needle starting
    or ending with a letter needs no letter beside it there: the tokenizer splits a run of
    letters only at a space or a punctuation mark. None when there are no needles."""
    if not needles:
        return None
    trie: dict = {}
    for needle in needles:
        node = trie
        for char in needle:
            node = node.setdefault(char, {})
        node[""] = {}
    lettered = {char: child for char, child in trie.items() if _LETTER.match(char)}
    other = {char: child for char, child in trie.items() if char not in lettered}
    branches = [
        prefix + _trie_regex(node, "")
        for prefix, node in ((_NO_LETTER_BEFORE, lettered), ("", other))
        if node
    ]
    return re.compile("|".join(branches))


_LETTER = re.compile(r"[^\W\d_]")
_NO_LETTER_BEFORE = r"(?<![^\W\d_])"
_NO_LETTER_AFTER = r"(?![^\W\d_])"


def _trie_regex(node: dict, last: str) -> str:
    ends = _NO_LETTER_AFTER if last and _LETTER.match(last) else ""
    branches = [
        re.escape(char) + _trie_regex(child, char) for char, child in sorted(node.items()) if char
    ]
    if "" in node:
        branches.append(ends)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


CHUNK = re.compile(r"\S+")
MAX_WINDOWS = 4


def windows_around(
    text: str, lowered: str, needles: tuple | None, context: int
) -> list[tuple[int, int]] | None:
    """Merged character windows of whole chunks around every needle; None: use the whole text.

    A needle has no whitespace, so one starting inside another's match lies in the same chunk
    and has the same window: the non-overlapping matches of a search give every window."""
    if len(lowered) != len(text) or needles is None:
        return None  # lower-casing changed offsets (rare non-ASCII letters)
    candidates = (
        match
        for pattern, searched in zip(needles, (lowered, text), strict=True)
        if pattern is not None
        for match in pattern.finditer(searched)
    )
    found = list(islice(candidates, MAX_WINDOWS + 1))
    if len(found) > MAX_WINDOWS:
        return None  # finding the chunks around many candidates costs more than tokenizing
    windows = [
        (_chunks_back(text, m.start(), context), _chunks_ahead(text, m.end(), context))
        for m in found
    ]
    return _merged(sorted(windows))


def _chunks_back(text: str, at: int, count: int) -> int:
    """The start of the chunk holding `at`, or of the chunk `count` chunks before it (or of the
    first chunk): what listing every chunk of the text and stepping back would give."""
    start = at
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    for _ in range(count):
        gap = start
        while gap > 0 and text[gap - 1].isspace():
            gap -= 1
        if gap == 0:
            break
        start = gap
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    return start


def _chunks_ahead(text: str, end: int, count: int) -> int:
    """The end of the chunk holding `end - 1`, or of the chunk `count` chunks after it (or of
    the last chunk)."""
    return _ahead_pattern(count).match(text, end).end()


@lru_cache(maxsize=8)
def _ahead_pattern(count: int) -> re.Pattern[str]:
    """The rest of a chunk and up to `count` whole chunks after it."""
    return re.compile(rf"\S*(?:\s+\S+){{0,{count}}}")


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in windows:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
