"""What is new for one user since their previous login: the home page's "sinds uw vorige bezoek".

The previous login is the start of the user's previous session; when that session was purged
already, the last week is shown (the page says from when).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.casework.news import (
    changed_after_decision,
    follow_ups_due,
    new_flagged_ads,
    new_network_members,
)
from adwatch.storage.models import UserSession
from adwatch.storage.rulesversion import current_rules_version
from adwatch.timeutil import utcnow
from review_ui.queries.summaries import summaries_of
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


def since_last_visit(
    session: Session, user_id: int, granted: frozenset[str], today: date
) -> SinceLastVisit:
    """The news for the home page."""
    since = previous_login(session, user_id)
    rules = current_rules_version(session)
    new_ads = new_flagged_ads(session, since, granted, rules)
    members = new_network_members(session, granted)
    changed = changed_after_decision(session, since, granted)
    follow_ups = follow_ups_due(session, granted, today)
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
