"""Judging the second opinion on labelled ads: examples, labels, and rules against rules plus
opinion.

"Worth reading" is what the officer's queue is about: an ad whose labelled codes, weighed with
the current `config/indicators.yaml`, reach tier `middel` or `hoog`. The rules say so when their
own tier is `middel` or `hoog`; rules plus second opinion say so when either does. A minor cue
is an ad labelled `minor_cue`; the rules catch it when they put the ad in `hoog`, the opinion's
minor head when it flags an ad the rules left lower. Training is `scoring.second_opinion_train`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import Field

from adwatch.config.loading import StrictModel, load_model, read_yaml
from adwatch.vocabulary import LOUD_TIERS, QUIET_TIERS
from scoring.corpus import CorpusAd, Counts, analyse_corpus
from scoring.indicators import AdText
from scoring.pipeline import AdScorer
from scoring.rules import Rules
from scoring.score import score_ad, tier_for
from scoring.second_opinion import MINOR_CUE, OpinionModel, probabilities

DECISIONS = "decisions"  # the group of the officer's decisions in leave-one-group-out


class LabelledAd(CorpusAd):
    """A corpus ad with the corpus authors' two extra fields."""

    hard_negative: bool = False
    note: str = ""


class _LabelledFile(StrictModel):
    ads: list[LabelledAd] = Field(min_length=1)


@dataclass(frozen=True)
class Example:
    """One training or test ad: its text, labels and the rules' view.

    `label` is 1 when worth reading; `minor` is 1 for a labelled minor cue, None when unknown (an
    officer's decision says nothing about it); `group` is the corpus file (one author's voice).
    """

    ident: str
    text: str
    label: int
    rules_tier: str
    minor: int | None = None
    rules_minor: bool = False
    group: str = ""

    @property
    def rules_say(self) -> bool:
        return self.rules_tier in LOUD_TIERS


@dataclass(frozen=True)
class Comparison:
    """Rules alone against rules plus second opinion, as "worth reading" flags, and minor cues."""

    ads: int
    worth_reading: int
    rules: Counts
    combined: Counts
    extra_asked: int  # ads the second opinion adds to what the rules flag
    extra_right: int  # of those, how many the labels call worth reading
    minor_cues: int = 0  # ads labelled minor_cue
    minor_missed: int = 0  # of those, left below `hoog` by the rules
    minor_caught: int = 0  # of those, flagged by the minor head
    minor_asked: int = 0  # ads below `hoog` the minor head flags
    minor_asked_worth: int = 0  # of those, worth reading

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
        figures["minor_cues"] = {
            "labelled": self.minor_cues,
            "rules_below_hoog": self.minor_missed,
            "caught_by_opinion": self.minor_caught,
            "opinion_flags_below_hoog": self.minor_asked,
            "of_which_worth_reading": self.minor_asked_worth,
        }
        return figures


def load_groups(directory: Path) -> list[tuple[str, LabelledAd]]:
    """Every ad of every `*.yaml` list in `directory` with its file's stem, ids unique."""
    ads: list[tuple[str, LabelledAd]] = []
    for path in sorted(directory.glob("*.yaml")):
        found = load_model(path, _LabelledFile, data={"ads": read_yaml(path)}).ads
        ads.extend((path.stem, ad) for ad in found)
    seen: set[str] = set()
    for _, ad in ads:
        if ad.id in seen:
            raise ValueError(f"{directory}: duplicate corpus id {ad.id}")
        seen.add(ad.id)
    if not ads:
        raise ValueError(f"{directory}: no *.yaml corpus files")
    return ads


def load_labelled(directory: Path) -> list[LabelledAd]:
    """Every ad of every `*.yaml` list in `directory` (the corpus format), ids unique."""
    return [ad for _, ad in load_groups(directory)]


def worth_reading(codes: Sequence[str], rules: Rules) -> bool:
    """The labelled codes, weighed by the rules, reach `middel` or `hoog`."""
    distinct = set(codes) & set(rules.indicators)
    value = sum(rules.weight(code) for code in distinct)
    return tier_for(value, distinct, rules) in LOUD_TIERS


