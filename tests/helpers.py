"""Test helpers: a throw-away adwatch instance, and running the CLI as a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy.orm import Session

from adwatch.config.production import refuse_production
from adwatch.config.settings import DEMO_SECRET_KEY
from adwatch.storage.db import Database
from adwatch.storage.migrate import upgrade
from adwatch.storage.models import Ad, AdVersion, Capture, CrawlRun, Source
from adwatch.timeutil import utcnow

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
        [sys.executable, "-m", "application", *args],
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


def add_page_capture(
    session: Session, run_id: int, url: str, when, sha256: str = "sha256:" + "0" * 64
) -> int:
    """A capture row of an ad page (no blob behind it); its id."""
    capture = Capture(
        run_id=run_id, kind="ad_page", url=url, final_url=url, status=200, sha256=sha256,
        size=1, fetched_at=when, user_agent="test",
    )  # fmt: skip
    session.add(capture)
    session.flush()
    return capture.id


def insert_minimal_ad(session: Session) -> tuple[Ad, AdVersion]:
    """One source, run, capture, ad and version: the least a row-level test needs."""
    now = utcnow()
    source = Source(name="s", title="S")
    session.add(source)
    session.flush()
    run = CrawlRun(source_id=source.id)
    session.add(run)
    session.flush()
    ad = Ad(
        municipality="houten",
        source_id=source.id,
        source_ad_id="1",
        url="u",
        first_seen=now,
        last_seen=now,
    )
    session.add(ad)
    session.flush()
    capture_id = add_page_capture(session, run.id, "u", now)
    version = AdVersion(ad_id=ad.id, capture_id=capture_id, seen_at=now, content_sha256="x")
    session.add(version)
    session.flush()
    return ad, version


def missing_prerequisite(reason: str) -> NoReturn:
    """Skip a test whose service or tool is missing, except under `make test` (strict), where
    the project installs everything: there a missing prerequisite is a failure, never a skip."""
    if os.environ.get("ADWATCH_TEST_STRICT") == "1":
        pytest.fail(f"{reason} (make test installs it; this must not be skipped)")
    pytest.skip(reason)
