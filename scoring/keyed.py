"""Compiling the rules for spaCy: keyed Matcher patterns, NORM tests, the rules' vocabulary.

A Matcher pattern whose first token is a plain word test runs only where that word stands, on a
window as long as the pattern, after its other fixed tokens were checked in Python
(`KeyedPattern`); config patterns test LOWER, which is turned into NORM so they see normalised
spelling (`on_norm`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc

from scoring.keyedtests import plain_match, plain_tests
from scoring.negation import NegationWords
from scoring.rules import Rules
from scoring.tokens import Tokens

# A spaCy pipeline object (`spacy.blank("nl")` or the place finder's); only its tokenizer is used.
Tokenizing = Any

# "?" adds no length beyond the pattern's; these make a pattern's length unbounded.
_UNBOUNDED_OPS = frozenset({"*", "+", "{"})


@dataclass
class KeyedPattern:
    """A Matcher pattern whose first token is a plain NORM test (a word, an IN list or a REGEX).

    The Matcher costs about the same per token whatever the pattern, so such a pattern runs only on
    the few tokens where its first word stands, each time on a window as long as the pattern.
    Spans give the same matches as the whole doc: token patterns look at one token at a time.
    """

    matcher: Matcher
    keys: set[int]
    regex: re.Pattern[str] | None
    length: int | None
    last: frozenset[int] = frozenset()  # NORM hashes one of which the window must hold
    # Tests of the tokens after the first, up to the first optional one: (offset, NORM hashes
    # or None, must be title case, ORTH texts or None) checked in Python before the Matcher runs
    # on a window.
    prefix: tuple[tuple[int, frozenset[int] | None, bool, frozenset[str] | None], ...] = ()
    seen: set[int] = field(default_factory=set)
    hits: set[int] = field(default_factory=set)

    back: int = 0  # 1: the first token is optional, the word test is the second token's
    # A pattern without operators whose every test after the first word `_plain_tests` can read:
    # per later token its tests, checked in Python instead of the Matcher (None: the Matcher).
    tests: tuple[tuple[int, tuple[tuple[str, Any], ...]], ...] | None = None
    match_id: int = 0

    @classmethod
    def build(cls, nlp: Tokenizing, code: str, pattern: list[dict]) -> KeyedPattern | None:
        first = pattern[0] if pattern else {}
        if first.get("OP") == "?" and len(pattern) > 1 and set(pattern[1]) == {"NORM"}:
            return cls._build_back(nlp, code, pattern)
        if set(first) != {"NORM"}:
            return None
        value = first["NORM"]
        regex = None
        if isinstance(value, str):
            words = [value]
        elif (
            isinstance(value, dict)
            and set(value) == {"IN"}
            and all(isinstance(v, str) for v in value["IN"])
        ):
            words = list(value["IN"])
        elif (
            isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str)
        ):
            words, regex = [], re.compile(value["REGEX"])
        else:
            return None
        matcher = Matcher(nlp.vocab)
        matcher.add(code, [pattern])
        variable = any(
            str(token.get("OP", "")).startswith(tuple(_UNBOUNDED_OPS)) for token in pattern
        )
        keys = {nlp.vocab.strings.add(w) for w in words}
        last = _word_keys(nlp, pattern[-1]) if len(pattern) > 1 and not variable else frozenset()
        length = None if variable else len(pattern)
        keyed = cls(matcher, keys, regex, length, last, _prefix_checks(nlp, pattern))
        keyed.tests = plain_tests(nlp, pattern)
        keyed.match_id = nlp.vocab.strings.add(code)
        return keyed

    @classmethod
    def _build_back(cls, nlp: Tokenizing, code: str, pattern: list[dict]) -> KeyedPattern | None:
        """A pattern opening with an optional token ("'officieel' 18"): keyed on its second
        token, each window starting one token before it; the Matcher alone decides the rest."""
        keyed = cls.build(nlp, code, pattern[1:])
        if keyed is None:
            return None
        matcher = Matcher(nlp.vocab)
        matcher.add(code, [pattern])
        length = None if keyed.length is None else len(pattern)
        return cls(matcher, keyed.keys, keyed.regex, length, back=1)

    def fits(self, norms: list[int], titles: list[int], position: int, texts: list[str]) -> bool:
        """Whether the tokens after `position` pass the prefix tests (the Matcher decides)."""
        for offset, keys, title, orths in self.prefix:
            at = position + offset
            if at >= len(norms):
                return False
            if keys is not None and norms[at] not in keys:
                return False
            if title and not titles[at]:
                return False
            if orths is not None and texts[at] not in orths:
                return False
        return True

    def wanted(self, present: set[int], strings: Any) -> set[int]:
        """The NORM hashes in `present` the first token accepts (REGEX as spaCy: re.search)."""
        if self.regex is None:
            return self.keys & present
        unseen = present - self.seen
        if unseen:
            if len(self.seen) > 500_000:
                self.seen, self.hits = set(), set()
                unseen = present
            self.seen |= unseen
            self.hits |= {key for key in unseen if self.regex.search(strings[key])}
        return self.hits & present


class KeyedIndex:
    """The keyed patterns by their first word, so a text only visits patterns whose first word it
    holds; the order of the patterns is kept.

    REGEX-led patterns are entered per word the first time a text holds that word (the regex is
    searched once per distinct word, as spaCy would per token), so one pass over an ad's words
    finds every pattern's start positions.
    """

    def __init__(self, patterns: list[KeyedPattern]) -> None:
        self.patterns = patterns
        self.by_key: dict[int, list[int]] = {}
        self.regexed = [i for i, p in enumerate(patterns) if p.regex is not None]
        for i, pattern in enumerate(patterns):
            for key in pattern.keys if pattern.regex is None else ():
                self.by_key.setdefault(key, []).append(i)
        # NORM hash -> the patterns it may start, with their first word test (`_enter`)
        self._table: dict[int, tuple[tuple[int, int, frozenset[int] | None], ...]] = {}

    def candidates(self, present: set[int]) -> list[KeyedPattern]:
        """The patterns whose first word may stand among `present`, in their order."""
        chosen = set(self.regexed)
        for key in present.intersection(self.by_key):
            chosen.update(self.by_key[key])
        return [self.patterns[i] for i in sorted(chosen)]

    def starts(self, norms: list[int], strings: Any) -> dict[int, list[int]]:
        """Per pattern (by index) the positions of `norms` where its first word stands and the
        word after it passes the pattern's first word test, in text order."""
        table, at, n = self._table, {}, len(norms)
        for position, key in enumerate(norms):
            entries = table.get(key)
            if entries is None:
                entries = self._enter(key, strings)
            for i, offset, keys in entries:
                if keys is not None and (
                    position + offset >= n or norms[position + offset] not in keys
                ):
                    continue  # `fits` would say no
                if i in at:
                    at[i].append(position)
                else:
                    at[i] = [position]
        return at

    def _enter(self, key: int, strings: Any) -> tuple[tuple[int, int, frozenset[int] | None], ...]:
        """The patterns `key` may start, each with its first NORM test after the first word."""
        if len(self._table) > 500_000:
            self._table = {}
        text = strings[key]
        found = {*self.by_key.get(key, ()), *(
            i for i in self.regexed if self.patterns[i].regex.search(text))}  # fmt: skip
        entries = self._table[key] = tuple(
            (i, *_first_word_test(self.patterns[i])) for i in sorted(found)
        )
        return entries


