"""Score and tier, the last scoring step: configured weights summed per ad, one tier per score.

Each indicator code counts once per ad, whatever the number of its evidence items. Any `minor_cue`
(one that survived negation, quotes and unit checks) puts the ad in tier `hoog`; otherwise `hoog`
needs the score and at least two distinct indicators, so one phrase never makes an ad urgent.
The score only orders the officer's queue; it decides nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from adwatch.vocabulary import Tier
from scoring.hits import Hit
from scoring.rules import Rules

MIN_HOOG_CODES = 2


@dataclass(frozen=True)
class Score:
    """An ad's score, its tier, the codes that made it, and the rules version that produced it."""

    value: float
    tier: Tier
    codes: tuple[str, ...]
    rules_version: str


def tier_for(value: float, codes: Iterable[str], rules: Rules) -> Tier:
    """The tier of a score: `hoog` for any minor_cue, else by the configured thresholds (and
    `hoog` only with two indicators or more)."""
    codes = tuple(codes)
    if "minor_cue" in codes or (value >= rules.tiers.hoog and len(set(codes)) >= MIN_HOOG_CODES):
        return "hoog"
    if value >= rules.tiers.middel:
        return "middel"
    return "laag" if value > 0 else "geen"


def score_ad(hits: Iterable[Hit], rules: Rules) -> Score:
    """Sum the weights of the distinct indicator codes among `hits` and assign the tier."""
    weights: dict[str, float] = {}
    for hit in hits:
        weights[hit.code] = rules.weight(hit.code)
    codes = tuple(sorted(weights))
    value = round(sum(weights.values()), 3)
    return Score(value, tier_for(value, codes, rules), codes, rules.version)
