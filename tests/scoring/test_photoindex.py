"""PhotoIndex returns exactly what a brute-force scan returns, whatever strategy the data picks."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.photoindex import PhotoIndex
from tests.scoring.photo_scan import brute_force


def _random(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, 2**64, size=n, dtype=np.uint64)


def _clustered(rng: np.random.Generator, n: int, photos: int) -> np.ndarray:
    hashes = _random(rng, photos)[rng.integers(0, photos, size=n)]
    for _ in range(6):
        flip = rng.random(n) < 0.6
        hashes[flip] ^= np.uint64(1) << rng.integers(0, 64, size=n).astype(np.uint64)[flip]
    return hashes


@pytest.mark.parametrize("strategy", ["auto", "mih", "clusters", "scan"])
@pytest.mark.parametrize("kind", ["random", "clustered"])
def test_identical_to_brute_force(kind: str, strategy: str) -> None:
    rng = np.random.default_rng(3)
    data = _random(rng, 30_000) if kind == "random" else _clustered(rng, 30_000, 40)
    index = PhotoIndex(data, radius=8, strategy=strategy)
    queries = np.concatenate([data[:50] ^ np.uint64(0b101), _random(rng, 20)])
    for query, found in zip(queries, index.query_many(queries), strict=True):
        assert np.array_equal(found, brute_force(data, int(query), 8))


def test_auto_chooses_by_data() -> None:
    rng = np.random.default_rng(4)
    assert PhotoIndex(_random(rng, 50_000)).strategy == "mih"
    assert PhotoIndex(_clustered(rng, 200_000, 200)).strategy == "clusters"
    # Few photos, thousands of variants each: answers run to thousands of positions, a scan wins.
    assert PhotoIndex(_clustered(rng, 50_000, 20)).strategy == "scan"


def test_duplicates_and_empty() -> None:
    data = np.array([5, 5, 7, 2**64 - 1], dtype=np.uint64)
    assert PhotoIndex(data).query(5).tolist() == [0, 1, 2]
    assert PhotoIndex(np.empty(0, dtype=np.uint64)).query(5).tolist() == []


@pytest.mark.parametrize("duplicated", [False, True])
def test_single_queries_and_other_radii_match_brute_force(duplicated: bool) -> None:
    rng = np.random.default_rng(5)
    data = _random(rng, 20_000)
    if duplicated:  # some re-uploads: values with several positions
        data[rng.integers(0, len(data), 500)] = data[rng.integers(0, len(data), 500)]
    index = PhotoIndex(data, radius=8, strategy="mih")
    queries = np.concatenate([data[:30] ^ np.uint64(0b110001), _random(rng, 5)])
    for query in queries:
        assert np.array_equal(index.query(int(query)), brute_force(data, int(query), 8))
        for radius in (0, 3, 11):
            expected = brute_force(data, int(query), radius)
            assert np.array_equal(index.query(int(query), radius), expected)
