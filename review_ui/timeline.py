"""The geometry of the network timeline, drawn as SVG attributes (CSP forbids style attributes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from adwatch.timeutil import utcnow
from review_ui.views import MemberView

WIDTH = 800
LABEL = 170
ROW = 28


@dataclass(frozen=True)
class Bar:
    """One member's seen period as a bar."""

    ad_id: int
    label: str
    x: int
    y: int
    width: int
    gone: bool
    tier: str


@dataclass(frozen=True)
class Timeline:
    """Bars plus the axis's first and last date."""

    bars: list[Bar]
    start: datetime | None
    end: datetime | None
    width: int
    height: int


def timeline(members: Sequence[MemberView]) -> Timeline:
    """One bar per member from first seen to last seen (or gone)."""
    periods = [
        (m, m.ad.first_seen or utcnow(), m.ad.gone_at or m.ad.last_seen or utcnow())
        for m in members
    ]
    if not periods:
        return Timeline([], None, None, WIDTH, ROW)
    start = min(p[1] for p in periods)
    end = max(p[2] for p in periods)
    span = max((end - start).total_seconds(), 1.0)
    usable = WIDTH - LABEL - 10
    bars = []
    for row, (member, first, last) in enumerate(periods):
        x = LABEL + int(usable * (first - start).total_seconds() / span)
        width = max(6, int(usable * (last - first).total_seconds() / span))
        bars.append(
            Bar(
                member.ad.id,
                f"#{member.ad.id}",
                x,
                row * ROW + 4,
                width,
                member.ad.gone_at is not None,
                member.ad.tier,
            )
        )
    return Timeline(bars, start, end, WIDTH, len(bars) * ROW + 8)
