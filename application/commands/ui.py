"""`adwatch serve` (the review UI) and `adwatch user` (personal accounts)."""

from __future__ import annotations

import gc
import getpass
import ipaddress
import sys

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from adwatch.access.accounts import (
    AccountError,
    change_grant,
    create_user,
    grants_by_user,
    grants_of,
    set_active,
    totp_uri,
    user_named,
)
from adwatch.config.municipalities import known_municipality, municipality_codes
from adwatch.config.settings import require_secret_key
from adwatch.errors import ConfigError
from adwatch.instance import Instance
from adwatch.storage.models import ROLES, User
from adwatch.vocabulary import ADMIN
from application.commands.common import reports_errors

console = Console()


def is_loopback(host: str) -> bool:
    """True when the host only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_serve_mode(host: str, behind_tls: bool, local_only: bool) -> None:
    """Local-only (no TOTP) is for loopback without a proxy in front; anything else needs TOTP."""
    if local_only and behind_tls:
        raise ConfigError(
            "serve: --local-only and --behind-tls exclude each other: behind a proxy every "
            "login needs TOTP. Fix: leave out --local-only."
        )
    if local_only and not is_loopback(host):
        raise ConfigError(
            f"serve: --local-only listens on loopback only, not {host}. Fix: --host 127.0.0.1."
        )


def allowed_hosts(instance: Instance, host: str) -> frozenset[str]:
    """The Host allow-list: configured, or the listening address and localhost."""
    configured = instance.app_config.serve.allowed_hosts
    if configured:
        return frozenset(h.lower() for h in configured)
    return frozenset({host.lower(), "localhost", "127.0.0.1", "[::1]"})


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--behind-tls", is_flag=True, help="A TLS proxy in front: Secure __Host- cookies, HSTS."
)
@click.option(
    "--local-only", is_flag=True, help="Loopback, no proxy: logins without TOTP (demo, tests)."
)
@reports_errors
def serve(host: str, port: int, behind_tls: bool, local_only: bool) -> None:
    """Serve the review UI; every login needs a TOTP code unless --local-only."""
    import uvicorn

    from review_ui.app import create_app
    from review_ui.errors import secure_protocol
    from review_ui.security import HEADERS, HSTS

    check_serve_mode(host, behind_tls, local_only)
    instance = Instance.from_environment()
    instance.require_current_schema()
    require_secret_key(instance.settings)
    hosts = allowed_hosts(instance, host)
    app = create_app(
        instance, require_totp=not local_only, secure_cookies=behind_tls, allowed_hosts=hosts
    )
    headers = {**HEADERS, **({"Strict-Transport-Security": HSTS} if behind_tls else {})}
    # Objects made at start-up live as long as the server: keep them out of every collection,
    # or a full collection every few page views walks them all again.
    gc.collect()
    gc.freeze()
    if not behind_tls and not is_loopback(host):
        console.print(
            f"[yellow]warning[/] {host} without --behind-tls: passwords and sessions cross the "
            "network unencrypted. Put the TLS reverse proxy of docs/deployment.md in front."
        )
    mode = "local only, no TOTP" if local_only else "TOTP on every login"
    console.print(f"review UI on http://{host}:{port}/ ({mode}; stop with Ctrl-C)")
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        http=secure_protocol(headers),
        ws="none",
        proxy_headers=behind_tls,
        forwarded_allow_ips=list(instance.app_config.serve.trusted_proxies),
        server_header=False,
    )


def cli_actor() -> str:
    """Who changed an account from the command line, for the audit log."""
    return f"cli:{getpass.getuser()}"


@click.group()
def user() -> None:
    """Personal accounts of the review UI (there is no default account)."""


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    required=True,
    help="officer: reviews and decides; viewer: the same, read only; admin: accounts, no ads.",
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    metavar="CODE",
    help="Grant this municipality (repeatable); the only one by default.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--base-url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Address of the review UI, for the setup link.",
)
@reports_errors
def add_user(
    name: str, role: str, municipalities: tuple[str, ...], password_stdin: bool, base_url: str
) -> None:
    """Create account NAME; prints a one-time setup link (or reads the password from stdin)."""
    instance = Instance.from_environment()
    instance.require_current_schema()
    codes = _grants_for_new_user(instance, role, municipalities)
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        with instance.db.writing() as session:
            key = instance.totp_key
            created, token = create_user(session, name, role, password, key=key, actor=cli_actor())
            for code in codes:
                change_grant(session, created, code, granted=True, actor=cli_actor())
            uri = totp_uri(created, key)
    except AccountError as exc:
        raise ConfigError(f"user add: {exc}") from exc
    if token:
        click.echo(f"setup link (valid 72 hours, once): {base_url.rstrip('/')}/setup/{token}")
    else:
        click.echo(f"user {name} created; add this to the authenticator app: {uri}")
    if codes:
        click.echo(f"granted: {', '.join(codes)}")


def _grants_for_new_user(instance: Instance, role: str, asked: tuple[str, ...]) -> list[str]:
    configured = municipality_codes(instance.settings.config_dir)
    if role == ADMIN:
        if asked:
            raise ConfigError("user add: administrators see no ads. Fix: leave out --municipality.")
        return []
    if not asked and len(configured) > 1:
        raise ConfigError(
            "user add: which municipalities may this user see? "
            f"Fix: add --municipality with one or more of {', '.join(configured)}."
        )
    return [known_municipality(code, configured) for code in asked] if asked else list(configured)


@user.command("grant")
@click.argument("name")
@click.argument("municipality")
@reports_errors
def grant_user(name: str, municipality: str) -> None:
    """Let user NAME see MUNICIPALITY's ads, decisions, notes and packs."""
    _change_grant(name, municipality, granted=True)


