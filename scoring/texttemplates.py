"""Near-duplicate ad texts: MinHash LSH candidates, Jaccard check, and the shared template.

`similar_pairs(texts)` shingles each text into word n-grams, computes MinHash signatures for all
texts at once with numpy (64 hash functions over 64-bit shingle hashes), bands them as
`datasketch.MinHashLSH` would for a threshold below the wanted Jaccard (so few true pairs are
missed), and keeps candidate pairs whose estimated Jaccard reaches the threshold.
`shared_template(texts)` aligns a group's texts token by token (as InfoShield does) and returns
the template, with `{…}` where the texts differ, and the varying parts of each text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher
from itertools import count

import numpy as np
from datasketch.lsh import _optimal_param

NUM_PERM = 64
_SEED = 1
_CHUNK_SHINGLES = 1 << 13
_MIX = np.uint64(0x9E3779B97F4A7C15)
SLOT = "{…}"
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r"\S+")


def shingles(text: str, size: int) -> set[bytes]:
    """Word n-grams of the lower-cased text, as bytes for MinHash."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a or b else 0.0


def similar_pairs(
    texts: Sequence[str], threshold: float, size: int = 3
) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) whose estimated Jaccard is at least `threshold`, with the estimate."""
    first, second, estimates = similar_pair_arrays(texts, threshold, size)
    return list(zip(first.tolist(), second.tolist(), estimates.tolist(), strict=True))


def similar_pair_arrays(
    texts: Sequence[str], threshold: float, size: int = 3
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`similar_pairs` as three arrays (i, j, estimate): a tenth of the memory of the tuples,
    which counts when near-duplicates run to millions of pairs."""
    signatures, empty = signatures_of(texts, size)
    # The LSH threshold sits below the wanted one so pairs just above it are rarely missed.
    bands, rows = _optimal_param(max(0.3, threshold - 0.2), NUM_PERM, 0.5, 0.5)
    kept = _similar_keys(signatures, np.flatnonzero(~empty), bands, rows, threshold)
    first, second = np.divmod(kept, len(texts))
    return first, second, _estimates(signatures, first, second)


