"""The network page: the member ads on a timeline and the links between them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.storage.models import Decision, IndicatorHit, Network, NetworkMember, Note
from adwatch.storage.rulesversion import current_rules_version
from adwatch.timeutil import utcnow
from adwatch.vocabulary import LINK_CODES
from review_ui.queries.adpage import linked_ad_ids
from review_ui.queries.history import decisions_where, notes_where
from review_ui.queries.summaries import summaries_of
from review_ui.views import HitView, MemberView, NetworkDetail


def network_detail(session: Session, network_id: str) -> NetworkDetail | None:
    """The network with its members on a timeline and the links between them."""
    network = session.get(Network, network_id)
    if network is None:
        return None
    rules = current_rules_version(session)
    members = session.execute(
        select(NetworkMember.ad_id, NetworkMember.links).where(
            NetworkMember.network_id == network_id
        )
    ).all()
    ids = [ad_id for ad_id, _ in members]
    summaries = summaries_of(session, ids, rules)
    edges = _member_edges(session, ids, rules)
    views = [
        MemberView(summaries[ad_id], tuple(links or ()), edges.get(ad_id, {}))
        for ad_id, links in members
        if ad_id in summaries
    ]
    views.sort(key=lambda m: (m.ad.first_seen or utcnow(), m.ad.id))
    return NetworkDetail(
        id=network.id,
        size=network.size,
        first_seen=network.first_seen,
        updated_at=network.updated_at,
        members=views,
        decisions=decisions_where(session, Decision.network_id == network_id),
        notes=notes_where(session, Note.network_id == network_id),
    )


def _member_edges(
    session: Session, ids: list[int], rules: str | None
) -> dict[int, dict[int, tuple[str, ...]]]:
    rows = session.execute(
        select(IndicatorHit.ad_id, IndicatorHit.code, IndicatorHit.evidence).where(
            IndicatorHit.ad_id.in_(ids),
            IndicatorHit.rules_version == rules,
            IndicatorHit.code.in_(LINK_CODES),
        )
    ).all()
    # A network of n ads has up to n² edges, nearly all with the same codes: each edge refers to
    # one shared tuple per set of codes instead of a set and a tuple of its own.
    members = set(ids)
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    edges: dict[int, dict[int, tuple[str, ...]]] = {}
    for ad_id, code, evidence in rows:
        mine = edges.setdefault(ad_id, {})
        for other in linked_ad_ids([HitView(code, 0, None, list(evidence or []))]):
            if other in members and other != ad_id:
                codes = tuple(sorted({*mine.get(other, ()), code}))
                mine[other] = shared.setdefault(codes, codes)
    return {a: d for a, d in edges.items() if d}
