"""The full adwatch pipeline on the bench site: `crawler.run.run_crawl` (what `adwatch crawl`
runs) with a source YAML in a throw-away instance, storing to SQLite, the blob store and a WARC.

Called in a fresh child process by `bench/crawl.py`.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from adwatch.config.settings import DEMO_SECRET_KEY, Settings, load_settings
from adwatch.storage.db import Database
from adwatch.storage.migrate import upgrade
from adwatch.storage.models import Ad, AdVersion, Capture

REPO = Path(__file__).resolve().parent.parent
SOURCE_NAME = "bench"
FIELDS = {
    "title": "h1.ad-title",
    "name": ".profile-name",
    "age": ".age",
    "text": "div.ad-text",
    "prices": "table.prices tr",
    "town": ".town",
    "posted": "time.posted::attr(datetime)",
}  # no `images`, no phone reveal: images are benchmarked elsewhere


def source_yaml(base_url: str, *, render: bool) -> dict[str, Any]:
    """The bench source: Houten's region page in scope, two neighbouring towns' pages not."""
    if render:
        regions = [{"name": "Houten", "path": "/regio/proef", "in_scope": True}]
    else:
        regions = [
            {"name": "Houten", "path": "/regio/houten", "in_scope": True},
            {"name": "Utrecht", "path": "/regio/utrecht"},
            {"name": "Nieuwegein", "path": "/regio/nieuwegein"},
        ]
    return {
        "name": SOURCE_NAME,
        "title": "Benchmarksite (synthetisch)",
        "base_url": base_url,
        "render": render,
        "local_test_source": True,
        "regions": regions,
        "listing": {
            "ad_links": "article.ad-card a.ad-link::attr(href)",
            "next_page": "a[rel=next]::attr(href)",
        },
        "ad": {"id_from_url": "/advertentie/(?P<id>[0-9]+)", "fields": FIELDS},
        "politeness": {"requests_per_second": 1000, "concurrency": 16, "robots": "obey"},
    }


def make_instance(root: Path, base_url: str, *, render: bool) -> Settings:
    """A throw-away instance under `root`: the repo's config plus the bench source, migrated."""
    config_dir = root / "config"
    shutil.copytree(REPO / "config", config_dir, ignore=shutil.ignore_patterns("sources"))
    (config_dir / "sources").mkdir()
    text = yaml.safe_dump(source_yaml(base_url, render=render), allow_unicode=True)
    (config_dir / "sources" / f"{SOURCE_NAME}.yaml").write_text(text, encoding="utf-8")
    env = {
        "ADWATCH_DATA_DIR": str(root / "data"),
        "ADWATCH_CONFIG_DIR": str(config_dir),
        "ADWATCH_SECRET_KEY": DEMO_SECRET_KEY,
        "ADWATCH_LOG_LEVEL": "INFO",
    }
    # `crawler.settings` reads the environment when it is imported, as under `adwatch crawl`.
    os.environ.update(env)
    settings = load_settings(env)
    upgrade(Database(settings.database_url))
    return settings


def run_adwatch(
    root: Path, base_url: str, *, render: bool, extra: dict[str, Any] | None = None
) -> tuple[int, float, float, dict[str, Any]]:
    """Crawl the bench site with adwatch; pages, seconds, CPU seconds and what was stored."""
    from adwatch.config.sources import load_sources
    from crawler.run import run_crawl

    settings = make_instance(root, base_url, render=render)
    source = load_sources(settings.sources_dir)[SOURCE_NAME]
    started, cpu = time.perf_counter(), time.process_time()
    [summary] = run_crawl(settings, [source], show_progress=False, extra_settings=extra)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return summary.counters.get("pages", 0), elapsed, cpu, _stored(settings, summary)


def _stored(settings: Settings, summary: Any) -> dict[str, Any]:
    db = Database(settings.database_url)
    with db.reading() as session:
        rows = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Ad, AdVersion, Capture)
        }
    warcs = list(settings.warc_dir.rglob("*.warc.gz"))
    counters = summary.counters
    return {
        "finish_reason": summary.finish_reason,
        "ads_new": counters.get("ads_new", 0),
        "out_of_scope": counters.get("out_of_scope", 0),
        "errors": counters.get("errors", 0),
        "rows": rows,
        "blobs": sum(1 for _ in settings.blob_dir.glob("sha256/*/*")),
        "warc_bytes": sum(p.stat().st_size for p in warcs),
        "alarms": [a["kind"] for a in summary.alarms],
    }
