"""The second-opinion model on disk: plain JSON (numbers and strings), never a pickle.

A pickled scikit-learn model runs code when it is loaded, so a swapped file would run an
attacker's code. This file holds only the n-grams, their idf and weights, the bias, the threshold
and the provenance; loading parses JSON and checks every field. The file's SHA-256 is recorded
in the database at training, and a file whose hash differs is refused before it is parsed.
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
from scoring.second_opinion import NGRAM_RANGE, NORMALISATION, OpinionModel

FORMAT = "adwatch-second-opinion/1"
HASH_PREFIX = "sha256:"


class ModelRefused(AdwatchError):
    """A model file that is missing, altered since training, or not a model; nothing was loaded."""


class _ModelFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    format: str
    normalisation: int
    ngram_range: list[int]
    vocabulary: list[str] = Field(min_length=1)
    idf: list[float]
    coef: list[float]
    intercept: float
    threshold: float = Field(gt=0, le=1)
    provenance: dict[str, Any]

    @field_validator("idf", "coef")
    @classmethod
    def _finite(cls, values: list[float]) -> list[float]:
        if not all(math.isfinite(v) for v in values):
            raise ValueError("holds a value that is not a finite number")
        return values


def model_bytes(model: OpinionModel) -> bytes:
    """The model as canonical JSON bytes (sorted keys), so equal models hash equally."""
    body = {
        "format": FORMAT,
        "normalisation": NORMALISATION,
        "ngram_range": list(NGRAM_RANGE),
        "vocabulary": list(model.vocabulary),
        "idf": [float(v) for v in model.idf],
        "coef": [float(v) for v in model.coef],
        "intercept": float(model.intercept),
        "threshold": float(model.threshold),
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
    if tuple(body.ngram_range) != NGRAM_RANGE:
        raise ModelRefused(f"{path}: n-gram range {body.ngram_range} is not {NGRAM_RANGE}. {_FIX}")
    try:
        return OpinionModel(
            vocabulary=tuple(body.vocabulary),
            idf=np.asarray(body.idf, dtype=np.float64),
            coef=np.asarray(body.coef, dtype=np.float64),
            intercept=body.intercept,
            threshold=body.threshold,
            provenance=body.provenance,
        )
    except ValueError as exc:
        raise ModelRefused(f"{path}: {exc}. {_FIX}") from exc


_FIX = "Fix: run `adwatch opinion train --corpus DIR` to train and record a new model."
