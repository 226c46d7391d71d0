"""Location scope: does an ad mention one of the municipality's places?

Runs in the crawler before anything is stored (out-of-scope ads leave no content behind) and in
scoring for the `places` field and `multi_city`. Uses spaCy's Dutch tokenizer with a PhraseMatcher
(no Dutch model can be installed everywhere; `nl_core_news_sm` is used when present). "houten" the
adjective (wooden) is told apart from Houten the place by the words around it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import spacy
from spacy.lang.nl import Dutch
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from adwatch.config.gazetteer import dutch_places, first_names, ordinary_words
from adwatch.config.municipalities import Municipality, load_municipalities
from adwatch.config.placelists import LISTED, list_tokens, named_pieces
from adwatch.config.schemas import LocationsConfig, load_locations
from adwatch.config.scopefilter import LETTERS, pattern_needles
from adwatch.errors import ConfigError

if TYPE_CHECKING:
    from adwatch.config.sources import Region

# "3991 AB", "3991AB" or "3991ab", not after a digit or dash. Written to start with \d (the
# look-behind comes after the first digit) so the regex engine skips ahead to digits quickly.
POSTCODE = re.compile(r"(\d(?<![\d-]\d)\d{3})(?: ?([A-Z]{2})(?![A-Za-z])|([a-z]{2})\b)")
# "postcode 3994", "pc: 3991": four digits the word "postcode" names as one.
POSTCODE_WORD = re.compile(
    r"\b(?:postcode|postcodegebied|pc|zip)\s*[:.]?\s*(\d{4})\b(?![\d-])", re.I
)
_FOUR_DIGITS = re.compile(r"\d{4}")
MAX_TEXT_CHARS = 100_000_000
IN_SCOPE_KINDS = ("place", "village", "neighbourhood", "demonym", "postcode")


@dataclass(frozen=True)
class PlaceMention:
    """One place named in a text, with its character offsets."""

    text: str
    canonical: str
    kind: str
    start: int
    end: int
    in_scope: bool


# The special cases "\n" and "\t" only restate the token the affix rules give anyway, but any
# special case found makes spaCy re-match the whole doc: 5x the time of a page with line breaks.
# Docs stay identical (every token attribute compared in tests/core/test_locations.py).
_SLOW_SPECIALS = ("\n", "\t")


class _Dutch(Dutch):
    """spaCy's Dutch without the line-break special cases, built with them left out (setting
    `tokenizer.rules` afterwards would load all 4,700 special cases a second time)."""

    class Defaults(Dutch.Defaults):
        tokenizer_exceptions: ClassVar[dict] = {
            k: v for k, v in Dutch.Defaults.tokenizer_exceptions.items() if k not in _SLOW_SPECIALS
        }


@lru_cache(maxsize=1)
def tokenizer_nlp() -> spacy.language.Language:
    """The Dutch tokenizer every text matcher shares, built once: spaCy's without the
    line-break and tab special cases, whose presence made spaCy re-match the whole doc."""
    try:
        nlp = spacy.load("nl_core_news_sm", exclude=["parser", "ner", "lemmatizer"])
        nlp.tokenizer.rules = {
            k: v for k, v in nlp.tokenizer.rules.items() if k not in _SLOW_SPECIALS
        }
    except OSError:
        nlp = _Dutch()
    # spaCy's 1,000,000-character limit guards its parser's memory; only tokenizing here,
    # the response size limit of the crawl is the bound that matters.
    nlp.max_length = MAX_TEXT_CHARS
    return nlp


_LONG_CHUNK = re.compile(r"\S{120,}")


def tokenizable(text: str) -> str:
    """The text with a space every 60 characters inside runs of 120+ non-space characters.

    spaCy's tokenizer takes quadratic time on such runs (thousands of emoji in a row); no word or
    place is that long. Offsets stay those of the text (one character for one)."""
    if len(text) < 120 or _LONG_CHUNK.search(text) is None:
        return text
    return _LONG_CHUNK.sub(lambda m: _spaced(m.group()), text)


def _spaced(chunk: str) -> str:
    return "".join(c if (i + 1) % 60 else " " for i, c in enumerate(chunk))


class LocationMatcher:
    """Finds the configured places in a text; reusable and cheap to call."""

    def __init__(self, config: LocationsConfig) -> None:
        self.config = config
        self.nlp = tokenizer_nlp()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # Names that are also ordinary words ("Best", "Echt") match only as written, capitalised.
        self.cased_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.canonical: dict[str, tuple[str, str]] = {}
        for kind, names in self._names_by_kind().items():
            for name in names:
                self._add(kind, name)
        names = first_names()
        for alias, town in config.aliases.items():
            cased = alias in names or _ordinary_word(alias)  # "Adam" is also a name
            self._add("other_town", alias, canonical=town, cased=cased)
        if config.gazetteer == "nl":
            self._add_gazetteer()
        self.ambiguous = {
            word.lower(): (
                {w.lower() for w in rule.not_before},
                {w.lower() for w in rule.not_after},
            )
            for word, rule in config.ambiguous.items()
        }

    @classmethod
    def from_config_dir(cls, config_dir: Path) -> LocationMatcher:
        """Build the matcher from `locations.yaml` in the folder."""
        return cls(load_locations(config_dir))

    def _names_by_kind(self) -> dict[str, list[str]]:
        c = self.config
        return {
            "place": c.places,
            "village": c.villages,
            "neighbourhood": c.neighbourhoods,
            "demonym": c.demonyms,
            "neighbour_town": c.neighbour_towns,
            "other_town": c.other_towns,
        }

    def _add(self, kind: str, name: str, canonical: str | None = None, cased: bool = False) -> None:
        key = f"{kind}|{name}"
        self.canonical[key] = (kind, canonical or self._canonical_name(kind, name))
        (self.cased_matcher if cased else self.matcher).add(key, [self.nlp.make_doc(name)])

    def _add_gazetteer(self) -> None:
        """Every Dutch municipality and residence not configured already, as other towns."""
        known = {key.split("|", 1)[1].lower() for key in self.canonical}
        for name, kind in dutch_places().items():
            if name.lower() in known:
                continue
            known.add(name.lower())
            if _ordinary_word(name) or name in COUNTRY_NAMES or len(name) < 3:
                continue  # a town named like a word ("Best") is more often the word
            self._add("other_town" if kind == "municipality" else "residence", name, cased=True)

    def _canonical_name(self, kind: str, name: str) -> str:
        if kind == "demonym":
            return self.config.places[0]
        return name

    def find_places(self, text: str, doc: Doc | None = None) -> list[PlaceMention]:
        """Every place mention in the text, in order, longest match first where they overlap.

        `doc` may be `self.nlp.make_doc(text)` made already for other matchers on the same text
        (scoring shares one per ad); it must come from this matcher's `nlp` and this `text`.
        """
        mentions: list[PlaceMention] = []
        if doc is not None and doc.vocab is self.nlp.vocab:
            mentions = list(self._phrase_mentions(doc, 0, text))
        elif self._may_name_a_place(text):
            whole = tokenizable(text)
            mentions = list(self._phrase_mentions(self.nlp.make_doc(whole), 0, whole))
        mentions.extend(self._postcodes(text))
        return _drop_overlaps(sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))))

    def _may_name_a_place(self, text: str) -> bool:
        """False only when no configured name can match: the PhraseMatcher compares tokens'
        lower-case text, and tokens are pieces of the text, so a match needs each token of its
        pattern, lower-cased, somewhere in `text.lower()`. Skips the tokenizer for texts without
        any; the result of `find_places` is the same (postcodes are looked for regardless)."""
        if self._needle_words is None:  # a name the prefilter cannot vouch for: always tokenize
            return True
        return not self._needle_words.isdisjoint(LETTERS.findall(text.lower()))

    @cached_property
    def _needle_words(self) -> frozenset[str] | None:
        """Per needle its longest run of letters: the tokenizer splits a run of letters only at
        a space or a punctuation mark, so a needle's run stands whole in the text. Two set
        look-up over the text's lower-cased words is cheaper than a search for thousands of names
        (cased needles lower-cased too: a superset of the candidates, never fewer)."""
        needles = pattern_needles(self.nlp, self.canonical, self.cased_matcher)
        if needles is None:
            return None
        names = (*needles[0], *needles[1])
        runs = [max(LETTERS.findall(n.lower()) or [""], key=len) for n in names]
        return None if "" in runs else frozenset(runs)

    def in_scope(self, text: str) -> bool:
        """True when the text names at least one in-scope place."""
        return any(mention.in_scope for mention in self.find_places(text))

    def _phrase_mentions(self, doc, offset: int = 0, text: str | None = None):
        """The mentions in `doc`, a piece of the text (`text`, if at hand) starting at `offset`."""
        matches = self._matches(doc)
        strings = self.nlp.vocab.strings
        for match_id, start, end in matches:
            if end - start == 1:
                token = doc[start]
                if token.lower_ in self.ambiguous and self._is_ordinary_word(doc, start, end):
                    continue
                yield self._mention(strings[match_id], token.text, token.idx + offset)
            else:
                span = doc[start:end]
                yield self._mention(strings[match_id], span.text, span.start_char + offset)
        if not LISTED.search(doc.text if text is None else text):
            return
        covered = {i for _, start, end in matches for i in range(start, end)}
        for index in list_tokens(doc, text, covered):
            yield from self._listed_mentions(doc, index, offset)

    def _matches(self, doc) -> list[tuple[int, int, int]]:
        if len(self.cased_matcher):
            return [*self.matcher(doc), *self.cased_matcher(doc)]
        return self.matcher(doc)

    def _mention(self, key: str, text: str, start: int) -> PlaceMention:
        kind, canonical = self.canonical[key]
        in_scope = kind in IN_SCOPE_KINDS
        return PlaceMention(text, canonical, kind, start, start + len(text), in_scope)

    def _listed_mentions(self, doc, index: int, offset: int):
        """The towns of a list written as one word ("Houten/Zeist/Amersfoort"); see placelists."""
        token = doc[index]
        pieces = named_pieces(token.text, self._names_whole)
        if pieces is None:
            return
        before = doc[index - 1].lower_ if index > 0 else ""
        after = doc[index + 1].lower_ if index + 1 < len(doc) else ""
        for number, (piece, at, key) in enumerate(pieces):
            rule = self.ambiguous.get(piece.lower())
            last, first = number == len(pieces) - 1, number == 0
            if rule is not None and ((last and after in rule[0]) or (first and before in rule[1])):
                continue  # "eiken/houten bed"
            yield self._mention(key, piece, token.idx + offset + at)

    def _names_whole(self, piece: str) -> str | None:
        """The key of the name that `piece` is, whole, or None."""
        doc = self.nlp.make_doc(piece)
        whole = (m for m in self._matches(doc) if m[1] == 0 and m[2] == len(doc))
        match = next(whole, None)
        return None if match is None else self.nlp.vocab.strings[match[0]]

    def _is_ordinary_word(self, doc, start: int, end: int) -> bool:
        if end - start != 1:
            return False
        rule = self.ambiguous.get(doc[start].lower_)
        if rule is None:
            return False
        not_before, not_after = rule
        next_word = doc[end].lower_ if end < len(doc) else ""
        previous_word = doc[start - 1].lower_ if start > 0 else ""
        return next_word in not_before or previous_word in not_after

    def _postcodes(self, text: str):
        if not _FOUR_DIGITS.search(text):
            return  # both forms hold four digits in a row
        matches = list(POSTCODE.finditer(text))
        if _may_name_postcode(text):
            matches += POSTCODE_WORD.finditer(text)
        for match in matches:
            digits = int(match.group(1))
            if not any(low <= digits <= high for low, high in self.config.postcode_ranges):
                continue
            yield PlaceMention(
                text=match.group(0),
                canonical=self.config.places[0],
                kind="postcode",
                start=match.start(),
                end=match.end(),
                in_scope=True,
            )


def _may_name_postcode(text: str) -> bool:
    """False only when POSTCODE_WORD cannot match (its case-blind search is slow). Outside ASCII
    it may match letters that lower-case to others ("ſ" for "s"), so such texts are searched."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return "postcode" in lowered or "pc" in lowered or "zip" in lowered


