"""Speed of the second opinion: training both heads, and ads read per second with their reasons.

Run `python bench/second_opinion.py [--ads N]`. Synthetic ads (the test corpus generator, made
longer with filler sentences), so the figures say how the classifier scales, not how good it is.
Figures are printed, never asserted: timings depend on the machine.
"""

# ruff: noqa: E402
from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds a scoring.py of its own: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import random
import time

from scoring.second_opinion import TrainingParams, fit, opinions
from tests.scoring.opinion_corpus import FILLERS, corpus_ads, minor_ads


def _texts(count: int, seed: int) -> tuple[list[str], list[int], list[int]]:
    """Texts made longer with filler, their worth-reading and minor-cue labels (1 in 10 minor)."""
    rng = random.Random(seed)
    ads = corpus_ads(seed, per_kind=count // 2 + 1)[: count - count // 10]
    ads += minor_ads(seed, count // 10)
    texts = [f"{ad['text']} " + " ".join(rng.choices(FILLERS, k=30)) for ad in ads]
    minor = [int("minor_cue" in ad["codes"]) for ad in ads]
    return texts, [int(bool(ad["codes"])) for ad in ads], minor


def main() -> None:
    """Print training time and reading speed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ads", type=int, default=5000, help="ads to read (training uses 1,000)")
    args = parser.parse_args()
    texts, labels, minor = _texts(1000, seed=1)
    start = time.perf_counter()
    model = fit(texts, labels, TrainingParams(), minor)
    took = time.perf_counter() - start
    print(f"training both heads on 1,000 ads: {took:.2f} s, {len(model.vocabulary)} features")
    unseen, _, _ = _texts(args.ads, seed=2)
    start = time.perf_counter()
    found = opinions(model, unseen, words=5)
    took = time.perf_counter() - start
    print(f"reading {len(unseen):,} ads (~{sum(map(len, unseen)) // len(unseen)} characters each) "
          f"with reasons: {took:.2f} s, {len(unseen) / took:,.0f} ads/s; "
          f"{sum(o.worth_reading for o in found):,} worth reading, "
          f"{sum(o.minor for o in found):,} minor cues")  # fmt: skip


if __name__ == "__main__":
    main()
