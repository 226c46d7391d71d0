"""`adwatch status`, `adwatch backup` and `adwatch restore`: keeping the instance healthy."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from adwatch.access.accounts import seal_plain_totp_secrets
from adwatch.access.secretbox import totp_key
from adwatch.instance import Instance
from adwatch.operations.health import LastRun, StorageState, storage_state
from adwatch.storage.filemodes import loose_paths, tighten
from adwatch.vocabulary import STORAGE_FULL
from application.commands.common import output_option, reports_errors

console = Console(soft_wrap=True)
EXIT_STORAGE_FULL = 3
EXIT_NOT_OK = 1


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


@click.command()
@reports_errors
def status() -> None:
    """Show the instance's health: database revision, free space, last run per source with its
    alarms, leftover temporaries, and files other users of the machine could read."""
    instance = Instance.from_environment()
    state = storage_state(instance)
    _print_state(state)
    for loose in loose_paths(instance.settings.data_dir, instance.settings.blob_dir):
        console.print(f"[yellow]warning[/] readable by others: {loose} (fix: `adwatch init`)")
    if state.full:
        click.echo("STORAGE IS FULL: free space, then run the crawl again", err=True)
        sys.exit(EXIT_STORAGE_FULL)
    if state.problems or not state.schema_current:
        sys.exit(EXIT_NOT_OK)


def _print_state(state: StorageState) -> None:
    current = "up to date" if state.schema_current else f"needs {state.head}: run `adwatch init`"
    console.print(f"database revision: {state.revision or '(empty)'} ({current})")
    for folder in state.folders:
        flag = " [bold red]FULL[/]" if folder.full else " [yellow]low[/]" if folder.low else ""
        size = f"{_size(folder.free_bytes)} free of {_size(folder.total_bytes)}"
        console.print(f"free space ({folder.role}, {folder.path}): {size}{flag}")
    console.print(f"leftover temporary blobs: {state.leftover_temporaries}")
    for problem in state.problems:
        console.print(f"[red]problem[/] {problem}")
    console.print(_runs_table(state.runs))


def _runs_table(runs: list[LastRun]) -> Table:
    table = Table(title="last run per source")
    for column in ("source", "run", "status", "reason", "started", "alarms"):
        table.add_column(column)
    for run in runs:
        table.add_row(
            run.source,
            str(run.run_id),
            run.status,
            "[bold red]STORAGE FULL[/]" if run.storage_full else (run.finish_reason or ""),
            f"{run.started_at:%Y-%m-%d %H:%M} UTC",
            _alarms(run),
        )
    return table


def _alarms(run: LastRun) -> str:
    kinds = Counter(alarm.get("kind", "?") for alarm in run.alarms)
    shown = [f"[bold red]{k}[/]" if k == STORAGE_FULL else k for k in kinds]
    return ", ".join(
        f"{label} ×{count}" for label, count in zip(shown, kinds.values(), strict=True)
    )


@click.command("backup")
@output_option("Folder to write the backup into.", "out_dir")
@reports_errors
def backup_command(out_dir: Path) -> None:
    """Back up the database, blobs and WARC files into OUTPUT, with a manifest of hashes."""
    from adwatch.operations.backup import backup

    instance = Instance.from_environment()
    instance.require_current_schema()
    result = backup(instance, out_dir)
    click.echo(f"backup written: {out_dir} ({result.database})")
    click.echo(f"blobs: {result.count('blobs/')}, WARC files: {result.count('warc/')}")
    click.echo(f"files in manifest: {len(result.resources)}")
    for digest in result.damaged_blobs:
        click.echo(f"NOT OK: blob {digest} did not match its hash (copied as it is)", err=True)
    if result.damaged_blobs:
        sys.exit(EXIT_NOT_OK)


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@reports_errors
def restore_command(folder: Path) -> None:
    """Restore the backup in FOLDER into this (empty) instance, then check it."""
    from adwatch.operations.restore import restore

    report = restore(Instance.from_environment(), folder)
    click.echo(f"restored {report.files} files from {folder}")
    click.echo(f"integrity check: {report.integrity}")
    click.echo(f"blobs checked: {report.blobs}, WARC files: {report.warc_files}")
    click.echo(f"audit log: {report.audit_entries}, custody log: {report.custody_entries} entries")
    for problem in report.problems:
        click.echo(f"NOT OK: {problem}", err=True)
    if not report.ok:
        sys.exit(EXIT_NOT_OK)


def tighten_instance(instance: Instance) -> None:
    """Make an existing instance private (issue 16, finding 4): folders 0700, files 0600,
    blobs 0400, TOTP secrets encrypted."""
    changed = tighten(instance.settings.data_dir, instance.settings.blob_dir)
    if changed:
        console.print(f"made {changed} files and folders private to this user")
    if instance.totp_key is None:
        return
    previous = instance.settings.previous_secret_key
    with instance.db.writing() as session:
        previous_key = totp_key(previous) if previous else None
        sealed = seal_plain_totp_secrets(session, instance.totp_key, previous_key)
    if sealed:
        console.print(f"encrypted {sealed} TOTP secrets with the instance key")
