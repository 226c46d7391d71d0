"""`adwatch score --compare`: which ads would move tier under the current rules, before they apply.

Every ad is scored afresh in memory with `config/indicators.yaml` as it is now and compared with the
scores stored under the rules version written last. Nothing is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rich.table import Table
from sqlalchemy import select

from adwatch.instance import Instance
from adwatch.storage.models import Ad, Score, Source
from adwatch.storage.rulesversion import current_rules_version
from adwatch.vocabulary import TIER_ORDER
from application.commands.scoringrun import load_instance_rules, run_instance_batch


@dataclass(frozen=True)
class TierMove:
    """One ad whose tier differs between the stored and the current rules."""

    ad_id: int
    source: str
    old_tier: str
    old_value: float
    new_tier: str
    new_value: float


@dataclass
class Comparison:
    """The moves, and a count of every (stored tier, new tier) pair."""

    stored_version: str | None
    current_version: str
    moves: list[TierMove] = field(default_factory=list)
    pairs: Counter = field(default_factory=Counter)


def _stored(session, version: str | None) -> dict[int, tuple[str, float]]:
    rows = session.execute(
        select(Score.ad_id, Score.tier, Score.value).where(Score.rules_version == version)
    )
    return {ad_id: (tier, value) for ad_id, tier, value in rows}


def _sources(session) -> dict[int, str]:
    rows = session.execute(select(Ad.id, Source.name).join(Source, Source.id == Ad.source_id))
    return {ad_id: name for ad_id, name in rows}


def compare_instance(instance: Instance) -> Comparison:
    """Score every ad in memory under the current rules and compare with the stored tiers."""
    from scoring.stored import load_ads

    rules = load_instance_rules(instance)
    with instance.db.reading() as session:
        ads = load_ads(session)
        version = current_rules_version(session)
        stored, sources = _stored(session, version), _sources(session)
    result = run_instance_batch(instance, ads, {}, {}, rules=rules, full=True)
    comparison = Comparison(version, rules.version)
    for outcome in result.outcomes:
        old_tier, old_value = stored.get(outcome.ad_id, ("nieuw", 0.0))
        new = outcome.score
        comparison.pairs[(old_tier, new.tier)] += 1
        if old_tier != new.tier:
            move = TierMove(
                outcome.ad_id,
                sources.get(outcome.ad_id, ""),
                old_tier,
                old_value,
                new.tier,
                new.value,
            )
            comparison.moves.append(move)
    comparison.moves.sort(key=lambda m: (TIER_ORDER.index(m.new_tier), -m.new_value, m.ad_id))
    return comparison


def moves_table(comparison: Comparison) -> Table:
    """The ads that would move tier, highest new tier first."""
    table = Table(title=f"ads that would move tier ({len(comparison.moves)})")
    for column in ("ad", "source", "stored tier (score)", "new tier (score)"):
        table.add_column(column)
    for move in comparison.moves:
        table.add_row(
            str(move.ad_id),
            move.source,
            f"{move.old_tier} ({move.old_value:g})",
            f"{move.new_tier} ({move.new_value:g})",
        )
    return table


def pairs_table(comparison: Comparison) -> Table:
    """Counts of ads per stored tier (rows) and new tier (columns)."""
    stored = comparison.stored_version or "(no scores stored yet)"
    table = Table(title=f"{stored} → {comparison.current_version}")
    table.add_column("stored \\ new")
    for tier in TIER_ORDER:
        table.add_column(tier, justify="right")
    stored_tiers = [*TIER_ORDER, "nieuw"]
    for old in stored_tiers:
        counts = [comparison.pairs.get((old, new), 0) for new in TIER_ORDER]
        if old != "nieuw" or any(counts):
            table.add_row(old, *(str(count) for count in counts))
    return table
