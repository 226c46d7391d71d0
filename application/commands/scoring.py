"""`adwatch score` and `adwatch hits`: wiring the scoring package to the instance."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click
from rich.console import Console
from rich.table import Table

from adwatch.config.municipalities import known_municipality, municipality_codes
from adwatch.instance import Instance
from adwatch.vocabulary import TIER_ORDER
from application.commands.common import reports_errors
from application.commands.scoringrun import load_instance_rules, score_instance


def explain_ad(instance: Instance, ad_id: int) -> list[str]:
    """Why ad `ad_id` scores as it does: hits with evidence, stopped matches, extraction."""
    from adwatch.config.scope import ScopeMatcher
    from adwatch.storage.models import Ad
    from scoring.batch import analyse_stored
    from scoring.explain import explain_lines
    from scoring.pipeline import AdScorer
    from scoring.score import score_ad
    from scoring.stored import load_ads

    rules = load_instance_rules(instance)
    with instance.db.reading() as session:
        ads = load_ads(session, Ad.id == ad_id)
    if not ads:
        raise click.UsageError(f"no ad with id {ad_id}")
    matchers = ScopeMatcher.from_config_dir(instance.settings.config_dir).matchers
    finder = matchers.get(ads[0].municipality) or next(iter(matchers.values()))
    analysis = analyse_stored(ads[0], AdScorer(rules, places=finder))
    header = f"ad {ad_id}, newest version (text indicators only; links: adwatch hits --json)"
    return [header, *explain_lines(analysis, score_ad(analysis.hits, rules))]


def summary_table(summary) -> Table:
    """The end-of-scoring table."""
    table = Table(title=f"scoring ({summary.rules_version})")
    table.add_column("")
    table.add_column("count", justify="right")
    rows = {
        "ads": summary.ads,
        "analysed (new or changed)": summary.analysed,
        "scores written": summary.rescored,
        "networks": summary.networks,
        "indicator failures": summary.failures,
    }
    rows.update({f"written in tier {tier}": summary.tiers.get(tier, 0) for tier in TIER_ORDER})
    for what, count in rows.items():
        table.add_row(what, str(count))
    return table


def hits_json(
    instance: Instance,
    tier: str | None,
    since: datetime | None,
    all_ads: bool,
    municipality: str | None = None,
):
    """The hits report as JSON text."""
    from scoring.hitsreport import hits_report

    rules = load_instance_rules(instance)
    with instance.db.reading() as session:
        rows = hits_report(
            session,
            rules.version,
            tier=tier,
            since=since,
            include_all=all_ads,
            municipality=municipality,
        )
    return json.dumps(rows, ensure_ascii=False, indent=2)


@click.command()
@click.option("--all", "full", is_flag=True, help="Re-analyse every ad, not only new or changed.")
@click.option(
    "--compare",
    is_flag=True,
    help="Show which ads would move tier under the current rules; writes nothing.",
)
@click.option(
    "--explain",
    "explain",
    type=int,
    metavar="AD_ID",
    help="Show why one ad scores as it does (also what stopped a match); writes nothing.",
)
@reports_errors
def score(full: bool, compare: bool, explain: int | None = None) -> None:
    """Score new or changed ads (and what links to them) under the current rules."""
    instance = Instance.from_environment()
    instance.require_current_schema()
    if explain is not None:
        click.echo("\n".join(explain_ad(instance, explain)))
        return
    if compare:
        from application.commands.compare import compare_instance, moves_table, pairs_table

        comparison = compare_instance(instance)
        Console().print(pairs_table(comparison), moves_table(comparison))
        click.echo("nothing written: run `adwatch score` to apply the current rules")
        return
    summary = score_instance(instance, full=full)
    Console().print(summary_table(summary))
    from application.commands.opinion import opinion_after_score

    if said := opinion_after_score(instance, summary.rules_version):
        click.echo(said)


@click.command()
@click.option(
    "--json", "as_json", is_flag=True, required=True, help="Print JSON (the only output form)."
)
@click.option("--tier", type=click.Choice(TIER_ORDER), help="Only ads in this tier.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Only ads seen since that day (UTC).",
)
@click.option("--all", "all_ads", is_flag=True, help="Include stored ads without hits.")
@click.option("--municipality", metavar="CODE", help="Only this municipality's ads.")
@reports_errors
def hits(
    as_json: bool, tier: str | None, since: datetime | None, all_ads: bool, municipality: str | None
) -> None:
    """Print the scored ads with every indicator and its evidence, as JSON."""
    instance = Instance.from_environment()
    instance.require_current_schema()
    since_utc = since.replace(tzinfo=UTC) if since is not None else None
    if municipality is not None:
        known_municipality(municipality, municipality_codes(instance.settings.config_dir))
    click.echo(hits_json(instance, tier, since_utc, all_ads, municipality))
