"""The one module of `scoring` that writes to the database: hits, scores, networks, failures.

Writes happen in one transaction per run, so a failed run leaves the previous scores in place.
Review tables are never touched: scoring cannot change an officer's decision. What a run reads
comes from `scoring.stored`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.orm import Session

from adwatch.storage.db import Database, upsert_insert
from adwatch.storage.models import (
    IndicatorFailure,
    IndicatorHit,
    Network,
    NetworkMember,
    PhoneLink,
    Score,
)
from adwatch.storage.rulesversion import record_rules_version
from adwatch.timeutil import utcnow
from adwatch.vocabulary import LINK_CODES
from scoring.batch import AdOutcome, BatchResult
from scoring.hits import Failure
from scoring.stored import covered_ads


@dataclass
class ScoreSummary:
    """What a scoring run did, for the console and the schedule log."""

    rules_version: str
    ads: int = 0
    analysed: int = 0
    rescored: int = 0
    failures: int = 0
    networks: int = 0
    tiers: Counter = field(default_factory=Counter)


# Rows per statement: SQLite allows 32,766 parameters per statement and an IN list of ids
# costs one each; executemany batches are cut so their parameter lists stay small too.
CHUNK = 500


def _chunks(items: Sequence) -> Iterator[Sequence]:
    # CHUNK is read at each call (not bound as a default) so the tests can make it small.
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def write_result(
    db: Database, result: BatchResult, rules_version: str, *where: ColumnElement[bool]
) -> None:
    """Replace the changed ads' hits and scores, the networks, and record failures.

    `where` names the ads the run covered, as given to `scoring.stored.load_ads`: only networks
    of those ads are replaced. One transaction, written a chunk of ads at a time with one
    statement per table and chunk (dialect upserts for scores and networks), so no ORM objects
    pile up.
    """
    with db.writing() as session:
        for outcomes in _chunks(result.outcomes):
            _write_outcomes(session, outcomes, rules_version)
        _write_networks(session, result, where)
        _write_failures(session, result.failures, rules_version)
        record_rules_version(session, rules_version)


def _write_outcomes(session: Session, outcomes: Sequence[AdOutcome], rules_version: str) -> None:
    _delete_replaced_hits(session, outcomes, rules_version)
    hits = [
        _hit_row(outcome, hit.to_json(), rules_version)
        for outcome in outcomes
        for hit in (*(outcome.text_hits or ()), *outcome.link_hits)
    ]
    if hits:
        session.execute(insert(IndicatorHit), hits)
    _write_phone_links(session, [o for o in outcomes if o.phone_keys is not None])
    _upsert_scores(session, outcomes, rules_version)


def _delete_replaced_hits(
    session: Session, outcomes: Sequence[AdOutcome], rules_version: str
) -> None:
    # Re-analysed ads lose all their hits; the others only their link hits.
    all_codes = [o.ad_id for o in outcomes if o.text_hits is not None]
    link_only = [o.ad_id for o in outcomes if o.text_hits is None]
    current = IndicatorHit.rules_version == rules_version
    if all_codes:
        session.execute(delete(IndicatorHit).where(current, IndicatorHit.ad_id.in_(all_codes)))
    if link_only:
        session.execute(
            delete(IndicatorHit).where(
                current, IndicatorHit.ad_id.in_(link_only), IndicatorHit.code.in_(LINK_CODES)
            )
        )


def _hit_row(outcome: AdOutcome, hit: dict, rules_version: str) -> dict:
    return {
        "ad_id": outcome.ad_id,
        "ad_version_id": outcome.version_id,
        "code": hit["code"],
        "weight": hit["weight"],
        "evidence": hit["evidence"],
        "rules_version": rules_version,
    }


def _write_phone_links(session: Session, outcomes: Sequence[AdOutcome]) -> None:
    if not outcomes:
        return
    session.execute(delete(PhoneLink).where(PhoneLink.ad_id.in_([o.ad_id for o in outcomes])))
    rows = [
        {"ad_id": outcome.ad_id, "ad_version_id": version_id, "phone_key": key}
        for outcome in outcomes
        for version_id, keys in (outcome.phone_keys or {}).items()
        for key in sorted(keys)
    ]
    if rows:
        session.execute(insert(PhoneLink), rows)


def _upsert_scores(session: Session, outcomes: Sequence[AdOutcome], rules_version: str) -> None:
    now = utcnow()
    rows = [
        {
            "ad_id": outcome.ad_id,
            "rules_version": rules_version,
            "ad_version_id": outcome.version_id,
            "value": outcome.score.value,
            "tier": outcome.score.tier,
            "network_id": outcome.network_id,
            "scored_at": now,
        }
        for outcome in outcomes
    ]
    statement = upsert_insert(session, Score)
    changed = ("ad_version_id", "value", "tier", "network_id", "scored_at")
    statement = statement.on_conflict_do_update(
        index_elements=[Score.ad_id, Score.rules_version],
        set_={column: statement.excluded[column] for column in changed},
    )
    session.execute(statement, rows)


def _write_networks(session: Session, result: BatchResult, where) -> None:
    # Networks that no longer exist keep their row (ids are stable; reviews may name them) with
    # size 0; the current ones are upserted, keeping their first_seen.
    stale = update(Network).values(size=0)
    members = delete(NetworkMember)
    if where:
        covered = NetworkMember.ad_id.in_(covered_ads(where))
        stale = stale.where(Network.id.in_(select(NetworkMember.network_id).where(covered)))
        members = members.where(covered)
    session.execute(stale)
    session.execute(members)
    now = utcnow()
    for networks in _chunks(result.networks):
        rows = [
            {"id": n.network_id, "size": len(n.ad_ids), "first_seen": now, "updated_at": now}
            for n in networks
        ]
        statement = upsert_insert(session, Network)
        statement = statement.on_conflict_do_update(
            index_elements=[Network.id],
            set_={"size": statement.excluded.size, "updated_at": statement.excluded.updated_at},
        )
        session.execute(statement, rows)
        members = [
            {"network_id": n.network_id, "ad_id": ad_id, "links": list(n.via)}
            for n in networks
            for ad_id in n.ad_ids
        ]
        session.execute(insert(NetworkMember), members)


def _write_failures(session: Session, failures: list[Failure], rules_version: str) -> None:
    rows = [
        {
            "ad_id": failure.ad_id,
            "code": failure.code,
            "error": failure.error[:2000],
            "rules_version": rules_version,
        }
        for failure in failures
    ]
    for chunk in _chunks(rows):
        session.execute(insert(IndicatorFailure), chunk)
