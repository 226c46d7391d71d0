"""Test helpers: a throw-away adwatch instance, and running the CLI as a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from adwatch.db import Database
from adwatch.migrate import upgrade
from adwatch.production import refuse_production
from adwatch.settings import DEMO_SECRET_KEY

REPO = Path(__file__).resolve().parent.parent
CONFIG_DIR = REPO / "config"


def instance_env(data_dir: Path, config_dir: Path = CONFIG_DIR) -> dict[str, str]:
    """The ADWATCH_* variables of a throw-away instance."""
    return {
        "ADWATCH_DATA_DIR": str(data_dir),
        "ADWATCH_CONFIG_DIR": str(config_dir),
        "ADWATCH_DATABASE_URL": f"sqlite:///{data_dir / 'adwatch.sqlite3'}",
        "ADWATCH_SECRET_KEY": DEMO_SECRET_KEY,
    }


def run_cli(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `adwatch ARGS` in a child process with exactly these ADWATCH_* variables."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "adwatch", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def migrated_database(data_dir: Path) -> Database:
    """A migrated SQLite database in the folder; never a production one."""
    db = Database(f"sqlite:///{data_dir / 'adwatch.sqlite3'}")
    refuse_production(db, "the test suite")
    upgrade(db)
    return db
