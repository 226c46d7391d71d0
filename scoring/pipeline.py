"""The per-ad scoring pipeline: extraction, then the per-ad indicators, guarded, in that order.

Build one `AdScorer(rules, places=matcher)` per run and call `analyse(ad, context)` per ad version.
Cross-ad linking (`scoring.linking`), networks (`scoring.networks`) and the score
(`scoring.score.score_ad`) follow once all ads of the run are analysed.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.evidence import Failure, Hit, guarded
from scoring.extract import EMPTY_EXTRACTION, Extraction, PlaceFinder, extract
from scoring.indicators import AdContext, AdText, TextIndicators
from scoring.rules import Rules


@dataclass(frozen=True)
class AdAnalysis:
    """What one ad version yields before linking: extraction, per-ad hits and failures."""

    extraction: Extraction
    hits: tuple[Hit, ...]
    failures: tuple[Failure, ...]


class AdScorer:
    """Extraction plus per-ad indicators for one set of rules and one gazetteer."""

    def __init__(self, rules: Rules, places: PlaceFinder | None = None, region: str = "NL") -> None:
        self.rules = rules
        self.places = places
        self.region = region
        self.indicators = TextIndicators(rules)

    def extract(self, ad: AdText) -> Extraction:
        """Extraction only (phones, ages, prices, e-mail, messengers, places) on title and text."""
        return extract(ad.combined, places=self.places, region=self.region)

    def analyse(self, ad: AdText, context: AdContext | None = None) -> AdAnalysis:
        """Extraction and every per-ad indicator on one ad version; failures are recorded."""
        failures: list[Failure] = []
        extraction = guarded("extraction", ad.ad_id, failures, lambda: self.extract(ad))
        result = self.indicators.evaluate(ad, extraction or EMPTY_EXTRACTION, context)
        return AdAnalysis(
            extraction or EMPTY_EXTRACTION, result.hits, (*failures, *result.failures)
        )
