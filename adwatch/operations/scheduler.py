"""`adwatch schedule`: the nightly job at the configured time (default 02:30 Europe/Amsterdam).

Each step runs as a child process, so a crash in one step (or Scrapy's once-per-process reactor)
never takes the scheduler down; a failed step is logged and the job goes on with the next.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from adwatch.config.schemas import AppConfig
from adwatch.instance import Instance
from adwatch.timeutil import utcnow

logger = logging.getLogger("adwatch.schedule")
NIGHTLY_STEPS: tuple[tuple[str, ...], ...] = (
    ("crawl", "--no-progress"),
    ("score",),
    ("purge",),
    ("seal",),
    ("digest",),
)
STEP_TIMEOUT_S = 6 * 3600


@dataclass(frozen=True)
class StepResult:
    """How one step of the nightly job ended."""

    step: str
    exit_code: int
    seconds: float


def run_step(args: tuple[str, ...], timeout: float = STEP_TIMEOUT_S) -> StepResult:
    """Run `adwatch ARGS` as a child process; a crash or time-out is a result, not an exception."""
    started = time.monotonic()
    try:
        code = subprocess.run(
            [sys.executable, "-m", "application", *args], timeout=timeout
        ).returncode
    except subprocess.TimeoutExpired:
        code = -1
    except OSError as exc:
        logger.error("step %s could not start: %s", args[0], exc)
        code = -2
    return StepResult(step=" ".join(args), exit_code=code, seconds=time.monotonic() - started)


def nightly_job(steps: tuple[tuple[str, ...], ...] = NIGHTLY_STEPS) -> list[StepResult]:
    """Run every step in order, logging each; later steps run even when an earlier one failed."""
    logger.info("nightly job started at %s", utcnow().isoformat())
    results = []
    for args in steps:
        result = run_step(args)
        level = logging.INFO if result.exit_code == 0 else logging.ERROR
        logger.log(level, "step %r ended with exit code %s after %.1f s", *_fields(result))
        results.append(result)
    logger.info("nightly job ended: %d of %d steps ok", _ok(results), len(results))
    return results


def _fields(result: StepResult) -> tuple[str, int, float]:
    return result.step, result.exit_code, result.seconds


def _ok(results: list[StepResult]) -> int:
    return sum(1 for r in results if r.exit_code == 0)


def nightly_trigger(config: AppConfig) -> CronTrigger:
    """The cron trigger for the configured time and time zone."""
    hour, minute = (int(part) for part in config.schedule.time.split(":"))
    return CronTrigger(hour=hour, minute=minute, timezone=config.schedule.timezone)


def next_run(config: AppConfig, now: datetime) -> datetime:
    """When the job runs next after `now`."""
    return nightly_trigger(config).get_next_fire_time(None, now)


def _log_to_file(instance: Instance) -> None:
    log_dir = instance.settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_dir / "schedule.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    for target in (handler, logging.StreamHandler()):
        logger.addHandler(target)
    logger.setLevel(logging.INFO)


def run_scheduler(instance: Instance, *, run_now: bool = False) -> None:
    """Block forever, running the nightly job at its time; one run at a time."""
    _log_to_file(instance)
    instance.require_current_schema()
    scheduler = BlockingScheduler(timezone=instance.app_config.schedule.timezone)
    # APScheduler pauses a job whose next_run_time is given as None: pass it only to run now.
    first_run = {"next_run_time": utcnow()} if run_now else {}
    scheduler.add_job(
        nightly_job,
        nightly_trigger(instance.app_config),
        id="nightly",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
        **first_run,
    )
    logger.info("next run: %s", next_run(instance.app_config, utcnow()).isoformat())
    scheduler.start()
