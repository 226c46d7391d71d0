"""Training and judging the second opinion on labelled ads: labels, threshold, comparison.

"Worth reading" is what the officer's queue is about: an ad whose labelled codes, weighed with
the current `config/indicators.yaml`, reach tier `middel` or `hoog`. The rules say so when their
own tier is `middel` or `hoog`; rules plus second opinion say so when either does. The threshold
is chosen on out-of-fold predictions so that the extra ads it asks the officer to read are at
least as often right as the rules' own flags: adding them does not lower precision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from pydantic import Field

from adwatch.config.loading import StrictModel, load_model, read_yaml
from adwatch.vocabulary import LOUD_TIERS
from scoring.corpus import CorpusAd, Counts, analyse_corpus
from scoring.indicators import AdText
from scoring.pipeline import AdScorer
from scoring.rules import Rules
from scoring.score import score_ad, tier_for
from scoring.second_opinion import OpinionModel, TrainingParams, fit, probabilities

FLOOR_PRECISION = 0.5  # never flag extra ads that are wrong as often as right
# Out-of-fold precision on a few hundred ads varies by a few points from fold to fold: the
# target sits this far above the rules' precision so that on new ads it does not fall below it.
PRECISION_MARGIN = 0.05
SEED = 2026


class LabelledAd(CorpusAd):
    """A corpus ad with the corpus authors' two extra fields."""

    hard_negative: bool = False
    note: str = ""


class _LabelledFile(StrictModel):
    ads: list[LabelledAd] = Field(min_length=1)


@dataclass(frozen=True)
class Example:
    """One training or test ad: its text, label (1 = worth reading) and the rules' tier."""

    ident: str
    text: str
    label: int
    rules_tier: str

    @property
    def rules_say(self) -> bool:
        return self.rules_tier in LOUD_TIERS


@dataclass(frozen=True)
class Comparison:
    """Rules alone against rules plus second opinion, as "worth reading" flags."""

    ads: int
    worth_reading: int
    rules: Counts
    combined: Counts
    extra_asked: int  # ads the second opinion adds to what the rules flag
    extra_right: int  # of those, how many the labels call worth reading

    def as_json(self) -> dict:
        """Plain figures for `--json` and the model's provenance."""
        figures = {"ads": self.ads, "worth_reading": self.worth_reading}
        for name, counts in (("rules", self.rules), ("rules_plus_opinion", self.combined)):
            figures[name] = {
                "tp": counts.tp,
                "fp": counts.fp,
                "fn": counts.fn,
                "precision": round(counts.precision, 4),
                "recall": round(counts.recall, 4),
            }
        figures.update(extra_asked=self.extra_asked, extra_right=self.extra_right)
        return figures


def load_labelled(directory: Path) -> list[LabelledAd]:
    """Every ad of every `*.yaml` list in `directory` (the corpus format), ids unique."""
    ads: list[LabelledAd] = []
    for path in sorted(directory.glob("*.yaml")):
        ads.extend(load_model(path, _LabelledFile, data={"ads": read_yaml(path)}).ads)
    seen: set[str] = set()
    for ad in ads:
        if ad.id in seen:
            raise ValueError(f"{directory}: duplicate corpus id {ad.id}")
        seen.add(ad.id)
    if not ads:
        raise ValueError(f"{directory}: no *.yaml corpus files")
    return ads


def worth_reading(codes: Sequence[str], rules: Rules) -> bool:
    """The labelled codes, weighed by the rules, reach `middel` or `hoog`."""
    distinct = set(codes) & set(rules.indicators)
    value = sum(rules.weight(code) for code in distinct)
    return tier_for(value, distinct, rules) in LOUD_TIERS


def corpus_examples(ads: Sequence[LabelledAd], scorer: AdScorer) -> list[Example]:
    """The corpus as examples: the rules' tier from the real pipeline, the label from the codes."""
    analyses = analyse_corpus(ads, scorer)
    return [
        Example(
            ident=ad.id,
            text=f"{ad.title}\n\n{ad.text}" if ad.title else ad.text,
            label=int(worth_reading(ad.codes, scorer.rules)),
            rules_tier=score_ad(analysis.hits, scorer.rules).tier,
        )
        for ad, analysis in zip(ads, analyses, strict=True)
    ]