def _estimates(signatures: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Estimated Jaccard of each pair (first[k], second[k]): the share of equal MinHash values."""
    estimates = np.empty(len(first))
    for start in range(0, len(first), 1 << 16):
        part = slice(start, start + (1 << 16))
        same = signatures[first[part]] == signatures[second[part]]
        estimates[part] = np.count_nonzero(same, axis=1) / NUM_PERM
    return estimates


def signatures_of(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (texts x NUM_PERM, uint32) of word n-grams, and which texts are empty.

    Words get ids in the order first seen, an n-gram is a 64-bit mix of its word ids, and hash
    function k is the high 32 bits of (n-gram * a_k + b_k) with random odd a_k: min-wise hashing
    in numpy, for all texts at once. The signatures live only for one call.
    """
    vocabulary: defaultdict[str, int] = defaultdict(count().__next__)  # ids in order first seen
    grams: list[np.ndarray] = []
    for text in texts:
        ids = np.array([vocabulary[w] for w in _WORD.findall(text.lower())], dtype=np.uint64)
        grams.append(_gram_hashes(ids, size))
    counts = np.array([len(g) for g in grams], dtype=np.int64)
    signatures = np.full((len(texts), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    rng = np.random.default_rng(_SEED)
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    first = 0
    while first < len(texts):
        last, total = first, 0
        while last < len(texts) and (last == first or total + counts[last] <= _CHUNK_SHINGLES):
            total += counts[last]
            last += 1
        chunk = [i for i in range(first, last) if counts[i]]
        if chunk:
            values = np.concatenate([grams[i] for i in chunk])
            # In place, in one cache-sized buffer: (value * a + b) >> 32, then the minimum per text.
            hashed = np.multiply(a[:, None], values[None, :])
            hashed += b[:, None]
            hashed >>= np.uint64(32)
            starts = np.concatenate(([0], np.cumsum(counts[chunk])[:-1]))
            signatures[chunk] = np.minimum.reduceat(hashed, starts, axis=1).T
        first = last
    return signatures, counts == 0


def _gram_hashes(ids: np.ndarray, size: int) -> np.ndarray:
    """Distinct 64-bit hashes of the word n-grams (all words as one when there are fewer)."""
    if not len(ids):
        return ids
    count = max(1, len(ids) - size + 1)
    width = min(size, len(ids))
    mixed = np.full(count, width, dtype=np.uint64)
    for k in range(width):
        mixed = (mixed ^ ids[k : k + count]) * _MIX
        mixed ^= mixed >> np.uint64(29)
    mixed.sort()
    return mixed[np.concatenate(([True], mixed[1:] != mixed[:-1]))]


def _similar_keys(
    signatures: np.ndarray, rows_used: np.ndarray, bands: int, rows: int, threshold: float
) -> np.ndarray:
    """Distinct pairs i * n + j (i < j) that agree on a whole band and reach the threshold.

    Candidates are checked as each band yields them and only the similar ones are kept: when
    many texts share sentences the candidates grow with the square of the texts (millions at
    10,000 ads), the similar pairs far less.
    """
    n = len(signatures)
    found: list[np.ndarray] = []
    for band in range(bands):
        for low, high in _band_pairs(signatures[:, band * rows : (band + 1) * rows], rows_used):
            close = _estimates(signatures, low, high) >= threshold
            found.append(low[close].astype(np.int64) * n + high[close])
    return _distinct(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


def _band_pairs(band: np.ndarray, rows_used: np.ndarray):
    """(low, high) arrays of texts whose values agree on this band, one gap at a time."""
    part = band[rows_used]
    order = np.lexsort(part.T[::-1])
    ordered = part[order]
    group = np.concatenate(([0], np.cumsum(np.any(ordered[1:] != ordered[:-1], axis=1))))
    members = rows_used[order]
    # Members of a group are adjacent: pair each with those `gap` places further on.
    for gap in range(1, len(members)):
        same = group[:-gap] == group[gap:]
        if not same.any():
            break
        low, high = members[:-gap][same], members[gap:][same]
        yield np.minimum(low, high), np.maximum(low, high)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values, as `np.unique` gives; a sort is ~10x faster than its hash path."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def shared_template(texts: Sequence[str]) -> tuple[str, list[tuple[str, ...]]]:
    """The template common to all texts, and per text the parts that differ from it.

    One text at a time: a group can hold tens of thousands of texts, and only their varying
    parts are kept, not their tokens and match masks.
    """
    reference = _TOKEN.findall(texts[0])
    common = [True] * len(reference)
    varying: list[tuple[str, ...]] = [()]  # the reference's, once the template is known
    for text in texts[1:]:
        other = _TOKEN.findall(text)
        in_reference, in_other = _matching(reference, other)
        common = [c and m for c, m in zip(common, in_reference, strict=True)]
        varying.append(_varying(other, None, in_other))
    varying[0] = _varying(reference, common, None)
    return _render(reference, common), varying


def _matching(reference: list[str], other: list[str]) -> tuple[list[bool], list[bool]]:
    in_ref, in_other = [False] * len(reference), [False] * len(other)
    matcher = SequenceMatcher(a=reference, b=other, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            in_ref[block.a + k] = True
            in_other[block.b + k] = True
    return in_ref, in_other


def _render(tokens: list[str], keep: list[bool]) -> str:
    out: list[str] = []
    for token, kept in zip(tokens, keep, strict=True):
        if kept:
            out.append(token)
        elif not out or out[-1] != SLOT:
            out.append(SLOT)
    return " ".join(out)


def _varying(
    tokens: list[str], common: list[bool] | None, matched: list[bool] | None
) -> tuple[str, ...]:
    keep = common if common is not None else matched or []
    parts: list[str] = []
    run: list[str] = []
    for token, kept in zip(tokens, keep, strict=True):
        if not kept:
            run.append(token)
        elif run:
            parts.append(" ".join(run))
            run = []
    if run:
        parts.append(" ".join(run))
    return tuple(parts)