def _first_word_test(pattern: KeyedPattern) -> tuple[int, frozenset[int] | None]:
    """The offset and NORM hashes of the first prefix test that names words (None: none)."""
    for offset, keys, _title, _orths in pattern.prefix:
        if keys is not None:
            return offset, keys
    return 0, None


def keyed_matches(
    keyed: list[KeyedPattern] | KeyedIndex,
    doc: Doc,
    norms: list[int],
    titles: list[int],
    texts: list[str],
    strings: Any,
    matches: list[tuple[int, int, int]],
    toks: Tokens | None = None,
) -> list[tuple[int, int, int]]:
    """`matches` plus those of the keyed patterns on `doc`, each run only where its first word
    stands; `norms`, `titles`, `texts`: per token the NORM hash (`Tokens.norm_keys`), IS_TITLE
    and text; with `toks` (whose lists they are), patterns without operators are read from the
    lists instead of the Matcher."""
    if not isinstance(keyed, KeyedIndex):
        keyed = KeyedIndex(keyed)
    present = set(norms)
    starts = keyed.starts(norms, strings)
    for i in sorted(starts):
        pattern = keyed.patterns[i]
        if pattern.last and pattern.last.isdisjoint(present):
            continue  # its last word stands nowhere in the text
        positions = starts[i]
        if pattern.back:
            _back_matches(pattern, doc, norms, positions, matches)
            continue
        for position in positions:
            stop = len(norms) if pattern.length is None else position + pattern.length
            if pattern.last and pattern.last.isdisjoint(norms[position + 1 : stop]):
                continue
            if not pattern.fits(norms, titles, position, texts):
                continue
            if pattern.tests is not None and toks is not None:
                if plain_match(pattern.tests, pattern.length, position, toks, strings):
                    matches.append((pattern.match_id, position, stop))
                continue
            for match_id, start, end in pattern.matcher(doc[position:stop]):
                if start == 0:
                    matches.append((match_id, position, position + end))
    return list(dict.fromkeys(matches))  # two patterns of one code may find one span


