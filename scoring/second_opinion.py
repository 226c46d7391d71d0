"""The second opinion: learned classifiers beside the rules, with their reasons.

Character n-grams (2–5 letters, within words) and whole words and word pairs, weighted by
TF-IDF, and logistic regressions on them (scikit-learn). They read spelling the phrase lists
never saw — "nw in de stad", "19 jr", "ff bellen voor haar" — because pieces of words carry the
signal, not whole phrases; word pairs keep what a letter piece loses ("pas 18"). Two heads
share the features: "worth reading" (the labelled codes reach `middel` or `hoog`) and "minor cue"
(the ad is labelled `minor_cue`). Neither changes a score: where the first finds an ad worth
reading that the rules left in `geen` or `laag`, the officer sees "tweede mening: lees deze
advertentie"; where the second finds a minor cue in an ad the rules left below `hoog`, "tweede
mening: mogelijk minderjarig — lees deze advertentie"; each with the n-grams that weighed most.

Plain values in, plain values out; the model's file format is `scoring.second_opinion_file`,
the database side `scoring.second_opinion_store`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from adwatch.privacy.identity import mask_identity
from adwatch.vocabulary import QUIET_TIERS

WORTH_READING = "worth_reading"
MINOR_CUE = "minor_cue"
HEADS = (WORTH_READING, MINOR_CUE)

NGRAM_RANGE = (2, 5)  # letters, inside words
WORD_NGRAM_RANGE = (1, 2)  # whole words and pairs of words
# Starts every word feature. A character n-gram has a space only first or last, so the only one
# that starts so is the mark itself ("w " ends a word on w).
WORD_MARK = "w "
NORMALISATION = 3  # bump when `normalise` or the features change: an older model is refused
MIN_SHOWN = 3  # letters an n-gram needs to be shown as a reason
MIN_MINOR_ADS = 5  # of each kind, for a minor-cue head
SEED = 2026
_LONG_NUMBER = re.compile(r"\d(?:[ .\-]?\d){5,}")  # six digits or more: phone numbers
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_REPEATS = re.compile(r"(\w)\1{2,}")


@dataclass(frozen=True)
class TrainingParams:
    """How a model is fitted; recorded in its provenance."""

    c: float = 4.0
    min_df: int = 2
    max_features: int = 40_000
    min_precision: float | None = None  # None: the rules' own precision on the training data


@dataclass(frozen=True)
class Head:
    """One question the model answers: a weight per n-gram, the bias and the threshold."""

    coef: np.ndarray
    intercept: float
    threshold: float = 0.5


@dataclass(frozen=True)
class OpinionModel:
    """A fitted model as plain arrays: n-grams and their idf, and a head per question."""

    vocabulary: tuple[str, ...]
    idf: np.ndarray
    heads: dict[str, Head]
    provenance: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sizes = {len(self.vocabulary), self.idf.shape[0]}
        sizes |= {head.coef.shape[0] for head in self.heads.values()}
        ndims = {self.idf.ndim} | {head.coef.ndim for head in self.heads.values()}
        if len(sizes) != 1 or ndims != {1}:
            raise ValueError("vocabulary, idf and every head's coef need one entry per n-gram")
        marked = [is_word_feature(gram) for gram in self.vocabulary]
        if marked != sorted(marked):
            raise ValueError("character n-grams must come before word features")
        if WORTH_READING not in self.heads or not set(self.heads) <= set(HEADS):
            raise ValueError(f"heads must be {WORTH_READING} and optionally {MINOR_CUE}")

    @property
    def threshold(self) -> float:
        """The worth-reading head's threshold."""
        return self.heads[WORTH_READING].threshold

    def with_thresholds(self, thresholds: dict[str, float]) -> OpinionModel:
        """The same model with these heads' thresholds."""
        heads = {
            name: Head(head.coef, head.intercept, thresholds.get(name, head.threshold))
            for name, head in self.heads.items()
        }
        return OpinionModel(self.vocabulary, self.idf, heads, self.provenance)


@dataclass(frozen=True)
class Reason:
    """One n-gram that pushed the opinion up, the word of the ad it sits in, and its weight."""

    ngram: str
    word: str
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"ngram": self.ngram, "word": self.word, "weight": round(self.weight, 4)}


@dataclass(frozen=True)
class Opinion:
    """The classifier's probability that an ad is worth reading, and why; the same for a minor
    cue when the model has that head (else `minor_probability` is None)."""

    probability: float
    worth_reading: bool
    reasons: tuple[Reason, ...]
    minor_probability: float | None = None
    minor: bool = False
    minor_reasons: tuple[Reason, ...] = ()