@user.command("revoke")
@click.argument("name")
@click.argument("municipality")
@reports_errors
def revoke_user(name: str, municipality: str) -> None:
    """Take MUNICIPALITY away from user NAME (effective on their next page)."""
    _change_grant(name, municipality, granted=False)


def _change_grant(name: str, municipality: str, *, granted: bool) -> None:
    instance = Instance.from_environment()
    instance.require_current_schema()
    if granted:
        known_municipality(municipality, municipality_codes(instance.settings.config_dir))
    try:
        with instance.db.writing() as session:
            account = user_named(session, name)
            actor = cli_actor()
            changed = change_grant(session, account, municipality, granted=granted, actor=actor)
            now = grants_of(session, account.id)
    except AccountError as exc:
        raise ConfigError(f"user {'grant' if granted else 'revoke'}: {exc}") from exc
    state = "changed" if changed else "unchanged"
    click.echo(f"user {name}: {state}; municipalities: {', '.join(now) or 'none'}")


@user.command("disable")
@click.argument("name")
@reports_errors
def disable_user(name: str) -> None:
    """Disable account NAME at once: its sessions end, it can no longer log in (audited)."""
    _set_active(name, active=False)


@user.command("enable")
@click.argument("name")
@reports_errors
def enable_user(name: str) -> None:
    """Enable account NAME again (audited)."""
    _set_active(name, active=True)


def _set_active(name: str, *, active: bool) -> None:
    instance = Instance.from_environment()
    instance.require_current_schema()
    try:
        with instance.db.writing() as session:
            changed = set_active(session, user_named(session, name), active, actor=cli_actor())
    except AccountError as exc:
        raise ConfigError(f"user {'enable' if active else 'disable'}: {exc}") from exc
    state = ("enabled" if active else "disabled") if changed else "unchanged"
    click.echo(f"user {name}: {state}")


@user.command("list")
@reports_errors
def list_users() -> None:
    """List the accounts with role, status and last login."""
    instance = Instance.from_environment()
    instance.require_current_schema()
    with instance.db.reading() as session:
        users = session.scalars(select(User).order_by(User.username)).all()
        grants = grants_by_user(session)
    table = Table(title="users")
    for column in ("user", "role", "municipalities", "active", "set up", "last login"):
        table.add_column(column)
    for row in users:
        last = f"{row.last_login_at:%Y-%m-%d %H:%M} UTC" if row.last_login_at else "never"
        ready = "no (setup link open)" if row.setup_token_hash else "yes"
        active = "yes" if row.active else "no"
        granted = ", ".join(grants.get(row.id, [])) or "none"
        table.add_row(row.username, row.role, granted, active, ready, last)
    console.print(table)
