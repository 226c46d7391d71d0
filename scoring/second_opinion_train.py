"""Training the second opinion: out-of-fold predictions by author, thresholds, cross-validation.

Each head's threshold is chosen on predictions for ads the predicting model did not see, and
where the corpus holds three or more files (authors), from a model that did not see that
*author*: a voice it has not read, as the ads of a new advertiser will be. Random folds would
let a model learn an author's habits from his other ads and look better than it is.

- worth reading: the threshold adds the most right extra reads (ads the rules left in `geen` or
  `laag`) while those extra reads are at least as often right as the rules' own flags plus
  PRECISION_MARGIN. When the rules already find nearly every worth-reading training ad, no
  threshold reaches that and the head stays silent (1.0).
- minor cue: the lowest threshold at which the head's own flags are right as often as the
  rules' minor cues (at most MINOR_TARGET_CAP), placed midway to the next lower score (at least
  0.5): the head is asked to be as precise as the rules, and it is shown only where the rules
  stayed below `hoog`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from scoring.second_opinion import (
    MINOR_CUE,
    WORTH_READING,
    OpinionModel,
    TrainingParams,
    fit,
    probabilities,
)
from scoring.second_opinion_eval import Comparison, Example, by_group, compare, flags

FLOOR_PRECISION = 0.5  # never flag ads that are wrong as often as right
# Out-of-fold precision on a few hundred ads varies by a few points from fold to fold: the
# worth-reading target sits this far above the rules' precision so that on new ads it does not
# fall below it.
PRECISION_MARGIN = 0.05
# The rules' minor cues are right on every training ad (they were tuned on them); asking a head
# for 1.0 out of fold on a few dozen flags would silence it on one borderline label. On
# voices they had not seen, the rules' own flags were right about 19 times in 20.
MINOR_TARGET_CAP = 0.95
MIN_PROBABILITY = 0.5  # the lowest threshold of either head
MIN_GROUPS = 3  # corpus files needed to leave one author out; fewer: stratified folds
SEED = 2026


def _fit(examples: Sequence[Example], params: TrainingParams) -> OpinionModel:
    return fit(
        [e.text for e in examples],
        [e.label for e in examples],
        params,
        [e.minor for e in examples],
    )


def splits(examples: Sequence[Example], folds: int | None) -> Iterator[tuple[list[int], list[int]]]:
    """(fit rows, test rows): one author (corpus file) left out at a time when `folds` is None
    and there are MIN_GROUPS or more, else `folds` (default 5) stratified folds."""
    from sklearn.model_selection import StratifiedKFold

    groups = sorted({e.group for e in examples})
    if folds is None and len(groups) >= MIN_GROUPS:
        for group in groups:
            test = [i for i, e in enumerate(examples) if e.group == group]
            yield [i for i, e in enumerate(examples) if e.group != group], test
        return
    labels = np.array([e.label for e in examples])
    count = min(folds or 5, int(np.bincount(labels, minlength=2).min()))
    if count < 2:
        raise ValueError("too few ads of one kind to train: need at least 2 of each")
    for fit_rows, test_rows in StratifiedKFold(count, shuffle=True, random_state=SEED).split(
        labels, labels
    ):
        yield fit_rows.tolist(), test_rows.tolist()


def out_of_fold(examples: Sequence[Example], params: TrainingParams, folds: int | None = None):
    """Every example's probabilities (worth reading, minor cue) from a model that did not see
    it; a minor score is 0 where a fold had too few minor cues for that head."""
    worth, minor = np.zeros(len(examples)), np.zeros(len(examples))
    for fit_rows, test_rows in splits(examples, folds):
        if len({examples[i].label for i in fit_rows}) < 2:
            raise ValueError("a fold holds ads of one kind only: too few to train")
        model = _fit([examples[i] for i in fit_rows], params)
        texts = [examples[i].text for i in test_rows]
        worth[test_rows] = probabilities(model, texts)
        if MINOR_CUE in model.heads:
            minor[test_rows] = probabilities(model, texts, MINOR_CUE)
    return worth, minor


def choose_threshold(
    examples: Sequence[Example], scores: np.ndarray, min_precision: float | None
) -> tuple[float, float]:
    """The worth-reading threshold that adds the most right extra reads at the target
    precision, and the target (module docstring); 1.0 when none reaches it."""
    target = min_precision
    if target is None:
        rules = compare(examples, np.zeros(len(examples), dtype=bool)).rules.precision
        target = min(1.0, max(FLOOR_PRECISION, rules + PRECISION_MARGIN))
    best, best_right = 1.0, 0
    for cut in sorted({float(s) for s in scores if s >= MIN_PROBABILITY}, reverse=True):
        result = compare(examples, np.asarray(scores) >= cut)
        precision = result.extra_right / result.extra_asked if result.extra_asked else 1.0
        if precision >= target and result.extra_right > best_right:
            best, best_right = cut, result.extra_right
    return best, target


def choose_minor_threshold(
    examples: Sequence[Example], scores: np.ndarray, min_precision: float | None
) -> tuple[float, float]:
    """The lowest minor-cue threshold whose flags reach the target precision, and the target;
    only ads whose minor cue is known count. 1.0 when none reaches it."""
    known = [i for i, e in enumerate(examples) if e.minor is not None]
    labels = np.array([examples[i].minor == 1 for i in known], dtype=bool)
    values = np.asarray(scores)[known]
    target = min_precision
    if target is None:
        said = np.array([examples[i].rules_minor for i in known], dtype=bool)
        rules = (said & labels).sum() / said.sum() if said.sum() else 1.0
        target = max(FLOOR_PRECISION, min(MINOR_TARGET_CAP, float(rules)))
    below = 0.0
    for cut in sorted({float(s) for s in values}):
        flagged = values >= cut
        if cut >= MIN_PROBABILITY and (flagged & labels).sum() / flagged.sum() >= target:
            # Midway to the next lower score: the same flags out of fold, and room for ads
            # that are a little less sure than any training ad was.
            return max(MIN_PROBABILITY, (cut + below) / 2), target
        below = cut
    return 1.0, target


def train(
    examples: Sequence[Example], params: TrainingParams, folds: int | None = None
) -> tuple[OpinionModel, dict]:
    """A model fitted on all examples, each head's threshold set from out-of-fold predictions."""
    worth, minor = out_of_fold(examples, params, folds)
    threshold, target = choose_threshold(examples, worth, params.min_precision)
    model = _fit(examples, params)
    thresholds = {WORTH_READING: threshold}
    stats: dict = {"target_precision": round(target, 4)}
    if MINOR_CUE in model.heads:
        thresholds[MINOR_CUE], minor_target = choose_minor_threshold(
            examples, minor, params.min_precision
        )
        stats["minor_target_precision"] = round(minor_target, 4)
    minor_flags = minor >= thresholds.get(MINOR_CUE, 1.0)
    found = compare(examples, (worth >= threshold) & (threshold < 1.0), minor_flags)
    stats["out_of_fold"] = found.as_json()
    return model.with_thresholds(thresholds), stats


def cross_validate(
    examples: Sequence[Example], params: TrainingParams, folds: int | None = None
) -> tuple[Comparison, dict]:
    """Rules against rules plus opinion on every example, each judged by a model (and
    thresholds) trained without it — without its author when `folds` is None and the corpus has
    MIN_GROUPS files or more: the honest figure for a corpus used for training. Also the
    figures per author (corpus file)."""
    worth = np.zeros(len(examples), dtype=bool)
    minor = np.zeros(len(examples), dtype=bool)
    for fit_rows, test_rows in splits(examples, folds):
        model, _ = train([examples[i] for i in fit_rows], params, folds)
        worth[test_rows], minor[test_rows] = flags(model, [examples[i].text for i in test_rows])
    return compare(examples, worth, minor), by_group(examples, worth, minor)
