"""`adwatch evidence export|verify` and `adwatch custody verify`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from adwatch.errors import AdwatchError
from application.commands.common import output_option


def _run(action: Callable[[], Any]) -> Any:
    """Run the command's work, turning adwatch's typed errors into a message and exit code."""
    try:
        return action()
    except AdwatchError as exc:
        click.echo(f"adwatch: {exc}", err=True)
        sys.exit(exc.exit_code)


@click.group()
def evidence() -> None:
    """Evidence packs: export one for a recipient, or verify one."""


@evidence.command("export")
@click.option("--ad", "ad_ids", type=int, multiple=True, help="An ad id (repeatable).")
@click.option("--network", "network_id", help="A network id: every member ad is exported.")
@click.option("--purpose", required=True, help="Why the pack is made (doel).")
@click.option("--legal-basis", required=True, help="The legal basis of the hand-over.")
@click.option("--recipient", required=True, help="Who receives the pack.")
@click.option("--case", "case_ref", required=True, help="The case reference.")
@click.option("--actor", required=True, help="Username of the exporting officer.")
@output_option("The pack (.zip) to write.")
@click.option(
    "--tsa-url", help="RFC 3161 timestamp authority to stamp the pack digest (default: none)."
)
@click.option("--zaaknummer", help="The case number; the pack's file name starts with it.")
def export_command(
    ad_ids: tuple[int, ...],
    network_id: str | None,
    purpose: str,
    legal_basis: str,
    recipient: str,
    case_ref: str,
    actor: str,
    out_path: Path,
    tsa_url: str | None,
    zaaknummer: str | None,
) -> None:
    """Export an evidence pack for an ad or a network, for one recipient and purpose.

    -o may be a folder: the pack is then named `<zaaknummer>_bewijspakket_<time>.zip`."""
    from adwatch.evidence import export_pack
    from adwatch.instance import Instance

    def work() -> Any:
        instance = Instance.from_environment()
        instance.require_current_schema()
        return export_pack(
            instance,
            ad_ids=list(ad_ids),
            network_id=network_id,
            purpose=purpose,
            legal_basis=legal_basis,
            recipient=recipient,
            case_ref=case_ref,
            actor=actor,
            out_path=out_path,
            tsa_url=tsa_url,
            zaaknummer=zaaknummer,
        )

    result = _run(work)
    click.echo(f"pack written: {result.path}")
    click.echo(f"ads: {', '.join(map(str, result.ad_ids))}")
    click.echo(f"pack digest (send it apart from the pack): {result.manifest_digest}")
    click.echo(f"custody entry: {result.custody_seq}")


@evidence.command("verify")
@click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--digest", help="The pack digest you were given apart from the pack.")
@click.option(
    "--tsa-cert",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="PEM certificate of the timestamp authority: check the timestamp's signature too.",
)
def verify_command(pack: Path, digest: str | None, tsa_cert: Path | None) -> None:
    """Check every member of PACK against its manifest; needs no adwatch database."""
    from adwatch.evidence.verify import printable, verify_pack

    certificate = tsa_cert.read_bytes() if tsa_cert else None
    report = verify_pack(pack, expected_digest=digest, tsa_certificate=certificate)
    shown = printable(pack)
    for problem in report.problems:
        click.echo(f"NOT OK: {printable(problem)}", err=True)
    if not report.ok:
        click.echo(
            f"{shown}: {len(report.problems)} problem(s); do not rely on this pack", err=True
        )
        sys.exit(1)
    click.echo(f"{shown}: intact ({report.members} members)")
    click.echo(f"pack digest: {report.pack_digest}")
    if not digest:
        click.echo("compare the pack digest with the one you were sent apart from the pack")
    for key in ("zaaknummer", "case", "created", "recipient", "purpose"):
        click.echo(f"{key}: {printable(report.meta.get(key))}")
    if report.timestamp:
        click.echo(f"timestamped at: {printable(report.timestamp)}")


@click.group()
def custody() -> None:
    """The chain of custody of evidence packs."""


@custody.command("verify")
def custody_verify() -> None:
    """Check the custody and audit logs, their agreement with the packs, and the seals."""
    from adwatch.evidence.custody import verify_custody
    from adwatch.evidence.sealing import seal_dir
    from adwatch.instance import Instance

    def work() -> Any:
        instance = Instance.from_environment()
        instance.require_current_schema()
        with instance.db.reading() as session:
            return verify_custody(session, seal_dir(instance))

    report = _run(work)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for problem in report.problems:
        click.echo(f"NOT OK: {problem}", err=True)
    if not report.ok:
        sys.exit(1)
    click.echo(f"custody log intact: {report.entries} entries; audit log and seals agree")


@click.command("seal")
def seal_command() -> None:
    """Seal the chain heads and every finished crawl WARC not sealed yet (nightly)."""
    from adwatch.evidence.sealing import seal_all
    from adwatch.instance import Instance

    def work() -> Any:
        instance = Instance.from_environment()
        instance.require_current_schema()
        return seal_all(instance)

    report = _run(work)
    click.echo(f"sealed {len(report.warc_files)} WARC file(s) and the chain heads")
    click.echo(f"timestamped by the authority: {report.stamped}")
