"""Per-ad indicators, the second scoring step: spaCy patterns from the rules plus small functions.

Build `TextIndicators(rules)` once (it compiles the PhraseMatcher and Matcher patterns of
`config/indicators.yaml` on the place finder's tokenizer), then call
`evaluate(AdText(...), extraction, context)` per ad version. Pattern indicators come from the
config; `minor_cue`/`young_age` also use the stated age, `low_price` the price against the median
of in-scope ads, `multi_city` the places named now and in earlier versions. Each indicator runs
guarded: a failure is logged and returned, and the others still run.
"""

from __future__ import annotations

import bisect
import dataclasses
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.attrs import IS_TITLE, NORM
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from adwatch.config.scope import tokenizable, tokenizer_nlp
from scoring.arrivals import why_not_new, why_not_workers
from scoring.availability import why_not_always
from scoring.context import ContextChecks
from scoring.corrections import Retraction, has_left, inside, retractions, taken_back
from scoring.extract import Extraction
from scoring.gobetween import unnamed_go_betweens
from scoring.hits import AdId, Failure, Hit, SpanEvidence, Stopped, ValueEvidence, guarded
from scoring.houses import run_by_a_house
from scoring.keyed import (
    KeyedIndex,
    KeyedPattern,
    keyed_matches,
    negation_words,
    on_norm,
    vocabulary,
)
from scoring.negation import denial
from scoring.prices import hourly_rate
from scoring.rules import TEXT_CODES, Rules
from scoring.textnorm import Normaliser
from scoring.tokens import Tokens
from scoring.towns import towns_named
from scoring.voice import VoiceFinder
from scoring.workers import NameLists

# A spaCy pipeline object (`spacy.blank("nl")` or the place finder's); only its tokenizer is used.
Tokenizing = Any

# Per indicator, its words used in another sense ("dag en nacht verschil", "oud & nieuw"):
# scoring/availability.py, scoring/arrivals.py.
_OTHER_SENSE = {
    "always_available": why_not_always,
    "new_arrival": why_not_new,
    "multiple_workers": why_not_workers,
}
MAX_SPANS = 5
MAX_MATCHES_READ = 40
_PRONOUNS = frozenset({"zij", "ze", "she", "hij", "he"})


def _by_start(match: tuple) -> tuple[int, int]:
    return match[1], match[2]


@dataclass(frozen=True)
class AdText:
    """The text of one ad version: title and body are scanned together, evidence names the field."""

    ad_id: AdId | None
    text: str
    title: str = ""

    @property
    def combined(self) -> str:
        """Title and body as one text, the form `extract` should be run on."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class AdContext:
    """Facts from outside the ad version: the in-scope price median and earlier versions' towns."""

    median_price: float | None = None
    previous_towns: frozenset[str] = frozenset()
    captured_on: date | None = None  # birth years are read against it (None: today)


@dataclass(frozen=True)
class IndicatorResult:
    """The hits and failures of the per-ad indicators on one ad version."""

    hits: tuple[Hit, ...]
    failures: tuple[Failure, ...] = field(default_factory=tuple)
    stopped: tuple[Stopped, ...] = field(default_factory=tuple)


def median_price(prices: Iterable[float | None], min_ads: int) -> float | None:
    """Median of the stated hourly prices of in-scope ads, or None with fewer than `min_ads`."""
    known = [p for p in prices if p is not None]
    return statistics.median(known) if len(known) >= min_ads else None


