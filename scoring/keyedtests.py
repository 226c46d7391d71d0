"""Keyed patterns without operators read from an ad's token lists instead of spaCy's Matcher.

A Matcher run on a span costs several microseconds (a `Span`, then a `Doc.__getitem__` per
token); where a pattern has no operators and only tests these lists hold (NORM words, lists,
excluded lists and REGEX, ORTH words, IS_ALPHA, IS_TITLE, LIKE_NUM), the same answer is a few
comparisons. `tests/scoring/test_prefilters.py` compares both with the whole-doc Matcher.
"""

from __future__ import annotations

import re
from typing import Any

from scoring.tokens import Tokens

# A spaCy pipeline object; only its vocabulary's strings are used.
Tokenizing = Any

_FLAGS = {"IS_ALPHA": "alpha", "IS_TITLE": "title", "LIKE_NUM": "num"}


def plain_tests(nlp: Tokenizing, pattern: list[dict]) -> tuple | None:
    """The tests of the tokens after the first as (offset, ((kind, value), ...)), when the
    pattern has no operators and every test is a NORM word, list, excluded list or REGEX, an ORTH
    word or list, or an IS_ALPHA, IS_TITLE or LIKE_NUM flag; else None."""
    tests = []
    for offset, token in enumerate(pattern):
        if "OP" in token:
            return None
        checks = []
        for attr, value in token.items():
            check = _plain_check(nlp, attr, value)
            if check is None:
                return None
            checks.append(check)
        if offset:
            tests.append((offset, tuple(checks)))
    return tuple(tests)


def _plain_check(nlp: Tokenizing, attr: str, value: Any) -> tuple[str, Any] | None:
    if attr in _FLAGS:
        return (_FLAGS[attr], value) if isinstance(value, bool) else None
    words = value.get("IN") if isinstance(value, dict) and len(value) == 1 else None
    if attr == "ORTH":
        if isinstance(value, str):
            return "orth", frozenset({value})
        if isinstance(words, list) and all(isinstance(w, str) for w in words):
            return "orth", frozenset(words)
        return None
    if attr != "NORM":
        return None
    if isinstance(value, str):
        return "in", frozenset({nlp.vocab.strings.add(value)})
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((kind, listed),) = value.items()
    if (
        kind in ("IN", "NOT_IN")
        and isinstance(listed, list)
        and all(isinstance(w, str) for w in listed)
    ):
        return kind.lower(), frozenset(nlp.vocab.strings.add(w) for w in listed)
    if kind == "REGEX" and isinstance(listed, str):
        return "regex", re.compile(listed)
    return None


def plain_match(tests: tuple, length: int, position: int, toks: Tokens, strings: Any) -> bool:
    """Whether the pattern of `tests` (`plain_tests`) matches at `position`, its first word
    standing there."""
    norms = toks.norm_keys
    if position + length > len(norms):
        return False
    for offset, checks in tests:
        at = position + offset
        for kind, value in checks:
            if kind == "in":
                if norms[at] not in value:
                    return False
            elif kind == "not_in":
                if norms[at] in value:
                    return False
            elif kind == "regex":
                if not value.search(strings[norms[at]]):
                    return False
            elif kind == "orth":
                if toks.text[at] not in value:
                    return False
            elif bool(getattr(toks, kind)[at]) != value:  # alpha, title, num
                return False
    return True
