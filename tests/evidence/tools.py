"""The independent tools the evidence tests check packs with: openssl, warcio, py-wacz."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name) or (str(BIN / name) if (BIN / name).exists() else None)
    if found is None:
        if os.environ.get("ADWATCH_TEST_STRICT"):
            pytest.fail(f"{name} is not installed")
        pytest.skip(f"{name} is not installed")
    return found


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run a tool and keep its output."""
    command = [str(a) for a in args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def openssl_ts_verify(data: Path, token: Path, ca: Path) -> subprocess.CompletedProcess:
    """`openssl ts -verify` of a TimeStampResp over a file, with the authority's certificate."""
    return run(_tool("openssl"), "ts", "-verify", "-data", data, "-in", token, "-CAfile", ca)


def warcio(*args: str | Path) -> subprocess.CompletedProcess:
    """warcio's own command line (check, index)."""
    return run(_tool("warcio"), *args)


def wacz(*args: str | Path) -> subprocess.CompletedProcess:
    """py-wacz's command line (validate)."""
    return run(_tool("wacz"), *args)