def is_word_feature(feature: str) -> bool:
    """A word or pair of words, not a character n-gram."""
    return feature.startswith(WORD_MARK) and len(feature) > len(WORD_MARK)


def normalise(text: str) -> str:
    """Lower case, look-alikes folded, long numbers, addresses and letter runs shortened.

    Numbers of six digits or more (phone numbers) and e-mail or web addresses become one mark, so
    the model's n-grams never hold a number or an address of a person; words about who someone
    is are masked (`adwatch.privacy.identity`), so the model cannot learn them.
    """
    folded = mask_identity(unicodedata.normalize("NFKC", text)).casefold()
    folded = _ADDRESS.sub(" @ ", folded)
    folded = _LONG_NUMBER.sub(" # ", folded)
    return _REPEATS.sub(r"\1\1", folded)


def _vectorizers(min_df: int = 1, max_features=None, known=(None, None)):
    """TF-IDF for character n-grams inside words and for words and word pairs, each normalised
    on its own (so the many letter pieces do not drown the few words); over normalised text."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = {"lowercase": False, "sublinear_tf": True, "dtype": np.float64}
    return tuple(
        TfidfVectorizer(
            **common,
            **kind,
            min_df=min_df if vocabulary is None else 1,
            max_features=max_features if vocabulary is None else None,
            vocabulary=vocabulary,
        )
        for kind, vocabulary in zip(
            (
                {"analyzer": "char_wb", "ngram_range": NGRAM_RANGE},
                {
                    "analyzer": "word",
                    "ngram_range": WORD_NGRAM_RANGE,
                    "token_pattern": r"(?u)\b\w+\b",
                },
            ),
            known,
            strict=True,
        )
    )


def _fit_features(texts: Sequence[str], params: TrainingParams):
    """The feature matrix of the training texts, its vocabulary (word features marked) and idf."""
    from scipy.sparse import hstack

    plain = [normalise(text) for text in texts]
    chars, words = _vectorizers(params.min_df, params.max_features)
    matrix = hstack([chars.fit_transform(plain), words.fit_transform(plain)]).tocsr()
    vocabulary = [
        *chars.get_feature_names_out(),
        *(WORD_MARK + w for w in words.get_feature_names_out()),
    ]
    return matrix, tuple(str(v) for v in vocabulary), np.concatenate([chars.idf_, words.idf_])


def fit(
    texts: Sequence[str],
    labels: Sequence[int],
    params: TrainingParams,
    minor: Sequence[int | None] | None = None,
) -> OpinionModel:
    """Fit the n-grams and the heads; thresholds are set by the caller (0.5 until then).

    `minor` labels the minor-cue head per text (None: unknown, e.g. an officer's decision, left
    out of that head); without MIN_MINOR_ADS ads of each kind there is no minor head.
    """
    if len(set(labels)) != 2:
        raise ValueError("training needs ads of both kinds: worth reading and not")
    matrix, vocabulary, idf = _fit_features(texts, params)
    heads = {WORTH_READING: _fit_head(matrix, labels, params)}
    known = [i for i, value in enumerate(minor or ()) if value is not None]
    minor_labels = [int(minor[i]) for i in known] if minor else []
    if min(sum(minor_labels), len(minor_labels) - sum(minor_labels)) >= MIN_MINOR_ADS:
        heads[MINOR_CUE] = _fit_head(matrix[known], minor_labels, params)
    return OpinionModel(
        vocabulary=vocabulary,
        idf=np.asarray(idf, dtype=np.float64),
        heads=heads,
    )


def _fit_head(matrix, labels: Sequence[int], params: TrainingParams) -> Head:
    from sklearn.linear_model import LogisticRegression

    regression = LogisticRegression(
        C=params.c,
        class_weight="balanced",
        solver="liblinear",
        max_iter=1000,
        random_state=SEED,  # liblinear shuffles: a fixed seed keeps training deterministic
    )
    regression.fit(matrix, np.asarray(labels))
    return Head(np.asarray(regression.coef_[0], dtype=np.float64), float(regression.intercept_[0]))


def probabilities(model: OpinionModel, texts: Sequence[str], head: str = WORTH_READING):
    """The probability per text of the head's question (worth reading, or a minor cue)."""
    return _probabilities(model.heads[head], _matrix(model, texts))


