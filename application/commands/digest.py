"""`adwatch digest`: send the nightly e-mail digest to the officers who opted in (the last step
of the nightly job; does nothing while `digest.enabled` is false)."""

from __future__ import annotations

import click

from adwatch.instance import Instance
from application.commands.common import reports_errors


@click.command()
@reports_errors
def digest() -> None:
    """E-mail each opted-in officer the counts of what is new, with a link (no ad content)."""
    from adwatch.casework.digest import send_digests

    sent = send_digests(Instance.from_environment())
    click.echo(f"digest: {sent} sent")
