"""`adwatch purge`, `subject`, `audit`, `hold` and `users review`: retention and rights.

The one place that turns a phone number (scoring.phones) or an image file (adwatch.imaging, with
the photo distance of indicators.yaml) into the identifiers `adwatch.privacy.subjects` looks for.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from adwatch.config.settings import require_secret_key
from adwatch.errors import ConfigError
from adwatch.instance import Instance
from adwatch.timeutil import utcnow
from application.commands.common import output_option, reports_errors

console = Console()


def _instance() -> Instance:
    instance = Instance.from_environment()
    instance.require_current_schema()
    return instance


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what would go; change nothing.")
@reports_errors
def purge(dry_run: bool) -> None:
    """Remove what has outlived its retention term (config: retention.*)."""
    from adwatch.privacy.purge import purge as run_purge

    report = run_purge(_instance(), utcnow(), dry_run=dry_run)
    _print_report(report)
    if report.files.errors:
        for error in report.files.errors:
            click.echo(f"adwatch: {error}", err=True)
        sys.exit(1)


def _print_report(report: Any) -> None:
    verb = "would remove" if report.dry_run else "removed"
    table = Table(
        title=f"purge: {verb}" + (" (dry run, nothing changed)" if report.dry_run else "")
    )
    for column in ("category", "ads", "rows"):
        table.add_column(column)
    for category, ad_ids in report.ads.items():
        rows = ", ".join(f"{k} {v}" for k, v in sorted(report.rows.get(category, {}).items()))
        table.add_row(category, str(len(ad_ids)), rows)
    files = ", ".join(f"{k} {v}" for k, v in report.files.as_dict().items())
    table.add_row("storage", "", files)
    if report.sessions:
        table.add_row("login sessions", "", f"user_session {report.sessions}")
    console.print(table)


def _identifier(
    instance: Instance,
    phone: str | None,
    ad: int | None,
    image: Path | None,
    municipality: str | None,
):
    from adwatch.privacy.subjects import Identifier

    if sum(x is not None for x in (phone, ad, image)) != 1:
        raise ConfigError("name exactly one of --phone, --ad or --image")
    code = _request_municipality(instance, municipality)
    if ad is not None:
        return Identifier(kind="ad", ad_id=ad, municipality=code)
    if phone is not None:
        return Identifier(kind="phone", phone_key=_phone_key(instance, phone), municipality=code)
    return dataclasses.replace(_image_identifier(instance, image), municipality=code)


def _request_municipality(instance: Instance, given: str | None) -> str:
    """The municipality the request is made to: each keeps its own copies of an ad, so a
    request to one never reaches another's. Must be named where several are configured."""
    from adwatch.config.municipalities import chosen_municipality

    return chosen_municipality(instance.settings.config_dir, given, "subject").code


def _phone_key(instance: Instance, number: str) -> str:
    from scoring.phones import e164_numbers, phone_key

    numbers = e164_numbers(number)
    if len(numbers) != 1:
        raise ConfigError(f"--phone: {number!r} is not one phone number (e.g. 0612345678)")
    return phone_key(numbers[0], require_secret_key(instance.settings))


def _image_identifier(instance: Instance, path: Path):
    from adwatch.imaging import HASH_PIPELINE_VERSION, decode_image, image_hashes
    from adwatch.privacy.subjects import Identifier
    from adwatch.storage.blobstore import sha256_of
    from application.commands.scoringrun import load_instance_rules

    data = path.read_bytes()
    hashes = image_hashes(decode_image(data))
    return Identifier(
        kind="image",
        sha256=sha256_of(data),
        phashes=hashes.all_phashes(),
        max_distance=load_instance_rules(instance).parameters.photo_max_distance,
        pipeline=HASH_PIPELINE_VERSION,
    )


def identifier_options(command: Any) -> Any:
    """The options every subject command shares."""
    options = (
        click.option(
            "--actor", required=True, help="Username of the officer handling the request."
        ),
        click.option(
            "--image",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="An image file; ads with the same or a near-identical image match.",
        ),
        click.option("--ad", type=int, help="An ad id."),
        click.option("--phone", help="A phone number, in any usual notation."),
        click.option(
            "--municipality",
            metavar="CODE",
            help="The municipality the request was made to (required when there are several).",
        ),
    )
    for option in options:
        command = option(command)
    return command


@click.group()
def subject() -> None:
    """A data subject's request: find, export (access) or erase what is linked to them."""


@subject.command("find")
@identifier_options
@reports_errors
def subject_find(
    phone: str | None, ad: int | None, image: Path | None, municipality: str | None, actor: str
) -> None:
    """List every record linked to the phone number, ad or image (give exactly one)."""
    from adwatch.privacy.subjects import find, record, summary

    instance = _instance()
    ident = _identifier(instance, phone, ad, image, municipality)
    with instance.db.writing() as session:
        found = find(session, ident)
        rows = summary(session, found.ad_ids)
        record(session, actor, "subject_find", found, ident)
    _print_found(rows, found)


