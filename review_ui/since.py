"""What is new for one user since their previous login: the home page's "sinds uw vorige bezoek".

The previous login is the start of the user's previous session; when that session was purged
already, the last week is shown (the page says from when).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adwatch.models import Ad, AdVersion, CaseFile, Decision, NetworkMember, Score, UserSession
from adwatch.rulesversion import current_rules_version
from adwatch.timeutil import utcnow
from review_ui.queries import summaries_of
from review_ui.views import AdSummary

FALLBACK = timedelta(days=7)
LISTED = 10


@dataclass
class SinceLastVisit:
    """Counts and the first few ads of each kind of news."""

    since: datetime
    new_ads: int = 0
    new_members: int = 0
    changed: int = 0
    follow_ups: list[tuple[int, str, date]] = field(default_factory=list)
    listed: list[AdSummary] = field(default_factory=list)


def previous_login(session: Session, user_id: int) -> datetime:
    """The start of the user's session before the current one (or a week ago)."""
    starts = session.scalars(
        select(UserSession.created_at)
        .where(UserSession.user_id == user_id)
        .order_by(UserSession.created_at.desc())
        .limit(2)
    ).all()
    return starts[1] if len(starts) > 1 else utcnow() - FALLBACK


def _new_ads(session: Session, since: datetime, granted: frozenset[str], rules: str) -> list[int]:
    return list(
        session.scalars(
            select(Ad.id)
            .join(Score, (Score.ad_id == Ad.id) & (Score.rules_version == rules))
            .where(
                Ad.first_seen >= since,
                Ad.municipality.in_(granted),
                Score.tier.in_(("hoog", "middel")),
            )
            .order_by(Score.value.desc())
        )
    )


def _new_members(session: Session, granted: frozenset[str]) -> list[int]:
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


def _changed(session: Session, since: datetime, granted: frozenset[str]) -> list[int]:
    """Decided ads with a version seen after their newest decision, and after `since`."""
    newest = (
        select(Decision.ad_id, func.max(Decision.created_at).label("at"))
        .where(Decision.ad_id.is_not(None), Decision.municipality.in_(granted))
        .group_by(Decision.ad_id)
        .subquery()
    )
    rows = session.scalars(
        select(newest.c.ad_id)
        .join(AdVersion, AdVersion.ad_id == newest.c.ad_id)
        .where(AdVersion.seen_at > newest.c.at, AdVersion.seen_at >= since)
        .distinct()
    )
    return list(rows)


def since_last_visit(
    session: Session, user_id: int, granted: frozenset[str], today: date
) -> SinceLastVisit:
    """The news for the home page."""
    since = previous_login(session, user_id)
    rules = current_rules_version(session)
    new_ads = _new_ads(session, since, granted, rules) if rules else []
    members = _new_members(session, granted)
    changed = _changed(session, since, granted)
    follow_ups = [
        tuple(row)
        for row in session.execute(
            select(CaseFile.id, CaseFile.zaaknummer, CaseFile.follow_up_on)
            .where(
                CaseFile.municipality.in_(granted),
                CaseFile.follow_up_on <= today,
                CaseFile.step != "afgesloten",
            )
            .order_by(CaseFile.follow_up_on)
        )
    ]
    shown = list(dict.fromkeys(members[:LISTED] + changed[:LISTED] + new_ads[:LISTED]))
    summaries = summaries_of(session, shown, rules)
    return SinceLastVisit(
        since,
        len(new_ads),
        len(members),
        len(changed),
        follow_ups,
        [summaries[a] for a in shown if a in summaries],
    )
