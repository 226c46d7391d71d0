"""A labelled corpus of synthetic ads: the ad format, analysis with the corpus' own price median,
and true/false positive counts.

`adwatch opinion` trains and judges the second opinion on such a corpus
(`scoring.second_opinion_eval`); the rules' quality measure (`bench/quality.py`, the tests) reads
the same format. Each ad has `id`, `title`, `text`, expected `codes` and expected `phones` (E.164).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field

from adwatch.config.loading import StrictModel
from scoring.indicators import AdContext, AdText, median_price
from scoring.pipeline import AdAnalysis, AdScorer


class CorpusAd(StrictModel):
    """One labelled synthetic ad."""

    id: str
    title: str = ""
    text: str
    codes: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    hard_negative: bool = False
    note: str = ""


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives, with the derived figures."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def analyse_corpus(ads: Sequence[CorpusAd], scorer: AdScorer) -> list[AdAnalysis]:
    """Analyse every ad with the corpus' own price median as context."""
    texts = [AdText(ad_id=None, text=ad.text, title=ad.title) for ad in ads]
    prices = [scorer.extract(t).hourly_price for t in texts]
    context = AdContext(
        median_price=median_price(prices, scorer.rules.parameters.low_price_min_ads)
    )
    return [scorer.analyse(t, context) for t in texts]
