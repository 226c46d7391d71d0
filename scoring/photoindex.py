"""A Hamming-radius index over 64-bit perceptual hashes: `photo_reuse` without comparing all pairs.

Two layers, both numpy:
- duplicates collapse first: many stored hashes are identical (the same photo re-uploaded, resized,
  re-compressed), so the index works on the distinct values and expands matches to positions;
- multi-index hashing (Norouzi et al.): the 64 bits are split into 3 chunks; two hashes within
  radius r differ in at most r // 3 bits on at least one chunk, so a query looks up the chunk values
  within that distance in a bucket table (CSR arrays), then verifies candidates with
  `np.bitwise_count`. `query_many` does this for a batch of queries in a few numpy calls.
`strategy="auto"` measures the candidate counts of sample queries on the data itself and falls back
to a plain vectorised scan when the buckets are so crowded (few photos, many variants) that
multi-index hashing would touch most of the index anyway. Answers are identical either way.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations
from typing import Literal

import numpy as np

Strategy = Literal["auto", "mih", "clusters", "scan"]
Chosen = Literal["mih", "clusters", "scan"]
# Three chunks (21 + 21 + 22 bits): a radius of 8 leaves at most 2 differing bits in some chunk, so
# a query looks up about 720 chunk values, each bucket holding n / 2**21 values on random data.
_CHUNK_BITS = (21, 21, 22)
_SAMPLE_QUERIES = 64
# A candidate costs a gather plus a verify, about this many times one element of a plain scan.
_CANDIDATE_COST = 6.0
# Leaders cover values up to radius + this many bits away: fewer leaders, a few more candidates.
_CLUSTER_SLACK = 4
_BATCH = 8192
# An answer position costs a gather and a share of a sort: about this many elements of a scan.
_MATCH_COST = 80.0
_COST_SAMPLE = 16


@cache
def _flip_masks(bits: int, radius: int) -> np.ndarray:
    masks = [0]
    for r in range(1, radius + 1):
        masks.extend(sum(1 << b for b in combo) for combo in combinations(range(bits), r))
    return np.array(masks, dtype=np.int64)


class PhotoIndex:
    """Positions of stored 64-bit hashes within a Hamming radius of a query."""

    def __init__(self, hashes: np.ndarray, radius: int = 8, strategy: Strategy = "auto") -> None:
        self.radius = radius
        self.size = len(hashes)
        self._hashes = np.asarray(hashes, dtype=np.uint64)
        self._direct: np.ndarray | None = None
        values, inverse = np.unique(self._hashes, return_inverse=True)
        self._values = values
        self._member_order = np.argsort(inverse, kind="stable").astype(np.int64)
        self._member_offsets = np.searchsorted(
            inverse[self._member_order], np.arange(len(values) + 1)
        )
        self._shifts = np.cumsum((0, *_CHUNK_BITS[:-1]))
        self._tables: list[tuple[np.ndarray, np.ndarray]] = []
        self._bases: list[int] = []
        self._probe_cache: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._shift_array = np.array(np.cumsum((0, *_CHUNK_BITS[:-1])), dtype=np.uint64)
        self._mask_array = np.array([(1 << b) - 1 for b in _CHUNK_BITS], dtype=np.uint64)
        self._clusters: Clusters | None = None
        self.strategy: Chosen = self._choose(strategy)
        del self._hashes

    def _chunk_keys(self, values: np.ndarray, chunk: int) -> np.ndarray:
        mask = np.uint64((1 << _CHUNK_BITS[chunk]) - 1)
        return ((values >> np.uint64(self._shifts[chunk])) & mask).astype(np.int64)

    def _chunk_table(self, chunk: int) -> tuple[np.ndarray, np.ndarray]:
        keys = self._chunk_keys(self._values, chunk)
        order = np.argsort(keys, kind="stable").astype(np.int32)
        bounds = np.arange((1 << _CHUNK_BITS[chunk]) + 1)
        return order, np.searchsorted(keys[order], bounds).astype(np.int32)

    def _build_tables(self) -> None:
        """The chunk tables as one: value ids by chunk key, and bucket bounds into them.

        Chunk c's bucket for key k spans `_order[_offsets[base_c + k] : _offsets[base_c + k + 1]]`,
        so a query's look-ups in every chunk are one gather.
        """
        orders, offsets, bases = [], [], []
        base = 0
        for chunk in range(len(_CHUNK_BITS)):
            order, bounds = self._chunk_table(chunk)
            orders.append(order)
            offsets.append(bounds[:-1] + chunk * len(self._values))
            bases.append(base)
            base += len(bounds) - 1
        offsets.append(np.array([len(_CHUNK_BITS) * len(self._values)], dtype=np.int32))
        self._tables = [(np.concatenate(orders), np.concatenate(offsets))]
        self._bases = bases

    def _probes(self, radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per look-up of one query: its chunk, the bits it flips, and its chunk's table base."""
        cached = self._probe_cache.get(radius)
        if cached is None:
            chunks, masks, bases = [], [], []
            for chunk, bits in enumerate(_CHUNK_BITS):
                flips = _flip_masks(bits, radius // len(_CHUNK_BITS))
                chunks.append(np.full(len(flips), chunk))
                masks.append(flips)
                bases.append(np.full(len(flips), self._bases[chunk], dtype=np.int64))
            cached = (np.concatenate(chunks), np.concatenate(masks), np.concatenate(bases))
            self._probe_cache[radius] = cached
        return cached

    def _choose(self, strategy: Strategy) -> Chosen:
        if strategy in ("auto", "clusters") and len(self._values) >= 4096:
            spread = self.radius + _CLUSTER_SLACK
            self._clusters = Clusters.build(self._values, spread, len(self._values) // 256)
            if strategy == "clusters":
                return "clusters" if self._clusters is not None else "scan"
            if self._clusters is not None:
                # Few photos with many variants each: a query's nearby clusters may hold a large
                # share of the index and its answers run to thousands of positions, which cost
                # a gather and a sort each; then a plain scan of the positions is cheaper.
                if self._cluster_cost() > self.size:
                    self._clusters = None
                    return self._scan()
                return "clusters"
        if strategy == "scan" or (strategy == "auto" and len(self._values) < 4096):
            return self._scan()
        self._build_tables()
        if strategy == "mih":
            return "mih"
        sample = self._sample()
        _, candidates = self._candidates(sample, self.radius)
        mean = len(candidates) / len(sample)
        if mean * _CANDIDATE_COST > len(self._values):
            self._tables = []
            return self._scan()
        return "mih"

    def _scan(self) -> Chosen:
        # Mostly distinct hashes: scan the positions themselves and skip expanding values.
        if len(self._values) * 2 > self.size:
            self._direct = self._hashes
        return "scan"

    def _cluster_cost(self) -> float:
        """Estimated cost of a clusters query, in elements of a plain scan, from sample queries."""
        assert self._clusters is not None
        sample = self._sample()[:_COST_SAMPLE]
        owners, values = self._clusters.candidates(sample, self.radius)
        close = values[np.bitwise_count(self._values[values] ^ sample[owners]) <= self.radius]
        matches = self._member_offsets[close + 1] - self._member_offsets[close]
        per_query = len(values) * _CANDIDATE_COST + int(matches.sum()) * _MATCH_COST
        return per_query / len(sample)

    def _sample(self) -> np.ndarray:
        rng = np.random.default_rng(0)
        return rng.choice(self._values, size=min(_SAMPLE_QUERIES, len(self._values)), replace=False)

    def _candidates(self, queries: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
        """(query number, value id) pairs with a chunk within radius // chunks bits of the query.

        A value may come up once per chunk it is close on: pairs can repeat.
        """
        order, offsets = self._tables[0]
        chunks, masks, bases = self._probes(radius)
        keys = ((queries[:, None] >> self._shift_array) & self._mask_array).astype(np.int64)
        slots = ((keys[:, chunks] ^ masks) + bases).ravel()
        starts, ends = offsets[slots], offsets[slots + 1]
        if len(queries) == 1:  # one query owns every candidate: skip working out whose
            positions = _positions(starts, ends)
            return np.zeros(len(positions), dtype=np.int64), order[positions].astype(np.int64)
        positions, which = _ranges(starts, ends)
        return which // len(masks), order[positions].astype(np.int64)

    def _matching_values(self, queries: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
        if self.strategy == "scan":
            pairs = [np.flatnonzero(np.bitwise_count(self._values ^ q) <= radius) for q in queries]
            owners = np.repeat(np.arange(len(queries)), [len(p) for p in pairs])
            return owners, np.concatenate(pairs) if pairs else np.empty(0, dtype=np.int64)
        if self.strategy == "clusters" and self._clusters is not None:
            # Each value sits in one cluster, so the pairs are already distinct.
            owners, values = self._clusters.candidates(queries, radius)
        else:
            # Verify first, then drop the repeats among the few that are close.
            owners, values = self._candidates(queries, radius)
            close = np.bitwise_count(self._values[values] ^ queries[owners]) <= radius
            pair_keys = _distinct(owners[close] * len(self._values) + values[close])
            return np.divmod(pair_keys, len(self._values))
        close = np.bitwise_count(self._values[values] ^ queries[owners]) <= radius
        return owners[close], values[close]

    def query_many(self, queries: np.ndarray, radius: int | None = None) -> list[np.ndarray]:
        """For each query hash, the sorted positions of stored hashes within `radius`."""
        queries = np.asarray(queries, dtype=np.uint64)
        radius = self.radius if radius is None else radius
        if not len(self._values) or not len(queries):
            return [np.empty(0, dtype=np.int64) for _ in queries]
        if self._direct is not None:
            return [np.flatnonzero(np.bitwise_count(self._direct ^ q) <= radius) for q in queries]
        owners, values = self._matching_values(queries, radius)
        if len(self._values) == self.size:  # all distinct: one position per value
            members = self._member_order[values]
        else:
            positions, which = _ranges(
                self._member_offsets[values], self._member_offsets[values + 1]
            )
            owners, members = owners[which], self._member_order[positions]
        ordered = np.sort(owners * self.size + members)
        owner_of, member_of = np.divmod(ordered, self.size)
        bounds = np.searchsorted(owner_of, np.arange(len(queries) + 1))
        return [member_of[bounds[i] : bounds[i + 1]] for i in range(len(queries))]

    def query(self, query: int, radius: int | None = None) -> np.ndarray:
        """Sorted positions of stored hashes within `radius` (default: the index's) of `query`."""
        return self.query_many(np.array([query], dtype=np.uint64), radius)[0]

    @property
    def nbytes(self) -> int:
        """Memory held by the index's arrays."""
        arrays = [self._values, self._member_order, self._member_offsets]
        arrays += [self._direct] if self._direct is not None else []
        arrays += [a for table in self._tables for a in table]
        extra = self._clusters.nbytes if self._clusters is not None else 0
        return sum(a.nbytes for a in arrays) + extra


class Clusters:
    """Leader clustering for clustered data: every value lies within `spread` of its leader."""

    def __init__(self, leaders: np.ndarray, order: np.ndarray, offsets: np.ndarray, spread: int):
        self.leaders, self.order, self.offsets, self.spread = leaders, order, offsets, spread

    @classmethod
    def build(cls, values: np.ndarray, spread: int, max_leaders: int) -> Clusters | None:
        """Greedy leaders over `values`, or None when the data has more than `max_leaders`."""
        owner = np.full(len(values), -1, dtype=np.int64)
        leaders: list[int] = []
        for start in range(0, len(values), _BATCH):
            if not _assign_batch(values, owner, leaders, start, spread, max_leaders):
                return None
        order = np.argsort(owner, kind="stable")
        offsets = np.searchsorted(owner[order], np.arange(len(leaders) + 1))
        return cls(values[np.array(leaders, dtype=np.int64)], order, offsets, spread)

    def candidates(self, queries: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
        """(query number, value id) pairs from every cluster whose leader could hold a match."""
        near = np.bitwise_count(queries[:, None] ^ self.leaders[None, :]) <= radius + self.spread
        owners, clusters = np.nonzero(near)
        positions, which = _ranges(self.offsets[clusters], self.offsets[clusters + 1])
        return owners[which], self.order[positions]

    @property
    def nbytes(self) -> int:
        """Memory held by the clustering."""
        return self.leaders.nbytes + self.order.nbytes + self.offsets.nbytes


def _assign_batch(
    values: np.ndarray, owner: np.ndarray, leaders: list[int], start: int, spread: int, limit: int
) -> bool:
    batch = values[start : start + _BATCH]
    if leaders:
        distances = np.bitwise_count(batch[:, None] ^ values[np.array(leaders)][None, :])
        best = distances.argmin(axis=1)
        close = distances[np.arange(len(batch)), best] <= spread
        owner[start : start + len(batch)][close] = best[close]
    for offset in np.flatnonzero(owner[start : start + len(batch)] < 0):
        if owner[start + offset] >= 0:
            continue
        if len(leaders) >= limit:
            return False
        leaders.append(start + int(offset))
        rest = owner[start + offset : start + len(batch)]
        near = np.bitwise_count(batch[offset:] ^ batch[offset]) <= spread
        rest[near & (rest < 0)] = len(leaders) - 1
    return True


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values, as `np.unique` gives; a sort is ~10x faster than its hash path."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def hex_to_array(hashes: list[str]) -> np.ndarray:
    """ "phash:<hex>" strings as a uint64 array."""
    return np.array([int(h.partition(":")[2], 16) for h in hashes], dtype=np.uint64)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated arange(s, e) for every pair, and for each element the pair it came from."""
    lengths = ends - starts
    total = int(lengths.sum())
    which = np.repeat(np.arange(len(starts)), lengths)
    if total == 0:
        return np.empty(0, dtype=np.int64), which
    shifts = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return shifts + np.arange(total), which


def _positions(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenated arange(s, e) for every pair (`_ranges` without the owners)."""
    lengths = ends - starts
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    if not len(lengths):
        return np.empty(0, dtype=np.int64)
    shifts = np.repeat(starts.astype(np.int64) - np.cumsum(lengths) + lengths, lengths)
    return shifts + np.arange(len(shifts))
