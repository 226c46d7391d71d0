"""The review queue: open ads first by tier, then by score, with filters and counts per tier."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import Ad, AdVersion, Decision, IndicatorHit, Score, Source
from adwatch.storage.rulesversion import current_rules_version
from adwatch.vocabulary import SHOWN_TIERS, TIER_ORDER
from review_ui.queries.summaries import summaries_of
from review_ui.views import QueueFilter, QueuePage

PAGE_SIZE = 50
# The page query walks a tier in score order and checks each ad for the indicator (EXISTS on
# ix_indicator_hit_ad_rules_code) when it expects to visit at most this many rows; a rare code is
# cheaper as one set of ids (IN) than as a walk over a whole tier.
WALK_LIMIT = 5_000


def _latest_ad_decisions() -> Any:
    newest = (
        select(func.max(Decision.id)).where(Decision.ad_id.is_not(None)).group_by(Decision.ad_id)
    )
    return (
        select(Decision.ad_id, Decision.status, Decision.created_at)
        .where(Decision.id.in_(newest))
        .subquery()
    )


def _status_ids(status: str) -> tuple[bool, Any]:
    """(wanted, ids): the status selects the ads in `ids` when wanted, else the ads not in it.

    Decisions are few next to ads, so each status is a set of ids SQLite builds once per query
    from the decision table, instead of correlated subqueries run for every scored ad.
    """
    if status == "nieuw":
        return False, select(Decision.ad_id).where(Decision.ad_id.is_not(None))
    latest = _latest_ad_decisions()
    if status == "open":  # closed: decided (on the ad or through its network), unchanged since
        changed = exists().where(
            AdVersion.ad_id == latest.c.ad_id, AdVersion.seen_at > latest.c.created_at
        )
        return False, select(latest.c.ad_id).where(~changed)
    return True, select(latest.c.ad_id).where(latest.c.status == status)


def closed_ads_query() -> Any:
    """The ids of ads out of the open queue: decided, and no version seen since."""
    return _status_ids("open")[1]


def _has_other_filters(flt: QueueFilter) -> bool:
    return bool(
        flt.indicator
        or flt.place
        or flt.source
        or flt.seen_from
        or flt.seen_to
        or flt.municipalities
    )


def _filtered(query: Any, flt: QueueFilter, rules: str, walk: bool = False) -> Any:
    # Driven from score; ad and source are joined only when a filter needs them. The status is
    # left to the caller. `walk`: the query walks ix_score_queue in order and stops early, so the
    # indicator is checked per ad instead of building the set of every ad with the code.
    query = query.where(Score.rules_version == rules, Score.tier.in_(SHOWN_TIERS))
    if flt.tier:
        query = query.where(Score.tier == flt.tier)
    if flt.indicator:
        hit = (IndicatorHit.rules_version == rules, IndicatorHit.code == flt.indicator)
        if walk:
            query = query.where(exists().where(IndicatorHit.ad_id == Score.ad_id, *hit))
        else:
            query = query.where(Score.ad_id.in_(select(IndicatorHit.ad_id).where(*hit)))
    if flt.place:
        place = flt.place.strip().lower()
        query = query.where(
            Score.ad_id.in_(select(AdVersion.ad_id).where(func.lower(AdVersion.town) == place))
        )
    if flt.municipalities:
        # The set of the granted municipalities' ad ids comes from ix_ad_municipality alone;
        # probing it per score row is cheaper than joining each row to the ad table.
        granted = select(Ad.id).where(Ad.municipality.in_(flt.municipalities))
        query = query.where(Score.ad_id.in_(granted))
    if flt.source or flt.seen_from or flt.seen_to:
        query = query.join(Ad, Ad.id == Score.ad_id)
    if flt.source:
        query = query.join(Source, Source.id == Ad.source_id).where(Source.name == flt.source)
    if flt.seen_from:
        query = query.where(Ad.last_seen >= datetime.combine(flt.seen_from, time.min))
    if flt.seen_to:
        query = query.where(Ad.last_seen < datetime.combine(flt.seen_to, time.min) + timedelta(1))
    return query


def _counts(session: Session, query: Any) -> dict[str, int]:
    return dict(session.execute(query.group_by(Score.tier)).all())


def _tier_counts(session: Session, flt: QueueFilter, rules: str) -> dict[str, int]:
    """Ads per tier that the filter shows.

    Without other filters the counts come from ix_score_queue alone (one range per tier); a
    status is then the scored count minus the decided ads it leaves out, which SQLite finds
    from the decision table rather than by checking each of 100,000 scored ads.
    """
    tiers = (flt.tier,) if flt.tier else SHOWN_TIERS
    counted = select(Score.tier, func.count()).select_from(Score)
    wanted, ids = _status_ids(flt.status) if flt.status else (False, None)
    if wanted:
        return _counts(
            session, _filtered(counted, flt, rules, walk=True).where(Score.ad_id.in_(ids))
        )
    if _has_other_filters(flt):
        counts = _counts(session, _filtered(counted, flt, rules))
    else:
        counts = {
            tier: session.scalar(
                select(func.count())
                .select_from(Score)
                .where(Score.rules_version == rules, Score.tier == tier)
            )
            or 0
            for tier in tiers
        }
    if ids is not None:
        left_out = _counts(
            session, _filtered(counted, flt, rules, walk=True).where(Score.ad_id.in_(ids))
        )
        counts = {tier: n - left_out.get(tier, 0) for tier, n in counts.items()}
    return {tier: n for tier, n in counts.items() if n}


def _page_ids(
    session: Session, flt: QueueFilter, rules: str, counts: dict[str, int], page: int
) -> list[int]:
    # One query per tier in tier order keeps each sort within one tier (ix_score_queue), and
    # LIMIT stops the walk as soon as the page is full.
    skip, need, ids = (page - 1) * PAGE_SIZE, PAGE_SIZE, []
    wanted, status_ids = _status_ids(flt.status) if flt.status else (False, None)
    for tier in TIER_ORDER:
        in_tier = counts.get(tier, 0)
        if skip >= in_tier:
            skip -= in_tier
            continue
        walk = not flt.indicator or _walk_is_short(session, rules, tier, in_tier, skip + need)
        query = _filtered(select(Score.ad_id).select_from(Score), flt, rules, walk)
        if status_ids is not None:
            member = Score.ad_id.in_(status_ids)
            query = query.where(member if wanted else ~member)
        ids += session.scalars(
            query.where(Score.tier == tier)
            .order_by(Score.value.desc(), Score.ad_id.desc())
            .limit(need)
            .offset(skip)
        ).all()
        skip, need = 0, PAGE_SIZE - len(ids)
        if need <= 0:
            break
    return ids


def _walk_is_short(session: Session, rules: str, tier: str, matches: int, rows: int) -> bool:
    """Whether reaching `rows` matching ads walks at most WALK_LIMIT of the tier's ads."""
    size = session.scalar(
        select(func.count())
        .select_from(Score)
        .where(Score.rules_version == rules, Score.tier == tier)
    )
    return rows * (size or 0) <= WALK_LIMIT * max(matches, 1)


def queue_page(session: Session, flt: QueueFilter) -> QueuePage:
    """The page of the queue the filter asks for: open ads first by tier, then by score."""
    rules = current_rules_version(session)
    if rules is None:
        return QueuePage([], 0, 0, 1, 1)
    counts = _tier_counts(session, flt, rules)
    default = QueueFilter(page=flt.page, municipalities=flt.municipalities)
    waiting_counts = (
        counts
        if flt == default
        else _tier_counts(session, QueueFilter(municipalities=flt.municipalities), rules)
    )
    total, waiting = sum(counts.values()), sum(waiting_counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, flt.page), pages)
    ids = _page_ids(session, flt, rules, counts, page)
    summaries = summaries_of(session, ids, rules)
    return QueuePage([summaries[i] for i in ids], total, waiting, page, pages)


def source_choices(session: Session) -> list[tuple[str, str]]:
    """(name, title) of every source, for the filter."""
    return [
        tuple(r) for r in session.execute(select(Source.name, Source.title).order_by(Source.name))
    ]
