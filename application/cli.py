"""The `adwatch` command line: the only place that wires crawler, scoring and the UI together."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from adwatch import __version__
from adwatch.instance import Instance
from adwatch.storage.migrate import upgrade
from application.commands.common import reports_errors

console = Console()


@click.group()
@click.version_option(__version__, prog_name="adwatch")
def main() -> None:
    """adwatch: signals of exploitation in online sex-work ads, for the municipality's officer.

    Scores only order the review queue; every decision is the officer's.
    """


@main.command()
@click.option("--production", is_flag=True, help="Mark the database as holding real data.")
@reports_errors
def init(production: bool) -> None:
    """Create the database, or migrate it to the newest schema."""
    from adwatch.config.municipalities import only_municipality
    from adwatch.config.production import (
        is_production,
        mark_production,
        refuse_public_key_for_production,
    )
    from application.commands.ops import tighten_instance

    instance = Instance.from_environment()
    if production:
        refuse_public_key_for_production(instance.settings.secret_key)
    upgrade(instance.db, only_municipality(instance.settings.config_dir))
    if production:
        mark_production(instance.db)
    instance.require_current_schema()
    tighten_instance(instance)
    kind = "production" if is_production(instance.db) else "not marked as production"
    console.print(f"database ready ({kind}): {instance.settings.database_url}")


@main.command()
@click.argument("source_names", nargs=-1)
@click.option("--base-url", help="Point local test sources at another address (demo, tests).")
@click.option("--no-progress", is_flag=True, help="No live progress display.")
@click.option(
    "--worker",
    is_flag=True,
    help="Take pages from the run an `adwatch crawl` seeded in ADWATCH_REDIS_URL.",
)
@reports_errors
def crawl(
    source_names: tuple[str, ...], base_url: str | None, no_progress: bool, worker: bool
) -> None:
    """Crawl SOURCE_NAMES (default: every enabled source) into the database."""
    from application.commands.crawl import crawl_sources

    instance = Instance.from_environment()
    instance.require_current_schema()
    summaries = crawl_sources(instance, list(source_names), base_url, not no_progress, worker)
    if not all(summary.ok for summary in summaries):
        sys.exit(1)


@main.command()
@reports_errors
def sources() -> None:
    """List the configured sources with their last successful run."""
    from adwatch.config.sources import load_sources
    from adwatch.operations.status import last_runs

    instance = Instance.from_environment()
    instance.require_current_schema()
    configured = load_sources(instance.settings.sources_dir)
    runs = last_runs(instance.db)
    table = Table(title="sources")
    for column in ("source", "title", "enabled", "browser", "last successful run", "last run"):
        table.add_column(column)
    for name, source in configured.items():
        ok, last = runs.get(name, (None, None))
        table.add_row(
            name,
            source.title,
            "yes" if source.enabled else "no",
            "yes" if source.render else "no",
            ok or "never",
            last or "never",
        )
    console.print(table)


@main.command()
@click.option("--run-now", is_flag=True, help="Run the job once at start, then keep the schedule.")
@reports_errors
def schedule(run_now: bool) -> None:
    """Run the nightly job (crawl, then what follows it) at the configured time, until stopped."""
    from adwatch.operations.scheduler import run_scheduler

    run_scheduler(Instance.from_environment(), run_now=run_now)


@main.command()
@click.option("--port", default=8765, show_default=True, help="Port of the demo platform.")
@click.option("--seed", default=2026, show_default=True, help="Seed of the generated ads.")
@click.option("--ui-port", default=8000, show_default=True, help="Port of the review UI.")
@click.option("--no-serve", is_flag=True, help="Stop after scoring instead of serving the UI.")
@click.option(
    "--second-opinion",
    is_flag=True,
    help="Train the second opinion on the shipped development corpus and switch it on for the "
    "demo only (needs a source checkout).",
)
@reports_errors
def demo(port: int, seed: int, ui_port: int, no_serve: bool, second_opinion: bool) -> None:
    """Crawl the synthetic demo platform on two days, score it, and serve the review UI."""
    from application.commands.demo import run_demo

    run_demo(
        port=port,
        seed=seed,
        ui_port=None if no_serve else ui_port,
        second_opinion=second_opinion,
    )


# The command groups of the other packages' wiring, each in its own module of application.commands.
from application.commands.digest import digest  # noqa: E402
from application.commands.evidence import custody, evidence, seal_command  # noqa: E402
from application.commands.opinion import opinion  # noqa: E402
from application.commands.ops import backup_command, restore_command, status  # noqa: E402
from application.commands.privacy import audit, hold, purge, subject, users  # noqa: E402
from application.commands.report import report  # noqa: E402
from application.commands.scoring import hits, score  # noqa: E402
from application.commands.ui import serve, user  # noqa: E402

for command in (
    score,
    hits,
    opinion,
    serve,
    user,
    evidence,
    custody,
    seal_command,
    status,
    backup_command,
    restore_command,
    report,
    purge,
    subject,
    audit,
    hold,
    users,
    digest,
):
    main.add_command(command)
