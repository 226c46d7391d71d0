"""What is new for an officer since a moment: the home page and the nightly digest both ask here.

Each function returns ad ids (or case rows) within the granted municipalities; callers count them
or show a few. Ids only: no text leaves this module.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import Ad, AdVersion, CaseFile, Decision, NetworkMember, Score
from adwatch.vocabulary import CASE_CLOSED, LOUD_TIERS


def new_flagged_ads(
    session: Session, since: datetime, granted: Collection[str], rules: str | None
) -> list[int]:
    """Ads first seen since `since` with tier hoog or middel, highest score first."""
    if rules is None:
        return []
    return list(
        session.scalars(
            select(Ad.id)
            .join(Score, (Score.ad_id == Ad.id) & (Score.rules_version == rules))
            .where(
                Ad.first_seen >= since,
                Ad.municipality.in_(granted),
                Score.tier.in_(LOUD_TIERS),
            )
            .order_by(Score.value.desc())
        )
    )


def new_network_members(session: Session, granted: Collection[str]) -> list[int]:
    """Members of a decided network without a decision of their own (they joined later)."""
    decided = select(Decision.network_id).where(Decision.network_id.is_not(None))
    own = select(Decision.ad_id).where(Decision.ad_id.is_not(None))
    return list(
        session.scalars(
            select(NetworkMember.ad_id)
            .join(Ad, Ad.id == NetworkMember.ad_id)
            .where(
                NetworkMember.network_id.in_(decided),
                NetworkMember.ad_id.not_in(own),
                Ad.municipality.in_(granted),
            )
        )
    )


def changed_after_decision(
    session: Session, since: datetime, granted: Collection[str]
) -> list[int]:
    """Decided ads with a version seen after their newest decision, and after `since`."""
    newest = (
        select(Decision.ad_id, func.max(Decision.created_at).label("at"))
        .where(Decision.ad_id.is_not(None), Decision.municipality.in_(granted))
        .group_by(Decision.ad_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(newest.c.ad_id)
            .join(AdVersion, AdVersion.ad_id == newest.c.ad_id)
            .where(AdVersion.seen_at > newest.c.at, AdVersion.seen_at >= since)
            .distinct()
        )
    )


def follow_ups_due(
    session: Session, granted: Collection[str], today: date
) -> list[tuple[int, str, date]]:
    """(id, zaaknummer, date) of open cases whose follow-up date has come."""
    rows = session.execute(
        select(CaseFile.id, CaseFile.zaaknummer, CaseFile.follow_up_on)
        .where(
            CaseFile.municipality.in_(granted),
            CaseFile.follow_up_on <= today,
            CaseFile.step != CASE_CLOSED,
        )
        .order_by(CaseFile.follow_up_on)
    )
    return [tuple(row) for row in rows]