def _back_matches(pattern: KeyedPattern, doc: Doc, norms: list[int], positions: list[int],
                  matches: list[tuple[int, int, int]]) -> None:  # fmt: skip
    """Matches holding their keyed word at `position`, with or without the optional token
    before it (the only starts such a match can have)."""
    for position in positions:
        first = max(0, position - pattern.back)
        stop = len(norms) if pattern.length is None else first + pattern.length
        for match_id, start, end in pattern.matcher(doc[first:stop]):
            if position - pattern.back <= first + start <= position:
                matches.append((match_id, first + start, first + end))


def _prefix_checks(nlp: Tokenizing, pattern: list[dict]) -> tuple:
    checks = []
    for offset, token in enumerate(pattern[1:], start=1):
        if token.get("OP"):
            break
        keys = _word_keys(nlp, token) or None
        title = token.get("IS_TITLE") is True
        orths = _orth_texts(token)
        if keys is None and not title and orths is None:
            continue
        checks.append((offset, keys, title, orths))
    return tuple(checks)


def _orth_texts(token: dict) -> frozenset[str] | None:
    """The texts a token test of ORTH alone accepts ({"ORTH": ":"}, {"ORTH": {"IN": [...]}})."""
    value = token.get("ORTH")
    if set(token) != {"ORTH"}:
        return None
    if isinstance(value, str):
        return frozenset({value})
    if (
        isinstance(value, dict)
        and set(value) == {"IN"}
        and all(isinstance(v, str) for v in value["IN"])
    ):
        return frozenset(value["IN"])
    return None


def _word_keys(nlp: Tokenizing, token: dict) -> frozenset[int]:
    """The NORM hashes a required token test accepts, when it is a plain word list."""
    value = token.get("NORM")
    if token.get("OP") or set(token) != {"NORM"}:
        return frozenset()
    if isinstance(value, str):
        return frozenset({nlp.vocab.strings.add(value)})
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(nlp.vocab.strings.add(str(w)) for w in value["IN"])
    return frozenset()


def on_norm(pattern: list[dict]) -> list[dict]:
    """A config pattern with its LOWER tests made NORM tests: they see normalised spelling."""
    return [{("NORM" if k == "LOWER" else k): v for k, v in token.items()} for token in pattern]


def vocabulary(rules: Rules) -> set[str]:
    """Every lower-case word the rules' phrases, patterns and negation words use."""
    words: set[str] = set()
    for rule in rules.indicators.values():
        for phrase in rule.phrases:
            words.update(phrase.lower().split())
        for pattern in rule.patterns:
            for token in pattern:
                value = token.get("LOWER")
                if isinstance(value, str):
                    words.add(value.lower())
                elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                    words.update(str(v).lower() for v in value["IN"])
    for field_name in type(rules.negation).model_fields:
        words.update(w.lower() for w in getattr(rules.negation, field_name))
    return words


def negation_words(rules: Rules) -> NegationWords:
    n = rules.negation
    return NegationWords(
        before=frozenset(n.before),
        after=frozenset(n.after),
        answers=frozenset(n.answers),
        close_only=frozenset(n.close_before),
        contrast=frozenset(n.contrast),
        breaks=frozenset(n.breaks),
        harmless=frozenset(n.harmless),
    )