class ScopeMatcher:
    """Which of the installation's municipalities an ad belongs to, with the places it names.

    One `LocationMatcher` per municipality: an installation for one municipality does exactly
    the work it did before; a regional one reads each ad once per municipality."""

    def __init__(self, municipalities: Sequence[Municipality]) -> None:
        self.matchers = {m.code: LocationMatcher(m.locations) for m in municipalities}

    @classmethod
    def from_config_dir(cls, config_dir: Path) -> ScopeMatcher:
        return cls(load_municipalities(config_dir))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.matchers)

    def region_municipality(self, source: str, region: Region) -> str | None:
        """The municipality whose own region page this is, or None."""
        if region.municipality is not None:
            if region.municipality not in self.matchers:
                raise ConfigError(
                    f"source {source}, region {region.name}: municipality "
                    f"'{region.municipality}' is not configured. Fix: use one of "
                    f"{', '.join(self.codes)}."
                )
            return region.municipality
        if not region.in_scope:
            return None
        if len(self.matchers) > 1:
            raise ConfigError(
                f"source {source}, region {region.name}: 'in_scope: true' is ambiguous with "
                f"several municipalities. Fix: write 'municipality: <code>' instead "
                f"(one of {', '.join(self.codes)})."
            )
        return self.codes[0]

    def scopes(self, text: str, listed_in: Collection[str] = ()) -> dict[str, list[PlaceMention]]:
        """Per municipality the ad belongs to (it names one of its places, or one of its
        region pages listed it): the places the text names, by that municipality's gazetteer."""
        found = {}
        for code, matcher in self.matchers.items():
            places = matcher.find_places(text)
            if code in listed_in or any(p.in_scope for p in places):
                found[code] = places
        return found


def _ordinary_word(name: str) -> bool:
    """True when a place name is also an ordinary Dutch or English word ("Best", "Made")."""
    return name.lower() in ordinary_words()


# Hamlets named after the country or a region: in an ad these mean the country.
COUNTRY_NAMES = frozenset({"Nederland", "Holland", "Europa", "Brabant", "Limburg", "Friesland"})


def _drop_overlaps(mentions: list[PlaceMention]) -> list[PlaceMention]:
    kept: list[PlaceMention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
