"""Which ads have outlived their retention term, and under which rule: decided on plain values.

Runs first in `adwatch purge`. `load_facts` reads what the rules need from the database (the only
function here that touches the ORM); `classify` applies the rules to one ad's facts, in order:
legal hold → case (forwarded or exported) → the officer's latest decision → the score's tier.
Decisions on a network count for each of its member ads; a pack counts for every ad it lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.config.schemas import RetentionConfig
from adwatch.storage.models import Ad, Decision, EvidencePack, LegalHold, NetworkMember, Score
from adwatch.timeutil import as_utc
from adwatch.vocabulary import CLOSING_DECISIONS, FORWARDED, NO_SIGNAL, NO_TIER, OPEN_DECISIONS

# A purged ad that a decision or a legal hold still names keeps a row with this platform id.
TOMBSTONE_PREFIX = "purged-"

RULES = {
    "legal_hold": "kept: an unreleased legal hold applies",
    "open_case": "kept: forwarded or exported in a pack, and the case is not closed",
    "under_review": "kept: under review or monitored (open decision, or flagged and undecided)",
    "closed_case": "case closed more than retention.closed_case_days ago",
    "no_signal": "latest decision geen_signaal more than retention.no_signal_days ago",
    "unflagged": "never flagged, last seen more than retention.unflagged_days ago",
}


@dataclass(frozen=True)
class AdFacts:
    """What the retention rules need to know about one ad."""

    ad_id: int
    last_seen: datetime
    tier: str | None = None
    decisions: tuple[tuple[str, datetime], ...] = ()
    packs: tuple[datetime, ...] = ()
    held: bool = False


@dataclass(frozen=True)
class Verdict:
    """The rule that governs an ad, and when it expires (None: kept while the reason holds)."""

    ad_id: int
    rule: str
    expires_at: datetime | None

    def expired(self, now: datetime) -> bool:
        """True when the ad may be purged at `now`."""
        return self.expires_at is not None and self.expires_at <= as_utc(now)

    @property
    def reason(self) -> str:
        return RULES[self.rule]


def classify(facts: AdFacts, terms: RetentionConfig) -> Verdict:
    """The rule that applies to the ad and its expiry."""
    if facts.held:
        return Verdict(facts.ad_id, "legal_hold", None)
    case = _case_verdict(facts, terms)
    if case is not None:
        return case
    if facts.decisions:
        return _decision_verdict(facts, terms)
    if facts.tier not in (None, NO_TIER):
        return Verdict(facts.ad_id, "under_review", None)
    return Verdict(facts.ad_id, "unflagged", _after(facts.last_seen, terms.unflagged_days))


def _case_verdict(facts: AdFacts, terms: RetentionConfig) -> Verdict | None:
    forwarded = [at for status, at in facts.decisions if status == FORWARDED]
    opened = [*forwarded, *facts.packs]
    if not opened:
        return None
    closed = _closed_at(facts.decisions, max(as_utc(at) for at in opened))
    if closed is None:
        return Verdict(facts.ad_id, "open_case", None)
    return Verdict(facts.ad_id, "closed_case", _after(closed, terms.closed_case_days))


def _closed_at(decisions: Iterable[tuple[str, datetime]], opened: datetime) -> datetime | None:
    # A case closes with a closing decision after it was last forwarded or exported, and only
    # while that decision is still the latest one.
    ordered = sorted(decisions, key=lambda d: as_utc(d[1]))
    if not ordered:
        return None
    status, at = ordered[-1]
    return as_utc(at) if status in CLOSING_DECISIONS and as_utc(at) >= opened else None


def _decision_verdict(facts: AdFacts, terms: RetentionConfig) -> Verdict:
    status, at = max(facts.decisions, key=lambda d: as_utc(d[1]))
    if status == NO_SIGNAL:
        return Verdict(facts.ad_id, "no_signal", _after(at, terms.no_signal_days))
    if status in OPEN_DECISIONS:
        return Verdict(facts.ad_id, "under_review", None)
    return Verdict(facts.ad_id, "closed_case", _after(at, terms.closed_case_days))


def _after(when: datetime, days: int) -> datetime:
    return as_utc(when) + timedelta(days=days)


def expired(
    facts: Iterable[AdFacts], terms: RetentionConfig, now: datetime
) -> dict[str, list[int]]:
    """The ids of the ads that may be purged at `now`, per rule."""
    found: dict[str, list[int]] = defaultdict(list)
    for item in facts:
        verdict = classify(item, terms)
        if verdict.expired(now):
            found[verdict.rule].append(item.ad_id)
    return dict(found)


def load_facts(session: Session, ad_ids: Iterable[int] | None = None) -> list[AdFacts]:
    """The facts of every ad (or of the ads given), read in a few queries."""
    query = select(Ad.id, Ad.last_seen).where(Ad.source_ad_id.not_like(f"{TOMBSTONE_PREFIX}%"))
    query = query.order_by(Ad.id)
    if ad_ids is not None:
        query = query.where(Ad.id.in_(list(ad_ids)))
    ads = session.execute(query).all()
    networks = _networks(session)
    decisions = _decisions(session, networks)
    packs = _packs(session)
    held = _held(session, networks)
    tiers = _tiers(session)
    return [
        AdFacts(
            ad_id=ad_id,
            last_seen=last_seen,
            tier=tiers.get(ad_id),
            decisions=tuple(decisions.get(ad_id, ())),
            packs=tuple(packs.get(ad_id, ())),
            held=ad_id in held,
        )
        for ad_id, last_seen in ads
    ]


def _networks(session: Session) -> dict[str, list[int]]:
    members: dict[str, list[int]] = defaultdict(list)
    for network_id, ad_id in session.execute(select(NetworkMember.network_id, NetworkMember.ad_id)):
        members[network_id].append(ad_id)
    return members


def _decisions(session: Session, networks: dict[str, list[int]]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    rows = session.execute(
        select(Decision.ad_id, Decision.network_id, Decision.status, Decision.created_at)
    )
    for ad_id, network_id, status, at in rows:
        for target in [ad_id] if ad_id is not None else networks.get(network_id, []):
            found[target].append((status, at))
    return found


def _packs(session: Session) -> dict[int, list[datetime]]:
    found: dict[int, list[datetime]] = defaultdict(list)
    for ad_ids, created in session.execute(select(EvidencePack.ad_ids, EvidencePack.created_at)):
        for ad_id in ad_ids or []:
            found[int(ad_id)].append(created)
    return found


def _held(session: Session, networks: dict[str, list[int]]) -> set[int]:
    held: set[int] = set()
    active = select(LegalHold.ad_id, LegalHold.network_id).where(LegalHold.released_at.is_(None))
    for ad_id, network_id in session.execute(active):
        held.update([ad_id] if ad_id is not None else networks.get(network_id, []))
    return held


def _tiers(session: Session) -> dict[int, str]:
    # The newest score wins, whatever rules version wrote it.
    rows = session.execute(select(Score.ad_id, Score.tier).order_by(Score.scored_at, Score.id))
    return {ad_id: tier for ad_id, tier in rows}
