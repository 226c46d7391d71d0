"""Aggregate figures for a period, from the database, as plain dataclasses.

Definitions (docs/monitoring.md explains them for the officer):
- an ad is *seen* in the period when its first_seen..last_seen interval overlaps it;
- hits and tiers are those under the current rules version (that of the newest score);
- a network decision counts for the ads that were in the network when it was taken (each has its
  own row, `via_network`, which is also what takes it out of the review queue); it is counted once
  among the decisions;
- the funnel's stages are nested: seen ⊇ with hits ⊇ decided ⊇ forwarded ⊇ feedback received.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adwatch.monitoring.delays import Delay, decision_delay
from adwatch.monitoring.period import Period, month_of
from adwatch.storage.models import (
    DECISIONS,
    PARTNERS,
    Ad,
    AdVersion,
    CrawlRun,
    Decision,
    IndicatorHit,
    Score,
    Source,
)
from adwatch.storage.rulesversion import current_rules_version
from adwatch.vocabulary import FAILED_RUNS, NO_TIER, TIER_ORDER


@dataclass(frozen=True)
class WeekCount:
    """Ads seen in one ISO week, and how many of them were new that week."""

    week: str
    seen: int
    new: int


@dataclass(frozen=True)
class IndicatorMonths:
    """Distinct ads per month for which one indicator fired."""

    code: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class SourceRuns:
    """Crawl health of one source in the period."""

    name: str
    title: str
    runs: int
    failures: int
    alarms: int


@dataclass(frozen=True)
class Funnel:
    """Ads at each stage from seen to feedback received (each stage within the one before)."""

    seen: int
    with_hits: int
    decided: int
    forwarded: int
    feedback: int


@dataclass(frozen=True)
class Monitored:
    """Ads put on `monitoren` in the period, and how many of them changed afterwards."""

    monitored: int
    changed: int


@dataclass
class Figures:
    """Everything the dashboard and the report show for one period."""

    period: Period
    rules_version: str | None
    months: list[str]
    weeks: list[WeekCount]
    indicators: list[IndicatorMonths]
    tiers: dict[str, int]
    decisions: dict[str, int]
    forwards: dict[str, int]
    delay: Delay
    monitored: Monitored
    sources: list[SourceRuns]
    funnel: Funnel
    ad_total: int = 0


def collect(
    session: Session, period: Period, municipalities: Collection[str] | None = None
) -> Figures:
    """Every figure for the period: of the given municipalities' ads and decisions, or of all.
    Crawl runs are the installation's, shared by every municipality."""
    rules = current_rules_version(session)
    spans = _ad_spans(session, period, municipalities)
    seen = set(spans)
    hits = _hits(session, seen, rules)
    decisions = _decisions(session, period, municipalities)
    decided_ads = _ads_of(decisions)
    taken = [d for d in decisions if d.via_network is None]
    hit_ads = {ad for ad, _, _ in hits}
    return Figures(
        period=period,
        rules_version=rules,
        months=period.months(),
        weeks=weekly(spans, period),
        indicators=indicator_months(hits, period),
        tiers=_tiers(session, seen, rules),
        decisions=_count(taken, "status", DECISIONS),
        forwards=_count([d for d in taken if d.status == "doorzetten"], "partner", PARTNERS),
        delay=decision_delay(session, {a: d for a, d in decided_ads.items() if a in hit_ads}),
        monitored=_monitored(session, period, decisions),
        sources=source_runs(session, period),
        funnel=_funnel(seen, hit_ads, decided_ads),
        ad_total=len(seen),
    )


def _ad_spans(
    session: Session, period: Period, municipalities: Collection[str] | None
) -> dict[int, tuple[datetime, datetime]]:
    query = select(Ad.id, Ad.first_seen, Ad.last_seen).where(
        Ad.first_seen < period.end_utc, Ad.last_seen >= period.start_utc
    )
    if municipalities is not None:
        query = query.where(Ad.municipality.in_(municipalities))
    rows = session.execute(query)
    return {ad_id: (first, last) for ad_id, first, last in rows}


def weekly(spans: dict[int, tuple[datetime, datetime]], period: Period) -> list[WeekCount]:
    """Ads seen, and ads first seen, per ISO week of the period."""
    result = []
    for label, start, end in period.weeks():
        seen = sum(1 for first, last in spans.values() if first < end and last >= start)
        new = sum(1 for first, _ in spans.values() if start <= first < end)
        result.append(WeekCount(label, seen, new))
    return result


