"""Near-duplicate ad texts: MinHash LSH candidates, Jaccard check, and the shared template.

`similar_pairs(texts)` shingles each text into word n-grams, builds MinHashes in bulk
(`MinHash.bulk`), queries a `MinHashLSH` built below the wanted Jaccard so few true pairs are
missed, and keeps pairs whose estimated Jaccard reaches the threshold. `shared_template(texts)`
aligns a group's texts token by token (as InfoShield does) and returns the template, with `{…}`
where the texts differ, and the varying parts of each text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
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


def minhashes(texts: Sequence[str], size: int) -> list[MinHash]:
    """One MinHash per text, computed in bulk."""
    return MinHash.bulk([sorted(shingles(t, size)) for t in texts], num_perm=NUM_PERM)


def similar_pairs(
    texts: Sequence[str], threshold: float, size: int = 3
) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) whose estimated Jaccard is at least `threshold`, with the estimate."""
    hashes = minhashes(texts, size)
    # The LSH threshold sits below the wanted one so pairs just above it are rarely missed.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=NUM_PERM)
    pairs: list[tuple[int, int, float]] = []
    for i, minhash in enumerate(hashes):
        if minhash.is_empty():
            continue
        for j in lsh.query(minhash):
            estimate = minhash.jaccard(hashes[j])
            if estimate >= threshold:
                pairs.append((j, i, estimate))
        lsh.insert(i, minhash)
    return sorted(pairs)


def shared_template(texts: Sequence[str]) -> tuple[str, list[tuple[str, ...]]]:
    """The template common to all texts, and per text the parts that differ from it."""
    tokens = [_TOKEN.findall(t) for t in texts]
    reference = tokens[0]
    common = [True] * len(reference)
    blocks = [_matching(reference, other) for other in tokens[1:]]
    for matched in blocks:
        common = [c and m for c, m in zip(common, matched[0], strict=True)]
    template = _render(reference, common)
    varying = [_varying(reference, common, None)]
    varying += [
        _varying(other, None, matched[1]) for other, matched in zip(tokens[1:], blocks, strict=True)
    ]
    return template, varying


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