def corpus_examples(
    ads: Sequence[LabelledAd], scorer: AdScorer, groups: Sequence[str] | None = None
) -> list[Example]:
    """The corpus as examples: the rules' view from the real pipeline, labels from the codes."""
    analyses = analyse_corpus(ads, scorer)
    found = []
    for index, (ad, analysis) in enumerate(zip(ads, analyses, strict=True)):
        score = score_ad(analysis.hits, scorer.rules)
        found.append(
            Example(
                ident=ad.id,
                text=f"{ad.title}\n\n{ad.text}" if ad.title else ad.text,
                label=int(worth_reading(ad.codes, scorer.rules)),
                rules_tier=score.tier,
                minor=int(MINOR_CUE in ad.codes),
                rules_minor=MINOR_CUE in score.codes,
                group=groups[index] if groups else "",
            )
        )
    return found


def folder_examples(directory: Path, scorer: AdScorer) -> list[Example]:
    """Every ad of a corpus folder as an example, grouped by its file (one author)."""
    grouped = load_groups(directory)
    return corpus_examples([ad for _, ad in grouped], scorer, [group for group, _ in grouped])


def text_examples(items: Sequence[tuple[str, str, int]], scorer: AdScorer) -> list[Example]:
    """Labelled texts (ident, text, label) as examples, the rules' view from the pipeline; their
    minor cue is unknown."""
    found = []
    for ident, text, label in items:
        score = score_ad(scorer.analyse(AdText(None, text)).hits, scorer.rules)
        rules_minor = MINOR_CUE in score.codes
        found.append(Example(ident, text, label, score.tier, None, rules_minor, DECISIONS))
    return found


def compare(
    examples: Sequence[Example], worth: np.ndarray, minor: np.ndarray | None = None
) -> Comparison:
    """Rules alone, and rules plus the opinion's flags (`worth`, `minor`: one bool per example),
    against the labels. An extra read is an ad in `geen`/`laag` that either head flags."""
    labels = np.array([e.label for e in examples], dtype=bool)
    rules = np.array([e.rules_say for e in examples], dtype=bool)
    quiet = np.array([e.rules_tier in QUIET_TIERS for e in examples], dtype=bool)
    below_hoog = np.array([e.rules_tier != "hoog" for e in examples], dtype=bool)
    minor_labels = np.array([e.minor == 1 for e in examples], dtype=bool)
    minor = np.zeros(len(examples), dtype=bool) if minor is None else np.asarray(minor, bool)
    asked_minor = minor & below_hoog
    extra = (np.asarray(worth, dtype=bool) | minor) & quiet
    return Comparison(
        ads=len(examples),
        worth_reading=int(labels.sum()),
        rules=_counts(rules, labels),
        combined=_counts(rules | extra, labels),
        extra_asked=int(extra.sum()),
        extra_right=int((extra & labels).sum()),
        minor_cues=int(minor_labels.sum()),
        minor_missed=int((minor_labels & below_hoog).sum()),
        minor_caught=int((minor_labels & asked_minor).sum()),
        minor_asked=int(asked_minor.sum()),
        minor_asked_worth=int((asked_minor & labels).sum()),
    )


def _counts(flagged: np.ndarray, labels: np.ndarray) -> Counts:
    return Counts(
        tp=int((flagged & labels).sum()),
        fp=int((flagged & ~labels).sum()),
        fn=int((~flagged & labels).sum()),
    )


def flags(model: OpinionModel, texts: Sequence[str], threshold: float | None = None):
    """Per text, whether the worth-reading head (at `threshold`, else its own) and the minor head
    flag it; a threshold of 1.0 is a silent head."""
    worth_cut = model.threshold if threshold is None else threshold
    worth = (probabilities(model, texts) >= worth_cut) & (worth_cut < 1.0)
    minor_head = model.heads.get(MINOR_CUE)
    if minor_head is None or minor_head.threshold >= 1.0:
        return worth, np.zeros(len(texts), dtype=bool)
    return worth, probabilities(model, texts, MINOR_CUE) >= minor_head.threshold


def evaluate(examples: Sequence[Example], model: OpinionModel, threshold: float | None = None):
    """Rules against rules plus this model on examples it was not trained on."""
    worth, minor = flags(model, [e.text for e in examples], threshold)
    return compare(examples, worth, minor)


def by_group(examples: Sequence[Example], worth: np.ndarray, minor: np.ndarray) -> dict:
    """The comparison per group (corpus file: one author), as plain figures."""
    found = {}
    for group in sorted({e.group for e in examples}):
        rows = [i for i, e in enumerate(examples) if e.group == group]
        part = compare([examples[i] for i in rows], worth[rows], minor[rows])
        found[group] = part.as_json()
    return found
