"""Time from an ad's first indicator hit to the officer's first decision on it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import Decision, IndicatorHit


@dataclass(frozen=True)
class Delay:
    """How many ads were timed, and the median and 90th percentile in hours."""

    ads: int
    median_hours: float | None
    p90_hours: float | None


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    """The middle value (mean of the two middle ones for an even count)."""
    ordered, half = sorted(values), len(values) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def decision_delay(session: Session, decided: dict[int, list[Decision]]) -> Delay:
    """Hours from first hit to first decision, over the ads first decided on in the period."""
    if not decided:
        return Delay(0, None, None)
    first_hit = dict(
        session.execute(
            select(IndicatorHit.ad_id, func.min(IndicatorHit.created_at))
            .where(IndicatorHit.ad_id.in_(decided))
            .group_by(IndicatorHit.ad_id)
        ).all()
    )
    first_ever = _first_decisions(session, set(decided))
    hours = []
    for ad_id, decisions in decided.items():
        decided_at = min(d.created_at for d in decisions)
        # Only the ad's first decision ever is timed; a later one is follow-up, not reaction time.
        if ad_id in first_hit and decided_at <= first_ever.get(ad_id, decided_at):
            delta = (decided_at - first_hit[ad_id]).total_seconds() / 3600
            if delta >= 0:  # hit rows rewritten after the decision say nothing about reaction time
                hours.append(delta)
    if not hours:
        return Delay(0, None, None)
    return Delay(len(hours), median(hours), percentile(hours, 0.9))


def _first_decisions(session: Session, ads: set[int]) -> dict[int, datetime]:
    return dict(
        session.execute(
            select(Decision.ad_id, func.min(Decision.created_at))
            .where(Decision.ad_id.in_(ads))
            .group_by(Decision.ad_id)
        ).all()
    )