def _print_found(rows: list[dict[str, Any]], found: Any) -> None:
    if not rows:
        click.echo("nothing found")
        return
    click.echo(f"{len(rows)} ad(s) linked{_images(found)}")
    for row in rows:
        click.echo(
            "  " + ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in row.items())
        )


def _images(found: Any) -> str:
    return f", images {', '.join(map(str, found.image_ids))}" if found.image_ids else ""


@subject.command("export")
@identifier_options
@output_option("The JSON file to write.")
@reports_errors
def subject_export(
    phone: str | None,
    ad: int | None,
    image: Path | None,
    municipality: str | None,
    actor: str,
    out_path: Path,
) -> None:
    """Write every record linked to the --phone, --ad or --image as JSON, for an access request."""
    from adwatch.privacy.subjects import export_document, find, record

    instance = _instance()
    ident = _identifier(instance, phone, ad, image, municipality)
    with instance.db.writing() as session:
        found = find(session, ident)
        document = export_document(session, found, ident)
        record(session, actor, "subject_export", found, ident)
    out_path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    click.echo(f"{out_path}: {len(found.ad_ids)} ad(s), {len(document['blobs'])} blob(s)")


@subject.command("erase")
@identifier_options
@reports_errors
def subject_erase(
    phone: str | None, ad: int | None, image: Path | None, municipality: str | None, actor: str
) -> None:
    """Remove every record linked to the --phone, --ad or --image; refused under a hold, an
    evidence pack or an open case."""
    from adwatch.privacy.subjects import erase

    instance = _instance()
    ident = _identifier(instance, phone, ad, image, municipality)
    report = erase(instance, ident, actor, utcnow())
    if not report.ads:
        click.echo("nothing found; nothing erased")
        return
    _print_report(report)


@click.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
@reports_errors
def audit_verify() -> None:
    """Check that no audit entry was edited, removed or reordered."""
    from adwatch.storage.chain import verify_chain
    from adwatch.storage.models import AuditEvent

    with _instance().db.reading() as session:
        report = verify_chain(session, AuditEvent)
    for problem in report.problems:
        click.echo(f"NOT OK: audit {problem}", err=True)
    if not report.ok:
        sys.exit(1)
    click.echo(f"audit log intact: {report.entries} entries")


@audit.command("export")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="First day (UTC); default: from the start.",
)
@output_option("The JSON lines file to write.")
@reports_errors
def audit_export(since: datetime | None, out_path: Path) -> None:
    """Write the entries as JSON lines with their hashes, for an independent check."""
    from adwatch.privacy.accountability import audit_lines

    start = since.replace(tzinfo=UTC) if since else None
    with _instance().db.reading() as session:
        lines = audit_lines(session, start)
    with out_path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n")
    click.echo(f"{out_path}: {len(lines)} entries")


@click.group()
def hold() -> None:
    """Legal holds: keep an ad or network whatever its retention term says."""


@hold.command("add")
@click.option("--ad", "ad_id", type=int, help="The ad to keep.")
@click.option("--network", "network_id", help="The network whose ads to keep.")
@click.option("--reason", required=True, help="Why it must be kept (e.g. the case reference).")
@click.option("--actor", required=True, help="Username of the officer.")
@reports_errors
def hold_add(ad_id: int | None, network_id: str | None, reason: str, actor: str) -> None:
    """Put an ad (--ad) or a network (--network) under a legal hold."""
    from adwatch.privacy.accountability import add_hold

    with _instance().db.writing() as session:
        created = add_hold(session, actor, reason, ad_id, network_id)
        hold_id = created.id
    click.echo(f"legal hold {hold_id} added")


@hold.command("release")
@click.argument("hold_id", type=int)
@click.option("--actor", required=True, help="Username of the officer.")
@reports_errors
def hold_release(hold_id: int, actor: str) -> None:
    """Release legal hold HOLD_ID."""
    from adwatch.privacy.accountability import release_hold

    with _instance().db.writing() as session:
        release_hold(session, actor, hold_id)
    click.echo(f"legal hold {hold_id} released")


@click.group()
def users() -> None:
    """The periodic access review of the accounts."""


@users.command("review")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@reports_errors
def users_review_command(as_json: bool) -> None:
    """List users, roles, second factor, last login and rights changes from the audit log."""
    from adwatch.privacy.accountability import users_review

    with _instance().db.reading() as session:
        rows = users_review(session)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table(title="access review")
    columns = ("user", "role", "municipalities", "active", "TOTP set up", "last login", "changes")
    for column in columns:
        table.add_column(column)
    for row in rows:
        flags = ("yes" if row["active"] else "no", "yes" if row["totp"] else "no")
        changes = "\n".join(row["changes"]) or "none"
        granted = ", ".join(row["municipalities"]) or "none"
        last = row["last_login"] or "never"
        table.add_row(row["user"], row["role"], granted, *flags, last, changes)
    console.print(table)
