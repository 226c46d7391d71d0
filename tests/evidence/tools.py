"""The independent tools the evidence tests check packs with: openssl, warcio, py-wacz."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import missing_prerequisite

BIN = Path(sys.executable).parent
# pywb lives in a venv of its own (scripts/ensure-pywb): its pins conflict with adwatch's.
PYWB_BIN = Path(
    os.environ.get("ADWATCH_TEST_PYWB_BIN", Path(__file__).parents[2] / ".venv-pywb/bin")
)


def _tool(name: str, folder: Path = BIN) -> str:
    found = str(folder / name) if (folder / name).exists() else shutil.which(name)
    if found is None:
        missing_prerequisite(f"{name} is not installed")
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


def pywb_tool(name: str) -> str:
    """A pywb command (wb-manager, wayback) from pywb's own venv."""
    return _tool(name, PYWB_BIN)
