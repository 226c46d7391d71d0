"""Whether two adwatch crawls of the bench site stored the same thing: rows, blobs, WARC records.

    .venv/bin/python bench/crawl_compare.py run bench/out/before [--pages 1000]
    .venv/bin/python bench/crawl_compare.py diff bench/out/before bench/out/after

`run` crawls the bench site into a kept instance; `diff` compares two instances after leaving out
what differs from one crawl to the next anyway: row ids (rows are matched by URL and ad id),
times, WARC record ids and dates, and the site's `Date` header. Used to show that a speed change
stores exactly what was stored before.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

HERE = Path(__file__).resolve().parent
# Columns that differ between two crawls of the same site by design.
VOLATILE = {
    "id",
    "ad_id",
    "run_id",
    "last_run_id",
    "capture_id",
    "source_id",
    "warc_record_id",
    "request_record_id",
    "dom_record_id",
    "screenshot_record_id",
    "warc_file",  # named with the run's start time
}
# The site listens on a new port each run.
PORT = re.compile(r"127\.0\.0\.1:\d+")
VOLATILE_WARC = {"WARC-Date", "WARC-Record-ID", "WARC-Concurrent-To", "WARC-Refers-To"}


def run(target: Path, pages: int, seed: int) -> None:
    """Crawl the bench site into `target` (kept)."""
    sys.path.insert(0, str(HERE))
    from crawl import start_site
    from crawl_adwatch import run_adwatch

    args = argparse.Namespace(pages=pages, render_pages=0, seed=seed)
    site, base_url = start_site(args, None)
    try:
        target.mkdir(parents=True, exist_ok=False)
        pages_done, seconds, cpu, stored = run_adwatch(target, base_url, render=False)
    finally:
        site.terminate()
        site.wait()
    print(json.dumps({"pages": pages_done, "seconds": seconds, "cpu": cpu, **stored}))


def _plain(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return None
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
        try:
            datetime.fromisoformat(value)
            return None
        except ValueError:
            pass
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return _without_dates(json.loads(value))
        except ValueError:
            pass
    return value


def _without_dates(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_dates(v) for k, v in value.items() if k.lower() != "date"}
    if isinstance(value, list):
        if len(value) == 2 and isinstance(value[0], str) and value[0].lower() == "date":
            return ["date", None]
        return [_without_dates(v) for v in value]
    return value


def table_rows(db: Path) -> dict[str, list]:
    """Every table's rows without the volatile columns, sorted."""
    connection = sqlite3.connect(db)
    names = [
        r[0]
        for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        if r[0] not in {"alembic_version", "crawl_runs"} and not r[0].startswith("sqlite_")
    ]
    tables = {}
    for name in sorted(names):
        cursor = connection.execute(f'SELECT * FROM "{name}"')
        columns = [c[0] for c in cursor.description]
        rows = [
            json.dumps(
                {c: _plain(v) for c, v in zip(columns, row, strict=True) if c not in VOLATILE},
                sort_keys=True,
                default=str,
            )
            for row in cursor
        ]
        tables[name] = sorted(PORT.sub("127.0.0.1:PORT", row) for row in rows)
    return tables


def warc_records(instance: Path) -> list[str]:
    """Every WARC record's headers (volatile ones left out) and a hash of its block without the
    HTTP Date header, sorted."""
    found = []
    for path in sorted((instance / "data" / "warc").rglob("*.warc.gz")):
        with gzip.open(path, "rb") as raw, open(path, "rb") as handle:
            raw.read()  # the file decompresses whole: every member is a valid gzip member
            for record in ArchiveIterator(handle):
                headers = [(k, v) for k, v in record.rec_headers.headers if k not in VOLATILE_WARC]
                if record.rec_type == "warcinfo":
                    headers = [
                        (k, v)
                        for k, v in headers
                        if k not in {"WARC-Filename", "WARC-Block-Digest"}
                    ]
                http = []
                if record.http_headers is not None:
                    http = [(k, v) for k, v in record.http_headers.headers if k.lower() != "date"]
                    headers = [(k, v) for k, v in headers if k != "WARC-Block-Digest"]
                    headers += [("status", record.http_headers.statusline)]
                content = PORT.sub(
                    "127.0.0.1:PORT", record.content_stream().read().decode("latin-1")
                )
                body = hashlib.sha256(content.encode("latin-1")).hexdigest()
                found.append(PORT.sub("127.0.0.1:PORT", json.dumps([headers, http, body])))
    return sorted(found)


def blobs(instance: Path) -> list[str]:
    """The blob store's file names (their SHA-256)."""
    return sorted(p.name for p in (instance / "data" / "blobs").rglob("sha256/*/*"))


def compared(label: str, a: list[str], b: list[str]) -> int:
    """Print one comparison (and a few of its differences); 1 when they differ."""
    same = a == b
    print(f"{label}: {len(a)} / {len(b)}, {'identical' if same else 'DIFFERENT'}")
    if not same:
        for line in sorted(set(a) ^ set(b))[:3]:
            print("   ", line[:400])
    return int(not same)


def diff(first: Path, second: Path) -> int:
    """Print what differs; 0 when nothing does."""
    a_rows = table_rows(first / "data" / "adwatch.sqlite3")
    b_rows = table_rows(second / "data" / "adwatch.sqlite3")
    differences = sum(
        compared(f"table {name} rows", a_rows.get(name, []), b_rows.get(name, []))
        for name in sorted(set(a_rows) | set(b_rows))
    )
    differences += compared("WARC records", warc_records(first), warc_records(second))
    return differences + compared("blobs", blobs(first), blobs(second))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("target", type=Path)
    run_parser.add_argument("--pages", type=int, default=1000)
    run_parser.add_argument("--seed", type=int, default=2026)
    diff_parser = sub.add_parser("diff")
    diff_parser.add_argument("first", type=Path)
    diff_parser.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args.target.resolve(), args.pages, args.seed)
        return 0
    return 1 if diff(args.first, args.second) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
