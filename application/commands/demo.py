"""`adwatch demo`: the synthetic platform, crawled on day 1 and day 2, then what was stored.

The demo keeps its own data folder (`<ADWATCH_DATA_DIR>/demo`), wiped at every start, with a
fixed demo secret; it never touches the instance's real database.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from adwatch.config.municipalities import municipality_codes
from adwatch.config.production import refuse_production
from adwatch.config.settings import DEMO_SECRET_KEY, load_settings
from adwatch.errors import AdwatchError
from adwatch.storage.db import Database
from adwatch.storage.migrate import upgrade
from adwatch.storage.models import Ad, AdVersion, Capture, CrawlRun, Image
from adwatch.vocabulary import OFFICER
from application.demo.server import DemoPlatform

console = Console()
DEMO_SOURCES = ("demo", "demo_vip")
DEMO_USER = "demo"
# The development corpus a source checkout ships (one file per author): what `--second-opinion`
# trains on. Not part of an installed package.
DEV_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "scoring" / "independent" / "dev"


def demo_environment(data_dir: Path) -> dict[str, str]:
    """The environment the demo's child processes run in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
    settings = load_settings()
    env.update(
        ADWATCH_DATA_DIR=str(data_dir),
        ADWATCH_CONFIG_DIR=str(settings.config_dir),
        ADWATCH_DATABASE_URL=f"sqlite:///{data_dir / 'adwatch.sqlite3'}",
        ADWATCH_SECRET_KEY=DEMO_SECRET_KEY,
    )
    return env


def run_adwatch(env: dict[str, str], *args: str) -> int:
    """Run an adwatch command as a child process (Scrapy's reactor starts once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "application", *args], env=env, check=False
    ).returncode


def run_step(env: dict[str, str], *args: str) -> None:
    """Run one step of the demo; a failed step stops the demo (its message is already printed)."""
    code = run_adwatch(env, *args)
    if code != 0:
        raise AdwatchError(f"the demo stopped: `adwatch {args[0]}` failed (exit {code}); see above")


def create_demo_account(db: Database, municipalities: tuple[str, ...]) -> tuple[str, str]:
    """An officer account for the demo only, with a fresh random password, granted the
    configured municipalities."""
    from adwatch.access.accounts import change_grant, create_user

    password = secrets.token_urlsafe(15)
    with db.writing() as session:
        user, _ = create_user(session, DEMO_USER, OFFICER, password)
        for code in municipalities:
            change_grant(session, user, code, granted=True, actor="demo")
    return DEMO_USER, password


def serve_ui(env: dict[str, str], db: Database, ui_port: int) -> None:
    """Serve the review UI on 127.0.0.1 with a demo account, until Ctrl-C."""
    codes = municipality_codes(Path(env["ADWATCH_CONFIG_DIR"]))
    user, password = create_demo_account(db, codes)
    console.rule("review UI")
    console.print(f"open http://127.0.0.1:{ui_port}/ and log in as [bold]{user}[/]")
    console.print(f"password: [bold]{password}[/] (demo only; made anew at every start)")
    try:
        run_adwatch(env, "serve", "--host", "127.0.0.1", "--port", str(ui_port), "--local-only")
    except KeyboardInterrupt:
        console.print("demo stopped")


def with_second_opinion(env: dict[str, str], data_dir: Path) -> dict[str, str]:
    """The environment with a copy of the config folder in the demo's data that switches the
    second opinion on (the project's own config stays as it is)."""
    import yaml

    if not DEV_CORPUS.is_dir():
        raise AdwatchError(
            f"{DEV_CORPUS}: the development corpus is not here (it ships in a source checkout). "
            "Fix: run the demo from the repository, or without --second-opinion."
        )
    source = Path(env["ADWATCH_CONFIG_DIR"])
    if not source.is_dir():
        raise AdwatchError(
            f"{source}: configuration folder not found. "
            "Fix: run the demo from the repository, or set ADWATCH_CONFIG_DIR to its config folder."
        )
    config = data_dir / "config"
    shutil.copytree(source, config)
    path = config / "adwatch.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    settings.setdefault("second_opinion", {})["enabled"] = True
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), "utf-8")
    return {**env, "ADWATCH_CONFIG_DIR": str(config)}


def run_demo(
    port: int, seed: int, ui_port: int | None = 8000, second_opinion: bool = False
) -> None:
    """Serve, crawl day 1 and day 2, (train the second opinion,) score, then serve the review
    UI (unless ui_port is None)."""
    data_dir = load_settings().data_dir / "demo"
    env = demo_environment(data_dir)
    db = Database(env["ADWATCH_DATABASE_URL"])
    refuse_production(db, "the demo")
    db.dispose()
    shutil.rmtree(data_dir, ignore_errors=True)
    db = Database(env["ADWATCH_DATABASE_URL"])
    upgrade(db)
    if second_opinion:
        env = with_second_opinion(env, data_dir)
    platform = DemoPlatform(seed=seed, day=1)
    with platform.serve_in_thread(host="127.0.0.1", port=port) as base_url:
        console.rule(f"demo platform on {base_url} (synthetic ads, seed {seed})")
        for day in (1, 2):
            platform.set_day(day)
            console.rule(f"crawl, day {day}")
            run_step(env, "crawl", *DEMO_SOURCES, "--base-url", base_url)
    console.print(stored_table(db))
    if second_opinion:
        console.rule("second opinion: training on the development corpus")
        run_step(env, "opinion", "train", "--corpus", str(DEV_CORPUS))
    console.rule("scoring")
    run_step(env, "score")
    console.print(queue_top(env))
    console.print(f"demo data: {data_dir}")
    if ui_port is not None:
        serve_ui(env, db, ui_port)


def queue_top(env: dict[str, str], rows: int = 12) -> Table:
    """The top of the review queue, as `adwatch hits --json` reports it."""
    result = subprocess.run(
        [sys.executable, "-m", "application", "hits", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    table = Table(title="top of the review queue (signals, not verdicts)")
    for column in ("ad", "tier", "score", "network", "indicators"):
        table.add_column(column)
    for hit in json.loads(result.stdout)[:rows]:
        codes = ", ".join(indicator["code"] for indicator in hit["indicators"])
        table.add_row(
            str(hit["ad_id"]), hit["tier"], f"{hit['score']:.1f}", hit["network_id"] or "", codes
        )
    return table


def stored_table(db: Database) -> Table:
    """What the database holds after the demo crawls."""
    with db.reading() as session:
        figures = {
            "crawl runs": session.scalar(select(func.count(CrawlRun.id))),
            "ads": session.scalar(select(func.count(Ad.id))),
            "ads gone": session.scalar(select(func.count(Ad.id)).where(Ad.gone_at.is_not(None))),
            "ad versions": session.scalar(select(func.count(AdVersion.id))),
            "images": session.scalar(select(func.count(Image.id))),
            "captures": session.scalar(select(func.count(Capture.id))),
            "rendered captures (screenshots)": session.scalar(
                select(func.count(Capture.id)).where(Capture.screenshot_sha256.is_not(None))
            ),
        }
    table = Table(title="stored by the demo")
    table.add_column("what")
    table.add_column("count", justify="right")
    for what, count in figures.items():
        table.add_row(what, str(count))
    return table