def opinions(
    model: OpinionModel,
    texts: Sequence[str],
    *,
    words: int = 5,
    threshold: float | None = None,
    explain: Sequence[bool] | None = None,
) -> list[Opinion]:
    """Probabilities, verdicts against the thresholds, and the strongest n-grams for every text
    found worth reading or a minor cue (only where `explain` is true, when it is given).
    `threshold` replaces the worth-reading head's own."""
    matrix = _matrix(model, texts)
    worth_head = model.heads[WORTH_READING]
    worth_cut = worth_head.threshold if threshold is None else threshold
    worth_scores = _probabilities(worth_head, matrix)
    minor_head = model.heads.get(MINOR_CUE)
    minor_scores = _probabilities(minor_head, matrix) if minor_head else None
    wanted = [True] * len(texts) if explain is None else explain
    found = []
    for index, text in enumerate(texts):
        row = matrix[index]
        worth = _says(worth_scores[index], worth_cut)
        reasons = _reasons(model, worth_head, row, text, words) if worth and wanted[index] else ()
        if minor_scores is None:
            found.append(Opinion(float(worth_scores[index]), worth, reasons))
            continue
        minor = _says(minor_scores[index], minor_head.threshold)
        why = _reasons(model, minor_head, row, text, words) if minor and wanted[index] else ()
        probability = float(minor_scores[index])
        found.append(Opinion(float(worth_scores[index]), worth, reasons, probability, minor, why))
    return found


def _says(probability: float, threshold: float) -> bool:
    """At or above the threshold; a threshold of 1.0 is a silent head."""
    return bool(threshold < 1.0 and probability >= threshold)


def disagreement(opinion: Opinion, rules_tier: str) -> str | None:
    """Which head disagrees with the rules' tier, the more urgent first: a minor cue where the
    rules stayed below `hoog`, or worth reading where they left the ad in `geen` or `laag`."""
    if opinion.minor and rules_tier != "hoog":
        return MINOR_CUE
    if opinion.worth_reading and rules_tier in QUIET_TIERS:
        return WORTH_READING
    return None


def disagrees(opinion: Opinion, rules_tier: str) -> bool:
    """Either head asks the officer to read an ad the rules ranked lower."""
    return disagreement(opinion, rules_tier) is not None


def _matrix(model: OpinionModel, texts: Sequence[str]):
    from scipy.sparse import hstack

    split = sum(1 for gram in model.vocabulary if not is_word_feature(gram))
    chars = {gram: i for i, gram in enumerate(model.vocabulary[:split])}
    words = {gram.removeprefix(WORD_MARK): i for i, gram in enumerate(model.vocabulary[split:])}
    char_vec, word_vec = _vectorizers(known=(chars or None, words or None))
    plain = [normalise(text) for text in texts]
    parts = []
    for vec, known, idf in (
        (char_vec, chars, model.idf[:split]),
        (word_vec, words, model.idf[split:]),
    ):
        if known:
            vec.idf_ = idf
            parts.append(vec.transform(plain))
    return hstack(parts).tocsr()


def _probabilities(head: Head, matrix) -> np.ndarray:
    return _sigmoid(matrix @ head.coef + head.intercept)


def _sigmoid(values) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(values, dtype=np.float64), -500, 500)))


def _reasons(model: OpinionModel, head: Head, row, text: str, limit: int) -> tuple[Reason, ...]:
    """The features of 3+ letters with the largest positive share, one per word of the ad (a
    word feature is its own word or pair of words)."""
    columns, values = row.indices, row.data
    shares = values * head.coef[columns]
    order = np.argsort(-shares)
    words = normalise(text).split()
    reasons: list[Reason] = []
    for index in order:
        if shares[index] <= 0 or len(reasons) >= limit:
            break
        gram = model.vocabulary[columns[index]]
        if is_word_feature(gram):
            gram = word = gram.removeprefix(WORD_MARK)
        else:
            word = _word_with(gram, words)
        # Two letters ("de", "r ") say nothing the officer can read; such pieces still count.
        if len(gram.strip()) >= MIN_SHOWN and word and all(r.word != word for r in reasons):
            reasons.append(Reason(gram.strip(), word, float(shares[index])))
    return tuple(reasons)


def _word_with(gram: str, words: Sequence[str]) -> str:
    """The first word whose space-padded form holds the n-gram (`char_wb` pads words)."""
    return next((w for w in words if gram in f" {w} "), "")
