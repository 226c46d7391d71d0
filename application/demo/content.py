"""The seeded ad generator: two crawl days of demo ads with ground-truth labels; plain data, no I/O.

`build_content(seed)` is deterministic: the same seed gives the same ads, ids, phones and image
specs. Day 2 is derived from day 1 (ads added, removed, edited, phone numbers rotated).
"""

from __future__ import annotations

from application.demo import patterns
from application.demo.builder import AdBuilder
from application.demo.records import (
    DAY_DATES,
    REGIONS,
    DayChanges,
    DemoAd,
    DemoContent,
    ImageSpec,
)

__all__ = [
    "DAY_DATES",
    "REGIONS",
    "DayChanges",
    "DemoAd",
    "DemoContent",
    "ImageSpec",
    "build_content",
]

MIN_ADS = 100


def build_content(seed: int = 2026, n_ads: int = 150) -> DemoContent:
    """Generate both demo days from `seed`; `n_ads` is the number of ads on day 1."""
    if n_ads < MIN_ADS:
        raise ValueError(f"n_ads must be at least {MIN_ADS} to hold every pattern, got {n_ads}")
    b = AdBuilder(seed)
    day1 = b.assign_ids([b.ad(spec, **kw) for spec, kw in patterns.day_one(b, n_ads)], DAY_DATES[1])
    day2, changes = patterns.day_two(b, day1)
    return DemoContent(seed, {1: tuple(day1), 2: tuple(day2)}, dict(b.images), changes)
