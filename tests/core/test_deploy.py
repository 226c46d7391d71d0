"""deploy/: what municipal IT installs (issue 16, deployment). The systemd units pass
`systemd-analyze verify` where it is available, and carry the sandboxing the issue asks for."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from adwatch.config.settings import KNOWN_VARIABLES
from tests.helpers import REPO, missing_prerequisite

DEPLOY = REPO / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
PREFIX = "/opt/adwatch"
REQUIRED = {
    "User": "adwatch",
    "ProtectSystem": "strict",
    "ReadWritePaths": "/var/lib/adwatch",
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "UMask": "0077",
}


def _service(unit: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in systemd
    parser.read(unit, encoding="utf-8")
    return parser["Service"]


def test_there_is_a_unit_for_serve_and_one_for_schedule() -> None:
    assert [u.name for u in UNITS] == ["adwatch-schedule.service", "adwatch-serve.service"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_each_unit_runs_sandboxed_as_its_own_user(unit: Path) -> None:
    service = _service(unit)
    assert {key: service.get(key) for key in REQUIRED} == REQUIRED


def test_the_ui_listens_on_loopback_behind_tls_with_totp() -> None:
    command = _service(DEPLOY / "systemd" / "adwatch-serve.service")["ExecStart"]
    assert "--host 127.0.0.1" in command and "--behind-tls" in command
    assert "--local-only" not in command


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_systemd_analyze_verify_accepts_the_unit(unit: Path, tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        missing_prerequisite("systemd-analyze (Debian package systemd) is not installed")
    # verify checks that ExecStart's program exists: an installed tree stands in for /opt.
    program = tmp_path / "opt" / "adwatch" / ".venv" / "bin" / "adwatch"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    copy = tmp_path / unit.name
    copy.write_text(unit.read_text().replace(PREFIX, str(tmp_path / "opt" / "adwatch")))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if unit.name in line]
    assert warnings == []


def test_the_reverse_proxy_terminates_tls_and_sends_hsts() -> None:
    text = (DEPLOY / "nginx" / "adwatch.conf").read_text(encoding="utf-8")
    assert "listen 443 ssl" in text and "return 301 https://" in text
    assert re.search(r"Strict-Transport-Security \"max-age=\d{8,}\"", text)
    assert "proxy_pass http://127.0.0.1:8000" in text


def test_the_environment_example_names_only_known_variables() -> None:
    text = (DEPLOY / "adwatch.env.example").read_text(encoding="utf-8")
    names = set(re.findall(r"^(ADWATCH_[A-Z_]+)=", text, flags=re.MULTILINE))
    assert names and names <= set(KNOWN_VARIABLES)
    assert re.search(r"^ADWATCH_SECRET_KEY=$", text, flags=re.MULTILINE)  # no key shipped
