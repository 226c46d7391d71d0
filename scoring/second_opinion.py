"""The second opinion: a learned "worth reading" classifier beside the rules, with its reasons.

Character n-grams (2–5 letters, within words) weighted by TF-IDF, and a logistic regression on
them (scikit-learn). It reads spelling the phrase lists never saw — "nw in de stad", "19 jr",
"ff bellen voor haar" — because pieces of words carry the signal, not whole phrases. It never
changes a score: where it finds an ad worth reading that the rules left in `geen` or `laag`,
the officer sees "tweede mening: lees deze advertentie" and the n-grams that weighed most.

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

NGRAM_RANGE = (2, 5)
NORMALISATION = 2  # bump when `normalise` changes: a model trained on other text is refused
MIN_SHOWN = 3  # letters an n-gram needs to be shown as a reason
_LONG_NUMBER = re.compile(r"\d(?:[ .\-]?\d){5,}")  # six digits or more: phone numbers
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_REPEATS = re.compile(r"(\w)\1{2,}")


@dataclass(frozen=True)
class TrainingParams:
    """How a model is fitted; recorded in its provenance."""

    c: float = 16.0
    min_df: int = 2
    max_features: int = 40_000
    min_precision: float | None = None  # None: the rules' own precision on the training data


@dataclass(frozen=True)
class OpinionModel:
    """A fitted model as plain arrays: n-grams, their idf and weights, the bias and threshold."""

    vocabulary: tuple[str, ...]
    idf: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    provenance: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sizes = {len(self.vocabulary), self.idf.shape[0], self.coef.shape[0]}
        if len(sizes) != 1 or self.idf.ndim != 1 or self.coef.ndim != 1:
            raise ValueError("vocabulary, idf and coef must have one entry per n-gram")


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
    """The classifier's probability that an ad is worth reading, and why."""

    probability: float
    worth_reading: bool
    reasons: tuple[Reason, ...]


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


def vectorizer(vocabulary: Sequence[str] | None = None, *, min_df: int = 1, max_features=None):
    """The TF-IDF vectorizer of every model: fitted in training, rebuilt from a model's arrays."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    known = {gram: index for index, gram in enumerate(vocabulary)} if vocabulary else None
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        lowercase=False,
        preprocessor=normalise,
        sublinear_tf=True,
        min_df=min_df if known is None else 1,
        max_features=max_features if known is None else None,
        vocabulary=known,
        dtype=np.float64,
    )


def fit(texts: Sequence[str], labels: Sequence[int], params: TrainingParams) -> OpinionModel:
    """Fit vectorizer and regression; the threshold is set by the caller (0.5 until then)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) != 2:
        raise ValueError("training needs ads of both kinds: worth reading and not")
    vec = vectorizer(min_df=params.min_df, max_features=params.max_features)
    matrix = vec.fit_transform(texts)
    regression = LogisticRegression(
        C=params.c, class_weight="balanced", solver="liblinear", max_iter=1000
    )
    regression.fit(matrix, np.asarray(labels))
    return OpinionModel(
        vocabulary=tuple(vec.get_feature_names_out().tolist()),
        idf=np.asarray(vec.idf_, dtype=np.float64),
        coef=np.asarray(regression.coef_[0], dtype=np.float64),
        intercept=float(regression.intercept_[0]),
        threshold=0.5,
    )


def probabilities(model: OpinionModel, texts: Sequence[str]) -> np.ndarray:
    """The probability per text that it is worth reading."""
    matrix = _matrix(model, texts)
    return _sigmoid(matrix @ model.coef + model.intercept)


def opinions(
    model: OpinionModel,
    texts: Sequence[str],
    *,
    words: int = 5,
    threshold: float | None = None,
    explain: Sequence[bool] | None = None,
) -> list[Opinion]:
    """Probability, verdict against the threshold, and the strongest n-grams for every text
    found worth reading (only for those where `explain` is true, when it is given)."""
    cut = model.threshold if threshold is None else threshold
    matrix = _matrix(model, texts)
    scores = _sigmoid(matrix @ model.coef + model.intercept)
    wanted = [True] * len(texts) if explain is None else explain
    found = []
    for index, (text, probability) in enumerate(zip(texts, scores, strict=True)):
        worth = bool(probability >= cut)
        reasons = _reasons(model, matrix[index], text, words) if worth and wanted[index] else ()
        found.append(Opinion(float(probability), worth, reasons))
    return found


def disagrees(opinion: Opinion, rules_tier: str) -> bool:
    """The classifier finds the ad worth reading and the rules left it in `geen` or `laag`."""
    return opinion.worth_reading and rules_tier in QUIET_TIERS


def _matrix(model: OpinionModel, texts: Sequence[str]):
    vec = vectorizer(model.vocabulary)
    vec.idf_ = model.idf
    return vec.transform(list(texts))


def _sigmoid(values) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(values, dtype=np.float64), -500, 500)))


def _reasons(model: OpinionModel, row, text: str, limit: int) -> tuple[Reason, ...]:
    """The n-grams of 3+ letters with the largest positive share, one per word of the ad."""
    columns, values = row.indices, row.data
    shares = values * model.coef[columns]
    order = np.argsort(-shares)
    words = normalise(text).split()
    reasons: list[Reason] = []
    for index in order:
        if shares[index] <= 0 or len(reasons) >= limit:
            break
        gram = model.vocabulary[columns[index]]
        word = _word_with(gram, words)
        # Two letters ("de", "r ") say nothing the officer can read; such pieces still count.
        if len(gram.strip()) >= MIN_SHOWN and word and all(r.word != word for r in reasons):
            reasons.append(Reason(gram.strip(), word, float(shares[index])))
    return tuple(reasons)


def _word_with(gram: str, words: Sequence[str]) -> str:
    """The first word whose space-padded form holds the n-gram (`char_wb` pads words)."""
    return next((w for w in words if gram in f" {w} "), "")
