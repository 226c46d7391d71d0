"""Issue 16, finding 8, against a real `adwatch serve`: a request uvicorn itself cannot parse,
or one for a foreign Host, gets the HTML error page with the security headers (uvicorn's own
400 was plain text without them). And finding 2: local-only mode cannot be combined with TLS."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import REPO, instance_env, migrated_database, run_cli
from tests.ui.test_ui_browser import free_port, wait_for


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    data_dir = tmp_path_factory.mktemp("serve") / "data"
    migrated_database(data_dir).dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
    env.update(instance_env(data_dir))
    command = [sys.executable, "-m", "application", "serve", "--port", str(port), "--local-only"]
    process = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _raw(port: int, request: bytes) -> tuple[str, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.decode("latin-1").lower(), body


@pytest.mark.parametrize(
    "request_bytes",
    [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nBad Header\r\n\r\n"],
)
def test_a_request_uvicorn_cannot_parse_gets_the_html_page_with_headers(served, request_bytes):
    head, body = _raw(served, request_bytes)
    assert head.startswith("http/1.1 400")
    assert "content-security-policy: default-src 'self'" in head
    assert "x-frame-options: deny" in head and "text/html" in head
    assert body.startswith(b"<!doctype html>")


def test_a_foreign_host_gets_the_error_page(served) -> None:
    head, body = _raw(
        served, b"GET /login HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    )
    assert head.startswith("http/1.1 400") and "content-security-policy" in head
    assert b"<html" in body


def test_the_login_page_answers_for_the_listening_address(served) -> None:
    head, _ = _raw(served, b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert head.startswith("http/1.1 200") and "server: uvicorn" not in head


def test_local_only_is_refused_behind_tls(tmp_path: Path) -> None:
    result = run_cli(instance_env(tmp_path), "serve", "--behind-tls", "--local-only")
    assert result.returncode == 2 and "TOTP" in result.stderr


def _serve_behind_tls(data_dir: Path, config_dir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
    env.update(instance_env(data_dir, config_dir))
    command = [sys.executable, "-m", "application", "serve", "--port", str(port), "--behind-tls"]
    process = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    wait_for(port, process)
    return process, port


@pytest.mark.parametrize(("trusted", "origin"), [(None, "203.0.113.5"), ([], "127.0.0.1")])
def test_forwarded_addresses_are_believed_only_from_trusted_proxies(tmp_path, trusted, origin):
    """Finding 2: X-Forwarded-* comes from `serve.trusted_proxies` only (default: loopback)."""
    import shutil

    import yaml
    from sqlalchemy import select

    from adwatch.storage.db import Database
    from adwatch.storage.models import AuditEvent
    from tests.helpers import CONFIG_DIR

    config_dir = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config_dir)
    if trusted is not None:
        app = yaml.safe_load((config_dir / "adwatch.yaml").read_text(encoding="utf-8"))
        app["serve"] = {"trusted_proxies": trusted}
        (config_dir / "adwatch.yaml").write_text(yaml.safe_dump(app), encoding="utf-8")
    data_dir = tmp_path / "data"
    migrated_database(data_dir).dispose()
    process, port = _serve_behind_tls(data_dir, config_dir)
    try:
        request = (
            b"GET /setup/onbekend HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"X-Forwarded-For: 203.0.113.5\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
        )
        head, _ = _raw(port, request)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert head.startswith("http/1.1 404")
    db = Database(f"sqlite:///{data_dir / 'adwatch.sqlite3'}")
    with db.reading() as session:
        origins = session.scalars(
            select(AuditEvent.origin).where(AuditEvent.action == "view_setup")
        ).all()
    assert origins == [origin]
