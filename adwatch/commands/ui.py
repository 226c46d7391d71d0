"""`adwatch serve` (the review UI) and `adwatch user` (personal accounts)."""

from __future__ import annotations

import gc
import ipaddress
import sys

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from adwatch.accounts import AccountError, create_user, totp_uri
from adwatch.commands.base import reports_errors
from adwatch.errors import ConfigError
from adwatch.instance import Instance
from adwatch.models import ROLES, User
from adwatch.settings import require_secret_key

console = Console()


def is_loopback(host: str) -> bool:
    """True when the host only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--behind-tls", is_flag=True, help="A TLS proxy in front: cookies get `Secure`.")
@reports_errors
def serve(host: str, port: int, behind_tls: bool) -> None:
    """Serve the review UI; beyond 127.0.0.1 every login needs a TOTP code."""
    import uvicorn

    from review_ui.app import create_app

    instance = Instance.from_environment()
    instance.require_current_schema()
    require_secret_key(instance.settings)
    app = create_app(instance, require_totp=not is_loopback(host), secure_cookies=behind_tls)
    # Objects made at start-up live as long as the server: keep them out of every collection,
    # or a full collection every few page views walks them all again.
    gc.collect()
    gc.freeze()
    console.print(f"review UI on http://{host}:{port}/ (stop with Ctrl-C)")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=behind_tls)


@click.group()
def user() -> None:
    """Personal accounts of the review UI (there is no default account)."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True)
@reports_errors
def add_user(name: str, role: str, password_stdin: bool, base_url: str) -> None:
    """Create account NAME; prints a one-time setup link (or reads the password from stdin)."""
    instance = Instance.from_environment()
    instance.require_current_schema()
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        with instance.db.writing() as session:
            created, token = create_user(session, name, role, password)
            uri = totp_uri(created)
    except AccountError as exc:
        raise ConfigError(f"user add: {exc}") from exc
    if token:
        click.echo(f"setup link (valid 72 hours, once): {base_url.rstrip('/')}/setup/{token}")
    else:
        click.echo(f"user {name} created; add this to the authenticator app: {uri}")


@user.command("list")
@reports_errors
def list_users() -> None:
    """List the accounts with role, status and last login."""
    instance = Instance.from_environment()
    instance.require_current_schema()
    with instance.db.reading() as session:
        users = session.scalars(select(User).order_by(User.username)).all()
    table = Table(title="users")
    for column in ("user", "role", "active", "set up", "last login"):
        table.add_column(column)
    for row in users:
        last = f"{row.last_login_at:%Y-%m-%d %H:%M} UTC" if row.last_login_at else "never"
        ready = "no (setup link open)" if row.setup_token_hash else "yes"
        table.add_row(row.username, row.role, "yes" if row.active else "no", ready, last)
    console.print(table)