def text_examples(items: Sequence[tuple[str, str, int]], scorer: AdScorer) -> list[Example]:
    """Labelled texts (ident, text, label) as examples, the rules' tier from the pipeline."""
    return [
        Example(
            ident, text, label, score_ad(scorer.analyse(AdText(None, text)).hits, scorer.rules).tier
        )
        for ident, text, label in items
    ]


def compare(examples: Sequence[Example], scores: np.ndarray, threshold: float) -> Comparison:
    """Rules alone and rules plus the opinion (`scores >= threshold`) against the labels."""
    labels = np.array([e.label for e in examples], dtype=bool)
    rules = np.array([e.rules_say for e in examples], dtype=bool)
    extra = (np.asarray(scores) >= threshold) & ~rules
    return Comparison(
        ads=len(examples),
        worth_reading=int(labels.sum()),
        rules=_counts(rules, labels),
        combined=_counts(rules | extra, labels),
        extra_asked=int(extra.sum()),
        extra_right=int((extra & labels).sum()),
    )


def _counts(flagged: np.ndarray, labels: np.ndarray) -> Counts:
    return Counts(
        tp=int((flagged & labels).sum()),
        fp=int((flagged & ~labels).sum()),
        fn=int((~flagged & labels).sum()),
    )


def choose_threshold(
    examples: Sequence[Example], scores: np.ndarray, min_precision: float | None
) -> tuple[float, float]:
    """The threshold that adds the most right extra flags at the target precision, and the target.

    The target is `min_precision`, or else the rules' own precision on these examples plus
    PRECISION_MARGIN (at least FLOOR_PRECISION, at most 1). No threshold reaches it: 1.0, the
    opinion stays silent.
    """
    target = min_precision
    if target is None:
        rules = compare(examples, scores, 2.0).rules.precision
        target = min(1.0, max(FLOOR_PRECISION, rules + PRECISION_MARGIN))
    best, best_right = 1.0, 0
    for cut in sorted({float(s) for s in scores if s >= 0.5}, reverse=True):
        result = compare(examples, scores, cut)
        precision = result.extra_right / result.extra_asked if result.extra_asked else 1.0
        if precision >= target and result.extra_right > best_right:
            best, best_right = cut, result.extra_right
    return best, target


def train(
    examples: Sequence[Example], params: TrainingParams, folds: int = 5
) -> tuple[OpinionModel, dict]:
    """A model fitted on all examples, its threshold set from out-of-fold predictions."""
    scores = out_of_fold(examples, params, folds)
    threshold, target = choose_threshold(examples, scores, params.min_precision)
    model = fit([e.text for e in examples], [e.label for e in examples], params)
    found = compare(examples, scores, threshold)
    stats = {"target_precision": round(target, 4), "out_of_fold": found.as_json()}
    return replace(model, threshold=threshold), stats


def out_of_fold(examples: Sequence[Example], params: TrainingParams, folds: int) -> np.ndarray:
    """Every example's probability from a model that did not see it."""
    from sklearn.model_selection import StratifiedKFold

    labels = np.array([e.label for e in examples])
    splits = min(folds, int(np.bincount(labels, minlength=2).min()))
    if splits < 2:
        raise ValueError("too few ads of one kind to train: need at least 2 of each")
    scores = np.zeros(len(examples))
    texts = [e.text for e in examples]
    for fit_rows, test_rows in StratifiedKFold(splits, shuffle=True, random_state=SEED).split(
        texts, labels
    ):
        model = fit([texts[i] for i in fit_rows], labels[fit_rows].tolist(), params)
        scores[test_rows] = probabilities(model, [texts[i] for i in test_rows])
    return scores


def cross_validate(
    examples: Sequence[Example], params: TrainingParams, folds: int = 5
) -> Comparison:
    """Rules against rules plus opinion on every example, each judged by a model (and a
    threshold) trained without it: the honest figure for a corpus used for training."""
    from sklearn.model_selection import StratifiedKFold

    labels = np.array([e.label for e in examples])
    flags = np.zeros(len(examples))
    for fit_rows, test_rows in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(
        labels, labels
    ):
        model, _ = train([examples[i] for i in fit_rows], params, folds)
        scores = probabilities(model, [examples[i].text for i in test_rows])
        flags[test_rows] = (scores >= model.threshold).astype(float)
    return compare(examples, flags, 0.5)


def evaluate(examples: Sequence[Example], model: OpinionModel, threshold: float | None = None):
    """Rules against rules plus this model on examples it was not trained on."""
    scores = probabilities(model, [e.text for e in examples])
    return compare(examples, scores, model.threshold if threshold is None else threshold)
