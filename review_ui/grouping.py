"""The queue grouped by network: one row per network with its members, and one per loose ad.

A network's score grows with the evidence across its ads: its strongest member counts in full and
every other member adds half its score, so five ads sharing a number outrank a lone ad with one
weak phrase. Networks and loose ads are ranked together by score. A network is listed while one
of its members is open (undecided, or changed since its decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import Ad, IndicatorHit, Network, NetworkMember, Score
from adwatch.storage.rulesversion import current_rules_version
from adwatch.vocabulary import SHOWN_TIERS, TIER_ORDER
from review_ui.queries.queue import PAGE_SIZE, closed_ads_query
from review_ui.queries.summaries import summaries_of
from review_ui.views import AdSummary

OTHERS_COUNT = 0.5
MEMBERS_SHOWN = 6
SUMS_KEPT = 16
_SUMS: dict[tuple, list[Any]] = {}


@dataclass(frozen=True)
class NetworkRow:
    """A network as one queue row."""

    id: str
    score: float
    tier: str
    size: int
    open: int
    codes: tuple[str, ...]
    members: tuple[AdSummary, ...]


@dataclass(frozen=True)
class GroupedRow:
    """A queue row: a network or a loose ad."""

    score: float
    network: NetworkRow | None = None
    ad: AdSummary | None = None


@dataclass(frozen=True)
class GroupedPage:
    """One page of the grouped queue."""

    rows: list[GroupedRow]
    total: int
    page: int
    pages: int


def _granted(query: Any, municipalities: tuple[str, ...]) -> Any:
    if not municipalities:
        return query
    return query.where(Score.ad_id.in_(select(Ad.id).where(Ad.municipality.in_(municipalities))))


def _closed(session: Session) -> set[int]:
    """Ads out of the open queue: decided and unchanged since (decisions are few)."""
    return set(session.scalars(closed_ads_query()))


def _network_scores(
    session: Session, rules: str, municipalities: tuple[str, ...], closed: set[int]
) -> tuple[list[tuple[str, float, str, int, int]], int]:
    """(network id, score, best tier, size, open members) of every network with an open member,
    and how many network members are in the shown tiers.

    Summed in SQL (one row per network, not per member); the closed members, which are few,
    are subtracted per network afterwards."""
    rows = _network_sums(session, rules, municipalities)
    shut: dict[str, int] = {}
    if closed:
        for (network_id,) in session.execute(
            select(Score.network_id).where(
                Score.rules_version == rules,
                Score.network_id.is_not(None),
                Score.ad_id.in_(closed),
            )
        ):
            shut[network_id] = shut.get(network_id, 0) + 1
    result = []
    for network_id, size, best, total, tier, _ in rows:
        still_open = size - shut.get(network_id, 0)
        if still_open > 0:
            score = round(best + OTHERS_COUNT * (total - best), 2)
            tier_name = TIER_ORDER[min(tier, len(TIER_ORDER) - 1)]
            result.append((network_id, score, tier_name, size, still_open))
    return result, sum(row[5] or 0 for row in rows)


def _network_sums(session: Session, rules: str, municipalities: tuple[str, ...]) -> list[Any]:
    """Per network: size, best and summed score, best tier rank, members in shown tiers.

    Kept between requests while the networks are unchanged: every scoring run that changes a
    member's score rewrites its network row (size, updated_at), so the count, total size and
    newest update of the network table tell when the sums must be made again."""
    fingerprint = tuple(
        session.execute(
            select(func.count(), func.sum(Network.size), func.max(Network.updated_at))
        ).one()
    )
    key = (str(session.get_bind().url), rules, municipalities, fingerprint)
    if key in _SUMS:
        return _SUMS[key]
    rank = case(*((Score.tier == t, i) for i, t in enumerate(TIER_ORDER)), else_=len(TIER_ORDER))
    rows = session.execute(
        _granted(
            select(
                Score.network_id,
                func.count(),
                func.max(Score.value),
                func.sum(Score.value),
                func.min(rank),
                func.sum(case((Score.tier.in_(SHOWN_TIERS), 1), else_=0)),
            )
            .where(Score.rules_version == rules, Score.network_id.is_not(None))
            .group_by(Score.network_id),
            municipalities,
        )
    ).all()
    if len(_SUMS) >= SUMS_KEPT:
        _SUMS.pop(next(iter(_SUMS)))
    _SUMS[key] = [tuple(row) for row in rows]
    return _SUMS[key]


def _loose(
    session: Session, rules: str, municipalities: tuple[str, ...], closed: set[int], limit: int
) -> list[tuple[int, float]]:
    """The best `limit` open ads outside any network."""
    # coalesce(): "network_id IS NULL" would lead SQLite to ix_score_network_id (four in five
    # rows) and a sort, instead of walking ix_score_queue in order and stopping at the limit.
    base = _granted(
        select(Score.ad_id, Score.value).where(
            Score.rules_version == rules,
            func.coalesce(Score.network_id, "") == "",
            Score.tier.in_(SHOWN_TIERS),
        ),
        municipalities,
    )
    found: list[tuple[int, float]] = []
    for tier in SHOWN_TIERS:
        query = base.where(Score.tier == tier).order_by(Score.value.desc(), Score.ad_id.desc())
        for ad_id, value in session.execute(query.limit(limit - len(found) + len(closed))):
            if ad_id not in closed and len(found) < limit:
                found.append((ad_id, value))
        if len(found) >= limit:
            break
    return found


def _loose_count(
    session: Session,
    rules: str,
    municipalities: tuple[str, ...],
    closed: set[int],
    in_networks: int,
) -> int:
    """Open ads outside networks: the shown tiers' counts (ix_score_queue alone) less the
    network members in them and the closed loose ads."""
    shown = (Score.rules_version == rules, Score.tier.in_(SHOWN_TIERS))
    if municipalities:
        everything = _granted(select(func.count()).select_from(Score).where(*shown), municipalities)
        all_shown = session.scalar(everything) or 0
    else:
        all_shown = sum(
            session.scalar(
                select(func.count())
                .select_from(Score)
                .where(Score.rules_version == rules, Score.tier == tier)
            )
            or 0
            for tier in SHOWN_TIERS
        )
    return all_shown - in_networks - len(_loose_ids(session, rules, closed))


def _loose_ids(session: Session, rules: str, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Score.ad_id).where(
                Score.rules_version == rules,
                Score.network_id.is_(None),
                Score.tier.in_(SHOWN_TIERS),
                Score.ad_id.in_(ids),
            )
        )
    )


def grouped_page(session: Session, municipalities: tuple[str, ...], page: int) -> GroupedPage:
    """The page of the grouped open queue: networks and loose ads by score."""
    rules = current_rules_version(session)
    if rules is None:
        return GroupedPage([], 0, 1, 1)
    closed = _closed(session)
    networks, in_networks = _network_scores(session, rules, municipalities, closed)
    loose = _loose(session, rules, municipalities, closed, page * PAGE_SIZE)
    loose_total = _loose_count(session, rules, municipalities, closed, in_networks)
    total = len(networks) + loose_total
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    ranked = sorted(
        [(score, 0, net) for net, score, *_ in networks] + [(v, 1, a) for a, v in loose],
        key=lambda row: (-row[0], row[1], str(row[2])),
    )[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    by_id = {row[0]: row for row in networks}
    shown = [by_id[key] for _, kind, key in ranked if kind == 0]
    views = _network_rows(session, rules, shown, closed)
    ads = summaries_of(session, [key for _, kind, key in ranked if kind == 1], rules)
    rows = [
        GroupedRow(score, network=views[key]) if kind == 0 else GroupedRow(score, ad=ads[key])
        for score, kind, key in ranked
        if (kind == 0 and key in views) or (kind == 1 and key in ads)
    ]
    return GroupedPage(rows, total, page, pages)


def _network_rows(
    session: Session, rules: str, shown: list[tuple], closed: set[int]
) -> dict[str, NetworkRow]:
    """Members (open ones first, then by score) and strongest signals of the shown networks."""
    ids = [row[0] for row in shown]
    members: dict[str, list[tuple[int, float]]] = {}
    for network_id, ad_id, value in session.execute(
        select(NetworkMember.network_id, NetworkMember.ad_id, Score.value)
        .outerjoin(Score, (Score.ad_id == NetworkMember.ad_id) & (Score.rules_version == rules))
        .where(NetworkMember.network_id.in_(ids))
    ):
        members.setdefault(network_id, []).append((ad_id, value or 0.0))
    # Only the members a row lists are summarised: open ones first, then by score.
    listed = {
        net: [a for a, _ in sorted(group, key=lambda m: (m[0] in closed, -m[1], m[0]))]
        for net, group in members.items()
    }
    summaries = summaries_of(
        session, [a for group in listed.values() for a in group[:MEMBERS_SHOWN]], rules
    )
    codes = _strongest_codes(session, rules, [a for group in listed.values() for a in group])
    result = {}
    for network_id, score, tier, size, still_open in shown:
        group = listed.get(network_id, [])
        weights: dict[str, float] = {}
        for ad_id in group:
            for code, weight in codes.get(ad_id, {}).items():
                weights[code] = max(weights.get(code, 0.0), weight)
        strongest = tuple(sorted(weights, key=lambda c: (-weights[c], c))[:5])
        first = tuple(summaries[a] for a in group[:MEMBERS_SHOWN] if a in summaries)
        result[network_id] = NetworkRow(network_id, score, tier, size, still_open, strongest, first)
    return result


def _strongest_codes(session: Session, rules: str, ad_ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict[str, float]] = {}
    if not ad_ids:
        return found
    rows = session.execute(
        select(IndicatorHit.ad_id, IndicatorHit.code, func.max(IndicatorHit.weight))
        .where(IndicatorHit.ad_id.in_(ad_ids), IndicatorHit.rules_version == rules)
        .group_by(IndicatorHit.ad_id, IndicatorHit.code)
    )
    for ad_id, code, weight in rows:
        found.setdefault(ad_id, {})[code] = weight
    return found
