"""One-line summaries of ads, the row every list of the UI shows (queue, network, search, case)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import (
    Ad,
    AdVersion,
    Decision,
    IndicatorHit,
    NetworkMember,
    Score,
    Source,
)
from adwatch.storage.rulesversion import current_rules_version
from review_ui.views import AdSummary


def summaries_of(
    session: Session, ad_ids: Iterable[int], rules: str | None = None
) -> dict[int, AdSummary]:
    """One-line summaries of the ads, with their hit codes under the rules version."""
    ids = sorted(set(ad_ids))
    if not ids:
        return {}
    rules = rules or current_rules_version(session)
    ads = session.execute(
        select(
            Ad.id, Ad.first_seen, Ad.last_seen, Ad.gone_at, Source.title, Score.tier, Score.value
        )
        .join(Source, Source.id == Ad.source_id)
        .outerjoin(Score, and_(Score.ad_id == Ad.id, Score.rules_version == rules))
        .where(Ad.id.in_(ids))
    ).all()
    latest = _latest_versions(session, ids)
    codes = _codes(session, ids, rules)
    decisions = _decision_state(session, ids)
    undecided = [ad.id for ad in ads if ad.id not in decisions]
    network_decided = network_decisions_of(session, undecided)
    result = {}
    for ad in ads:
        version = latest.get(ad.id)
        status, decided_at = decisions.get(ad.id, ("nieuw", None))
        changed = bool(version is not None and decided_at and version.seen_at > decided_at)
        reason = "changed" if changed else ""
        if ad.id in network_decided:
            reason = "new_member"
        result[ad.id] = AdSummary(
            id=ad.id,
            title=version.title if version else "",
            name=version.name if version else "",
            town=version.town if version else "",
            source=ad.title,
            tier=ad.tier or "geen",
            score=ad.value or 0.0,
            first_seen=ad.first_seen,
            last_seen=ad.last_seen,
            gone_at=ad.gone_at,
            status=status,
            codes=tuple(codes.get(ad.id, ())),
            changed_since_monitoring=changed,
            reason=reason,
            network=network_decided.get(ad.id),
        )
    return result


def network_decisions_of(session: Session, ad_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(network id, status) of the newest decision on the network of each ad that has none of
    its own: an ad that joined a network after the network was decided on."""
    if not ad_ids:
        return {}
    members = dict(
        session.execute(
            select(NetworkMember.ad_id, NetworkMember.network_id).where(
                NetworkMember.ad_id.in_(ad_ids)
            )
        ).all()
    )
    if not members:
        return {}
    newest = (
        select(func.max(Decision.id))
        .where(Decision.network_id.in_(set(members.values())))
        .group_by(Decision.network_id)
    )
    statuses = dict(
        session.execute(
            select(Decision.network_id, Decision.status).where(Decision.id.in_(newest))
        ).all()
    )
    return {ad: (net, statuses[net]) for ad, net in members.items() if net in statuses}


def _latest_versions(session: Session, ids: list[int]) -> dict[int, Any]:
    # Only the columns a summary shows: not the text or the JSON columns of each version.
    newest = (
        select(func.max(AdVersion.id)).where(AdVersion.ad_id.in_(ids)).group_by(AdVersion.ad_id)
    )
    rows = session.execute(
        select(
            AdVersion.ad_id, AdVersion.title, AdVersion.name, AdVersion.town, AdVersion.seen_at
        ).where(AdVersion.id.in_(newest))
    ).all()
    return {row.ad_id: row for row in rows}


def _codes(session: Session, ids: list[int], rules: str | None) -> dict[int, list[str]]:
    rows = session.execute(
        select(IndicatorHit.ad_id, IndicatorHit.code)
        .where(IndicatorHit.ad_id.in_(ids), IndicatorHit.rules_version == rules)
        .order_by(IndicatorHit.weight.desc(), IndicatorHit.id)
    ).all()
    found: dict[int, list[str]] = {}
    for ad_id, code in rows:
        if code not in found.setdefault(ad_id, []):
            found[ad_id].append(code)
    return found


def _decision_state(session: Session, ids: list[int]) -> dict[int, tuple[str, datetime]]:
    newest = select(func.max(Decision.id)).where(Decision.ad_id.in_(ids)).group_by(Decision.ad_id)
    rows = session.execute(
        select(Decision.ad_id, Decision.status, Decision.created_at).where(Decision.id.in_(newest))
    ).all()
    return {ad_id: (status, at) for ad_id, status, at in rows}
