"""The per-ad scoring pipeline: extraction, then the per-ad indicators, guarded, in that order.

Build one `AdScorer(rules, places=matcher)` per run and call `analyse(ad, context)` per ad version.
Cross-ad linking (`scoring.linking`), networks (`scoring.networks`) and the score
(`scoring.score.score_ad`) follow once all ads of the run are analysed.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, replace
from datetime import date

from adwatch.config.scope import tokenizable
from scoring.extract import EMPTY_EXTRACTION, Extraction, PlaceFinder, extract
from scoring.hits import Failure, Hit, Stopped, guarded
from scoring.indicators import AdContext, AdText, TextIndicators
from scoring.rules import Rules


@dataclass(frozen=True)
class AdAnalysis:
    """What one ad version yields before linking: extraction, per-ad hits and failures."""

    extraction: Extraction
    hits: tuple[Hit, ...]
    failures: tuple[Failure, ...]
    stopped: tuple[Stopped, ...] = ()  # matches that do not count, and why (`--explain`)


class AdScorer:
    """Extraction plus per-ad indicators for one set of rules and one gazetteer."""

    def __init__(self, rules: Rules, places: PlaceFinder | None = None, region: str = "NL") -> None:
        self.rules = rules
        self.places = places
        self.region = region
        # One tokenization per ad: when the place finder takes a doc (LocationMatcher does), the
        # indicators use its tokenizer and both match on the same doc.
        shared = _takes_doc(places) and getattr(places, "nlp", None) is not None
        self.indicators = TextIndicators(rules, nlp=places.nlp if shared else None)  # type: ignore[union-attr]
        self._share_doc = shared

    def extract(self, ad: AdText, doc: object = None, today: date | None = None) -> Extraction:
        """Extraction only (phones, ages, prices, e-mail, messengers, places) on title and text."""
        return extract(ad.combined, places=self.places, region=self.region, doc=doc, today=today)

    def analyse(self, ad: AdText, context: AdContext | None = None) -> AdAnalysis:
        """Extraction and every per-ad indicator on one ad version; failures are recorded."""
        failures: list[Failure] = []
        ad = _without_lone_surrogates(ad)
        doc = self._doc(ad)
        today = context.captured_on if context is not None else None
        extraction = guarded("extraction", ad.ad_id, failures, lambda: self.extract(ad, doc, today))
        result = self.indicators.evaluate(ad, extraction or EMPTY_EXTRACTION, context, doc=doc)
        return AdAnalysis(
            extraction or EMPTY_EXTRACTION,
            result.hits,
            (*failures, *result.failures),
            result.stopped,
        )

    def _doc(self, ad: AdText) -> object:
        if not self._share_doc:
            return None
        try:
            return self.indicators.nlp.make_doc(tokenizable(ad.combined))
        except Exception:  # each step then tokenizes again and records its own failure
            return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(ad: AdText) -> AdText:
    """Broken Unicode (a lone surrogate) as U+FFFD, one for one, so offsets stay put."""
    if not (_SURROGATE.search(ad.text) or _SURROGATE.search(ad.title)):
        return ad
    return replace(
        ad, text=_SURROGATE.sub("\ufffd", ad.text), title=_SURROGATE.sub("\ufffd", ad.title)
    )


def _takes_doc(places: PlaceFinder | None) -> bool:
    if places is None:
        return False
    try:
        return "doc" in inspect.signature(places.find_places).parameters
    except (TypeError, ValueError):
        return False
