"""How adwatch scales: scoring N stored ads on SQLite and PostgreSQL, and crawling one generated
site with one and with two `crawl --worker` processes. Figures are printed beside a baseline
measured in the same run (the smallest SQLite size; one worker), with each run's peak memory
and the load average (1 min) when it ended: on a shared machine the seconds depend on it.

    python bench/scale.py score [--sizes 10000,30000,100000] [--postgres URL]
    python bench/scale.py crawl [--ads 2000] [--redis URL]

PostgreSQL and Redis come from `--postgres`/`--redis`, else ADWATCH_TEST_POSTGRES_URL /
ADWATCH_TEST_REDIS_URL (`scripts/with-postgres scripts/with-redis python bench/scale.py ...`).
Each measurement runs in its own child process, so peak memory is that run's own.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
# bench/scoring.py would shadow the scoring package: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(BENCH.parent))

from adwatch.config.settings import DEMO_SECRET_KEY  # noqa: E402


def bench_module(name: str):
    """A module of this folder, imported by path."""
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def child_json(*args: str, env: dict[str, str] | None = None) -> dict:
    """Run this script's sub-command in a child and read the JSON it prints last."""
    command = [sys.executable, str(Path(__file__)), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- scoring -----------------------------------------------------------------------------------


def score_one(url: str, ads: int, root: Path) -> dict:
    """Fill a fresh database with `ads` ads and score them all; seconds and peak memory."""
    from adwatch.config.settings import load_settings
    from adwatch.instance import Instance
    from adwatch.storage.migrate import upgrade
    from application.commands.scoringrun import score_instance

    bench_module("crawl_site")
    fill = bench_module("scale_rows").fill

    env = {
        "ADWATCH_DATA_DIR": str(root), "ADWATCH_DATABASE_URL": url,
        "ADWATCH_SECRET_KEY": DEMO_SECRET_KEY, "ADWATCH_CONFIG_DIR": str(BENCH.parent / "config"),
    }  # fmt: skip
    instance = Instance(load_settings(env))
    upgrade(instance.db)
    started = time.perf_counter()
    fill(instance.db, ads)
    filled = time.perf_counter()
    score_instance(instance, full=True)
    scored = time.perf_counter()
    again = score_instance(instance)
    rescored = time.perf_counter()
    del again
    return {
        "fill_s": filled - started, "score_s": scored - filled,
        "rescore_s": rescored - scored, "peak_mb": peak_mb(),
    }  # fmt: skip


def _database(kind: str, pg_server: str | None, root: Path) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{root / f'{uuid.uuid4().hex}.sqlite3'}", lambda: None
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    return url, drop


def bench_score(sizes: list[int], pg_sizes: list[int], pg_server: str | None) -> None:
    kinds = ["sqlite"] + (["postgresql"] if pg_server else [])
    print(f"scoring, end to end (fill with executemany, full score, incremental re-score); {kinds}")
    header = f"{'database':<11}{'ads':>8}{'fill s':>9}{'score s':>9}{'ads/s':>9}{'re-score s':>11}"
    print(header + f"{'peak MB':>9}{'per ad vs base':>16}{'load':>6}")
    base = None
    with tempfile.TemporaryDirectory(prefix="adwatch-scale-") as folder:
        for kind in kinds:
            for size in sizes if kind == "sqlite" else pg_sizes:
                url, drop = _database(kind, pg_server, Path(folder))
                try:
                    r = child_json("score-one", url, str(size), folder)
                finally:
                    drop()
                per_ad = r["score_s"] / size
                base = base or per_ad
                print(
                    f"{kind:<11}{size:>8}{r['fill_s']:>9.1f}{r['score_s']:>9.1f}"
                    f"{size / r['score_s']:>9.0f}{r['rescore_s']:>11.1f}{r['peak_mb']:>9.0f}"
                    f"{per_ad / base:>15.2f}x{os.getloadavg()[0]:>6.1f}",
                    flush=True,
                )


# --- crawling ----------------------------------------------------------------------------------


def start_site(ads: int) -> tuple[subprocess.Popen, str]:
    """The crawl bench's generated site, in a child process."""
    command = [sys.executable, str(BENCH / "crawl_site.py"), "--ads", str(ads), "--port", "0"]
    site = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    port = site.stdout.readline().split()[1]
    return site, f"http://127.0.0.1:{port}"


def crawl_once(base_url: str, redis_url: str, workers: int, root: Path) -> dict:
    """One seeded run with `workers` workers into a fresh SQLite instance."""
    crawl_adwatch = bench_module("crawl_adwatch")
    source_name, make_instance = crawl_adwatch.SOURCE_NAME, crawl_adwatch.make_instance

    settings = make_instance(root, base_url, render=False)
    env = {k: v for k, v in os.environ.items() if k.startswith("ADWATCH_")}
    env = {**os.environ, **env, "ADWATCH_REDIS_URL": redis_url}
    args = [sys.executable, "-m", "application", "crawl", source_name, "--no-progress"]
    started = time.perf_counter()
    procs = [subprocess.Popen([*args, "--worker"], env=env, stdout=subprocess.DEVNULL)
             for _ in range(workers)]  # fmt: skip
    seeder = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    for proc in [seeder, *procs]:
        if proc.wait(timeout=600) != 0:
            raise SystemExit("a crawl process failed; see the crawl log under " + str(root))
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall_s": wall, "peak_mb": peak, **_run_figures(settings.database_url)}


def _run_figures(url: str) -> dict:
    from adwatch.storage.db import Database
    from adwatch.storage.models import CrawlRun

    with Database(url).reading() as session:
        run = session.query(CrawlRun).one()
        seconds = (run.finished_at - run.started_at).total_seconds()
        return {"pages": run.stats.get("pages", 0), "run_s": seconds,
                "ads": run.stats.get("ads_new", 0)}  # fmt: skip


def bench_crawl(ads: int, redis_url: str) -> None:
    site, base_url = start_site(ads)
    try:
        print(f"crawl throughput, one generated site ({ads} ads), seeder + N workers, SQLite")
        print(f"{'workers':>8}{'pages':>8}{'ads':>7}{'run s':>8}{'pages/s':>9}{'wall s':>8}"
              f"{'peak MB/worker':>16}{'vs 1 worker':>13}")  # fmt: skip
        base = None
        for workers in (1, 2):
            with tempfile.TemporaryDirectory(prefix="adwatch-crawl-") as folder:
                r = child_json("crawl-one", base_url, redis_url, str(workers), folder)
            rate = r["pages"] / r["run_s"]
            base = base or rate
            row = f"{workers:>8}{r['pages']:>8}{r['ads']:>7}{r['run_s']:>8.1f}{rate:>9.1f}"
            print(f"{row}{r['wall_s']:>8.1f}{r['peak_mb']:>16.0f}{rate / base:>12.2f}x", flush=True)
    finally:
        site.terminate()
        site.wait()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    score = sub.add_parser("score")
    score.add_argument("--sizes", default="2000,6000,20000")
    score.add_argument("--pg-sizes", help="sizes to repeat on PostgreSQL (default: --sizes)")
    score.add_argument("--postgres", default=os.environ.get("ADWATCH_TEST_POSTGRES_URL"))
    crawl = sub.add_parser("crawl")
    crawl.add_argument("--ads", type=int, default=3000)
    crawl.add_argument("--redis", default=os.environ.get("ADWATCH_TEST_REDIS_URL"))
    sub.add_parser("score-one").add_argument("args", nargs=3)
    sub.add_parser("crawl-one").add_argument("args", nargs=4)
    args = parser.parse_args(argv)
    if args.what == "score":
        sizes = [int(s) for s in args.sizes.split(",")]
        pg_sizes = [int(s) for s in args.pg_sizes.split(",")] if args.pg_sizes else sizes
        bench_score(sizes, pg_sizes, args.postgres)
    elif args.what == "crawl":
        if not args.redis:
            raise SystemExit("crawl needs Redis: --redis URL, or run under scripts/with-redis")
        bench_crawl(args.ads, args.redis)
    elif args.what == "score-one":
        url, size, folder = args.args
        print(json.dumps(score_one(url, int(size), Path(folder))))
    else:
        base_url, redis_url, workers, folder = args.args
        print(json.dumps(crawl_once(base_url, redis_url, int(workers), Path(folder))))


if __name__ == "__main__":
    main(sys.argv[1:])