class TextIndicators:
    """The compiled per-ad indicators of one set of rules."""

    def __init__(self, rules: Rules, nlp: Tokenizing | None = None) -> None:
        """`nlp`: the tokenizer to share (the place finder's), or None for the one the place
        finder builds (`spacy.blank("nl")` without the line-break special cases, which made
        spaCy re-match every doc with a line break; same tokens)."""
        self.rules = rules
        self.nlp = nlp if nlp is not None else tokenizer_nlp()
        self.normaliser = Normaliser(vocabulary(rules), rules.normalise.abbreviations)
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._patterns = Matcher(self.nlp.vocab)
        self._keyed: list[KeyedPattern] = []
        for code, rule in rules.indicators.items():
            if rule.phrases:
                docs = [self.normaliser.apply(d) for d in self.nlp.tokenizer.pipe(rule.phrases)]
                self._phrases.add(code, docs)
            for pattern in (on_norm(p) for p in rule.patterns):
                keyed = KeyedPattern.build(self.nlp, code, pattern)
                if keyed is None:
                    self._patterns.add(code, [pattern])
                else:
                    self._keyed.append(keyed)
        self._keyed_index = KeyedIndex(self._keyed)
        self._any_patterns = len(self._patterns) > 0
        self._negatable = {c for c, r in rules.indicators.items() if r.negatable}
        self._negation = negation_words(rules)
        self._context = ContextChecks()
        self._voice = VoiceFinder()
        self._name_lists = NameLists()

    def evaluate(
        self,
        ad: AdText,
        extraction: Extraction,
        context: AdContext | None = None,
        doc: Doc | None = None,
    ) -> IndicatorResult:
        """All per-ad indicators on one ad version, each guarded against failure.

        `doc`: `self.nlp.make_doc(ad.combined)` when the caller made it already.
        """
        context = context or AdContext()
        failures: list[Failure] = []
        stopped: list[Stopped] = []
        hits: list[Hit] = []
        if doc is None:
            doc = self.nlp.make_doc(tokenizable(ad.combined))
        toks = self.normaliser.tokens(doc, ad.combined)
        old = retractions(ad.combined)
        spans = guarded(
            "patterns", ad.ad_id, failures, lambda: self._spans(ad, doc, toks, stopped, old)
        )
        ages = guarded(
            "ages", ad.ad_id, failures, lambda: self._ages(ad, extraction, toks, stopped, old)
        )
        extraction = dataclasses.replace(extraction, ages=ages or ())
        if old:  # an edit took these back: the ad is read as it stands now
            places = tuple(p for p in extraction.places if not inside(old, p.start, p.end))
            extraction = dataclasses.replace(extraction, places=places)
        functions = {
            "young_age": lambda: self._age_hit(ad, extraction, minor=False),
            "low_price": lambda: self._price_hit(ad, extraction, context),
            "multi_city": lambda: self._city_hit(ad, extraction, context),
        }
        for code in TEXT_CODES:
            evidence: list = list((spans or {}).get(code, ()))
            if code == "minor_cue":
                evidence += (
                    guarded(code, ad.ad_id, failures, lambda: self._minor_age(ad, extraction)) or []
                )
            if code in functions:
                evidence += guarded(code, ad.ad_id, failures, functions[code]) or []
            if evidence:
                hits.append(Hit(code, self.rules.weight(code), tuple(evidence[:MAX_SPANS])))
        return IndicatorResult(tuple(hits), tuple(failures), tuple(stopped))

    def pattern_spans(self, ad: AdText, doc: Doc | None = None) -> dict[str, list[SpanEvidence]]:
        """Evidence spans of every phrase and pattern match that stands, by indicator code.

        `doc` may be `self.nlp.make_doc(ad.combined)` made already (the scorer shares one per ad).
        """
        if doc is None:
            doc = self.nlp.make_doc(tokenizable(ad.combined))
        return self._spans(ad, doc, self.normaliser.tokens(doc, ad.combined), [])

    def _spans(
        self,
        ad: AdText,
        doc: Doc,
        toks: Tokens,
        stopped: list[Stopped],
        old: tuple[Retraction, ...] = (),
    ) -> dict[str, list[SpanEvidence]]:
        matches = [*self._phrases(doc), *self._pattern_matches(doc, toks)]
        strings = self.nlp.vocab.strings
        found: dict[str, dict[tuple[int, int], SpanEvidence]] = {}
        weak_spans: list[SpanEvidence] = []
        named = [(strings[match_id], start, end, True) for match_id, start, end in matches]
        voice = [
            *self._voice.matches(toks),
            *self._name_lists.matches(toks),
            *unnamed_go_betweens(toks),
        ]
        voiced = [(m.code, m.start, m.end, m.negatable, m.head) for m in voice]
        # A name as subject in the title alone ("Julia ontvangt in Houten") is how many workers
        # title their own ad: weak, as a bare "zij is" is.
        title_end = len(ad.title)
        weak = {
            (m.start, m.end)
            for m in voice
            if m.weak or (m.name and ad.title and toks.idx[m.start] < title_end)
        }
        seen: dict[str, int] = {}
        for code, start, end, negatable, *head in sorted([*named, *voiced], key=_by_start):
            seen[code] = seen.get(code, 0) + 1
            if seen[code] > MAX_MATCHES_READ:
                continue  # a text repeating one phrase thousands of times: the first ones tell
            evidence = _span_evidence(ad, toks.idx[start], toks.offsets(end - 1)[1])
            around = (head[0], head[0] + 1) if head and head[0] >= 0 else (start, end)
            why = self._retracted(old, toks, start, end) or self._why_not(
                code, toks, *around, negatable
            )
            if why is None and (start, end) in weak and code == "third_party":
                weak_spans.append(evidence)
                continue
            if why is not None:
                reason, cue, detail = why
                cue_span = None if cue is None else _span_evidence(ad, *cue)
                stopped.append(Stopped(code, evidence, reason, cue_span, detail))
                continue
            found.setdefault(code, {})[(evidence.start, evidence.end)] = evidence
        self._keep_weak(toks, weak_spans, found, stopped)
        taken_back(ad.combined, toks, found, stopped, _span_evidence_offsets(ad))
        run_by_a_house(toks, found)
        return {code: sorted(spans.values(), key=_span_order) for code, spans in found.items()}

    def _keep_weak(self, doc: Tokens, weak: list[SpanEvidence], found: dict, stopped: list) -> None:
        """A bare "zij is" counts beside other third-party evidence, in an ad without "ik", or
        where the writer is the contact ("afspraken via mij", "ik regel"); in a first-person ad
        alone it is more often a pet, a car or a client."""
        if (
            "third_party" in found
            or not self._voice.first_person(doc)
            or self._voice.writer_is_contact(doc) is not None
        ):
            for evidence in weak:
                found.setdefault("third_party", {})[(evidence.start, evidence.end)] = evidence
            return
        stopped.extend(Stopped("third_party", e, "first_person") for e in weak)

    def _why_not(
        self, code: str, doc: Tokens, start: int, end: int, negatable: bool = True
    ) -> tuple[str, tuple[int, int] | None, str] | None:
        """Why a match does not count (reason, cue offsets, detail), or None when it stands."""
        if negatable and code in self._negatable:
            denied = denial(doc, start, end, self._negation)
            if denied is not None:
                return "negation", (denied.start, denied.end), denied.form
        other = _OTHER_SENSE.get(code)
        if other is not None:
            found = other(doc, start, end)
            if found is not None:
                return found
        if code == "third_party" and not negatable:
            left = has_left(doc, end)  # "Fleur is gestopt": no longer offered by this ad
            if left is not None:
                return "retracted", left, "left"
        return self._context.reject(code, doc, start, end)

    @staticmethod
    def _retracted(old: tuple[Retraction, ...], doc: Tokens, start: int, end: int):
        """A match inside a part an edit struck out or marked old ("~~24/7~~", "(oud) ...")."""
        if not old:
            return None
        found = inside(old, doc.idx[start], doc.offsets(end - 1)[1])
        return None if found is None else ("retracted", (found.cue_start, found.cue_end), "old")

    def _pattern_matches(self, doc: Doc, toks: Tokens | None = None) -> list[tuple[int, int, int]]:
        """The Matcher's matches; patterns with a known first word run only where it stands."""
        matches = list(self._patterns(doc)) if self._any_patterns else []
        if not self._keyed or not len(doc):
            return matches
        plain = toks is not None and toks.norm_keys is not None
        if plain:
            norms, titles, texts = toks.norm_keys, toks.title, toks.text
        else:
            norms, titles = doc.to_array([NORM, IS_TITLE]).T.tolist()
            texts = [token.text for token in doc]
        strings = self.nlp.vocab.strings
        return keyed_matches(self._keyed_index, doc, norms, titles, texts, strings, matches,
                             toks if plain else None)  # fmt: skip

    def _ages(
        self,
        ad: AdText,
        extraction: Extraction,
        toks: Tokens,
        stopped: list[Stopped],
        old: tuple[Retraction, ...] = (),
    ):
        """The stated ages that stand: not denied ("ik ben geen 'net 18'-meisje"), not quoted,
        not struck out by an edit."""
        kept = []
        for age in extraction.ages:
            start = max(0, bisect.bisect_right(toks.idx, age.start) - 1)
            end = max(start + 1, bisect.bisect_left(toks.idx, age.end))
            why = None
            if len(toks):
                why = self._retracted(old, toks, start, end) or self._why_not(
                    "young_age", toks, start, end
                )
            if why is None and len(toks) and toks.norm[start] in _PRONOUNS:
                why = self._context.reject(
                    "third_party", toks, start, end
                )  # "mijn merrie, zij is 18"
            if why is None:
                kept.append(age)
                continue
            reason, cue, detail = why
            cue_span = None if cue is None else _span_evidence(ad, *cue)
            evidence = _span_evidence(ad, age.start, age.end)
            stopped.append(Stopped("young_age", evidence, reason, cue_span, detail))
        return tuple(kept)

    def _minor_age(self, ad: AdText, extraction: Extraction) -> list[ValueEvidence]:
        return self._age_hit(ad, extraction, minor=True)

    def _age_hit(self, ad: AdText, extraction: Extraction, *, minor: bool) -> list[ValueEvidence]:
        params = self.rules.parameters
        low, high = (0, params.minor_age_below - 1) if minor else (
            params.minor_age_below, params.young_age_max)  # fmt: skip
        return [
            ValueEvidence("stated_age", a.age, span=_span_evidence(ad, a.start, a.end))
            for a in extraction.ages
            if low <= a.age <= high or (minor and a.just)  # "legal since Tuesday": just 18
        ]

    def _price_hit(
        self, ad: AdText, extraction: Extraction, context: AdContext
    ) -> list[ValueEvidence]:
        rate = hourly_rate(extraction.prices)
        median, params = context.median_price, self.rules.parameters
        if rate is None:
            return []
        limit = params.low_price_max
        if median is not None:
            limit = min(limit, params.low_price_fraction * median)
        if rate.euro > limit:
            return []
        detail = {"median": median, "fraction": params.low_price_fraction, "limit": limit,
                  "amount": rate.amount, "minutes": rate.minutes}  # fmt: skip
        span = _span_evidence(ad, rate.start, rate.end)
        return [ValueEvidence("hourly_price", rate.euro, detail=detail, span=span)]

    def _city_hit(
        self, ad: AdText, extraction: Extraction, context: AdContext
    ) -> list[ValueEvidence]:
        towns = towns_named(
            ad.combined, extraction.places, self.rules.parameters.multi_city_ignore_after
        )
        all_towns = set(towns) | context.previous_towns
        if len(all_towns) < self.rules.parameters.multi_city_min_towns:
            return []
        detail = {"now": sorted(towns), "earlier_versions": sorted(context.previous_towns)}
        return [ValueEvidence("towns", sorted(all_towns), detail=detail)]


def _span_evidence(ad: AdText, start: int, end: int) -> SpanEvidence:
    offset = len(ad.title) + 2 if ad.title else 0
    if ad.title and start < offset:
        return SpanEvidence(ad.title[start:end], start, min(end, len(ad.title)), field="title")
    return SpanEvidence(ad.text[start - offset : end - offset], start - offset, end - offset)


def _span_evidence_offsets(ad: AdText):
    """A span's offsets in the combined text (title, two line breaks, text)."""
    offset = len(ad.title) + 2 if ad.title else 0

    def combined(span: SpanEvidence) -> int:
        return span.start + (offset if span.field == "text" else 0)

    return combined


def _span_order(span: SpanEvidence) -> tuple[bool, int]:
    return (span.field != "title", span.start)