def _hits(session: Session, ads: set[int], rules: str | None) -> list[tuple[int, str, datetime]]:
    if rules is None or not ads:
        return []
    rows = session.execute(
        select(IndicatorHit.ad_id, IndicatorHit.code, AdVersion.seen_at)
        .join(AdVersion, AdVersion.id == IndicatorHit.ad_version_id)
        .where(IndicatorHit.rules_version == rules)
    )
    return [(ad, code, seen) for ad, code, seen in rows if ad in ads]


def indicator_months(
    hits: list[tuple[int, str, datetime]], period: Period
) -> list[IndicatorMonths]:
    """Per code, distinct ads per month of the version the hit was found in; busiest first."""
    months = period.months()
    ads: dict[tuple[str, str], set[int]] = defaultdict(set)
    for ad_id, code, seen in hits:
        # A hit on a version seen before the period still counts, in the period's first month.
        moment = max(seen, period.start_utc)
        if period.contains(moment):
            ads[(code, month_of(moment))].add(ad_id)
    codes = sorted({code for code, _ in ads})
    rows = [IndicatorMonths(c, tuple(len(ads[(c, m)]) for m in months)) for c in codes]
    return sorted(rows, key=lambda row: (-row.total, row.code))


def _tiers(session: Session, ads: set[int], rules: str | None) -> dict[str, int]:
    stored = dict(
        session.execute(select(Score.ad_id, Score.tier).where(Score.rules_version == rules)).all()
    )
    counted = Counter(stored.get(ad_id, NO_TIER) for ad_id in ads)
    return {tier: counted.get(tier, 0) for tier in TIER_ORDER}


def _decisions(
    session: Session, period: Period, municipalities: Collection[str] | None
) -> list[Decision]:
    query = select(Decision).where(
        Decision.created_at >= period.start_utc, Decision.created_at < period.end_utc
    )
    if municipalities is not None:
        query = query.where(Decision.municipality.in_(municipalities))
    return list(session.scalars(query))


def _count(decisions: list[Decision], attribute: str, keys: tuple[str, ...]) -> dict[str, int]:
    counted = Counter(getattr(d, attribute) or "onbekend" for d in decisions)
    ordered = {key: counted.pop(key, 0) for key in keys}
    return {**ordered, **dict(sorted(counted.items()))}


def _ads_of(decisions: list[Decision]) -> dict[int, list[Decision]]:
    """The decisions per ad: its own, and its rows of decisions on its network."""
    per_ad: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        if decision.ad_id is not None:
            per_ad[decision.ad_id].append(decision)
    return dict(per_ad)


def _monitored(session: Session, period: Period, decisions: list[Decision]) -> Monitored:
    since: dict[int, datetime] = {}
    for ad_id, found in _ads_of(decisions).items():
        times = [d.created_at for d in found if d.status == "monitoren"]
        if times:
            since[ad_id] = min(times)
    if not since:
        return Monitored(0, 0)
    latest = dict(
        session.execute(
            select(AdVersion.ad_id, func.max(AdVersion.seen_at))
            .where(AdVersion.ad_id.in_(since), AdVersion.seen_at < period.end_utc)
            .group_by(AdVersion.ad_id)
        ).all()
    )
    changed = sum(1 for ad_id, t in since.items() if ad_id in latest and latest[ad_id] > t)
    return Monitored(len(since), changed)


def source_runs(session: Session, period: Period) -> list[SourceRuns]:
    """Per configured source: runs started in the period, failed ones, and alarms raised."""
    runs = session.execute(
        select(CrawlRun.source_id, CrawlRun.status, CrawlRun.alarms).where(
            CrawlRun.started_at >= period.start_utc, CrawlRun.started_at < period.end_utc
        )
    ).all()
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for source_id, status, alarms in runs:
        counts = tally[source_id]
        counts[0] += 1
        counts[1] += status in FAILED_RUNS
        counts[2] += len(alarms or [])
    sources = session.execute(select(Source.id, Source.name, Source.title).order_by(Source.name))
    return [SourceRuns(name, title, *tally[sid]) for sid, name, title in sources]


def _funnel(
    seen: set[int],
    hit_ads: set[int],
    decided: dict[int, list[Decision]],
) -> Funnel:
    with_hits = seen & hit_ads
    decided_ads = with_hits & set(decided)
    forwarded = {a for a in decided_ads if any(d.status == "doorzetten" for d in decided[a])}
    feedback = {
        a for a in forwarded if any(d.status == "terugkoppeling_ontvangen" for d in decided[a])
    }
    return Funnel(len(seen), len(with_hits), len(decided_ads), len(forwarded), len(feedback))
