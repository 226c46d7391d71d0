"""The second-opinion model on disk: plain JSON (numbers and strings), never a pickle.

A pickled scikit-learn model runs code when it is loaded, so a swapped file would run an
attacker's code. This file holds only the n-grams, their idf, per head the weights, bias and
threshold, and the provenance; loading parses JSON and checks every field. The file's SHA-256
is recorded in the database at training, and a file whose hash differs is refused before it is
parsed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from adwatch.errors import AdwatchError
from scoring.second_opinion import (
    HEADS,
    NGRAM_RANGE,
    NORMALISATION,
    WORD_NGRAM_RANGE,
    Head,
    OpinionModel,
)

FORMAT = "adwatch-second-opinion/2"
HASH_PREFIX = "sha256:"


class ModelRefused(AdwatchError):
    """A model file that is missing, altered since training, or not a model; nothing was loaded."""


def _all_finite(values: list[float]) -> list[float]:
    if not all(math.isfinite(v) for v in values):
        raise ValueError("holds a value that is not a finite number")
    return values


class _HeadFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    coef: list[float]
    intercept: float
    threshold: float = Field(gt=0, le=1)

    _finite = field_validator("coef")(_all_finite)


class _ModelFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    format: str
    normalisation: int
    ngram_range: list[int]
    word_ngram_range: list[int]
    vocabulary: list[str] = Field(min_length=1)
    idf: list[float]
    heads: dict[str, _HeadFile]
    provenance: dict[str, Any]

    _finite = field_validator("idf")(_all_finite)


def model_bytes(model: OpinionModel) -> bytes:
    """The model as canonical JSON bytes (sorted keys), so equal models hash equally."""
    body = {
        "format": FORMAT,
        "normalisation": NORMALISATION,
        "ngram_range": list(NGRAM_RANGE),
        "word_ngram_range": list(WORD_NGRAM_RANGE),
        "vocabulary": list(model.vocabulary),
        "idf": [float(v) for v in model.idf],
        "heads": {
            name: {
                "coef": [float(v) for v in head.coef],
                "intercept": float(head.intercept),
                "threshold": float(head.threshold),
            }
            for name, head in model.heads.items()
        },
        "provenance": model.provenance,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """`sha256:<hex>` of the bytes: the algorithm travels with the value."""
    return HASH_PREFIX + hashlib.sha256(data).hexdigest()


def save_model(model: OpinionModel, path: Path) -> str:
    """Write the model atomically (temporary file, fsync, rename); returns its hash."""
    data = model_bytes(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return sha256_hex(data)


def load_model(path: Path, expected_sha256: str) -> OpinionModel:
    """The model in `path`, only when its bytes hash to `expected_sha256`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelRefused(f"{path}: cannot read the second-opinion model ({exc}). {_FIX}") from exc
    found = sha256_hex(data)
    if found != expected_sha256:
        raise ModelRefused(
            f"{path}: the second-opinion model's hash {found} is not the {expected_sha256} "
            f"recorded when it was trained; the file was changed or replaced. {_FIX}"
        )
    return parse_model(data, path)


def parse_model(data: bytes, path: Path) -> OpinionModel:
    """Parse and check model bytes (already trusted by hash)."""
    try:
        body = _ModelFile.model_validate(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, ValidationError) as exc:
        raise ModelRefused(f"{path}: not a second-opinion model ({exc}). {_FIX}") from exc
    if body.format != FORMAT or body.normalisation != NORMALISATION:
        raise ModelRefused(f"{path}: model format {body.format} is not {FORMAT}. {_FIX}")
    if not set(body.heads) <= set(HEADS):
        raise ModelRefused(f"{path}: unknown heads {sorted(set(body.heads) - set(HEADS))}. {_FIX}")
    ranges = (tuple(body.ngram_range), tuple(body.word_ngram_range))
    if ranges != (NGRAM_RANGE, WORD_NGRAM_RANGE):
        raise ModelRefused(f"{path}: n-gram ranges {ranges} are not this version's. {_FIX}")
    try:
        return OpinionModel(
            vocabulary=tuple(body.vocabulary),
            idf=np.asarray(body.idf, dtype=np.float64),
            heads={
                name: Head(np.asarray(head.coef, dtype=np.float64), head.intercept, head.threshold)
                for name, head in body.heads.items()
            },
            provenance=body.provenance,
        )
    except ValueError as exc:
        raise ModelRefused(f"{path}: {exc}. {_FIX}") from exc


_FIX = "Fix: run `adwatch opinion train --corpus DIR` to train and record a new model."
