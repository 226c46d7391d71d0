"""The file side of the purge: WARC rewritten and readable, no orphan blobs, dry run, leftovers."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from privacy_world import World, days
from sqlalchemy import func, inspect, select
from warcio.archiveiterator import ArchiveIterator

from adwatch.privacy.purge import purge
from adwatch.storage.models import Base, Capture, CrawlRun, Image
from adwatch.timeutil import utcnow


def _warc_path(world: World) -> Path:
    with world.instance.db.reading() as session:
        name = session.scalar(select(CrawlRun.warc_file))
    return world.instance.settings.warc_dir / name


def _warc_records(path: Path) -> list[tuple[str, str, str]]:
    with path.open("rb") as handle:
        return [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Record-ID"),
                r.rec_headers.get_header("WARC-Target-URI"),
            )
            for r in ArchiveIterator(handle)
        ]


def _snapshot(world: World) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts per table and the hash of every file under the data folder."""
    db, data = world.instance.db, world.instance.settings.data_dir
    with db.reading() as session:
        tables = inspect(db.engine).get_table_names()
        rows = {
            t: session.scalar(select(func.count()).select_from(Base.metadata.tables[t]))
            for t in tables
            if t in Base.metadata.tables
        }
    files = {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.rglob("*"))
        if p.is_file() and not p.name.startswith("adwatch.sqlite3")
    }
    return rows, files


def test_a_dry_run_reports_and_changes_nothing(world: World) -> None:
    before = _snapshot(world)
    report = purge(world.instance, days(5000), dry_run=True)
    assert report.dry_run and set(report.ads) == {"unflagged", "no_signal"}
    assert report.rows["unflagged"]["capture"] == 7
    assert report.files.blobs > 0 and report.files.warc_records > 0
    assert _snapshot(world) == before


def test_the_dry_run_counts_what_the_purge_then_does(world: World) -> None:
    planned = purge(world.instance, days(92), dry_run=True)
    done = purge(world.instance, days(92))
    assert (planned.ads, planned.rows) == (done.ads, done.rows)
    assert planned.files.as_dict() == done.files.as_dict()


def test_the_warc_keeps_exactly_the_remaining_captures_and_reads_with_warcio(world: World) -> None:
    path = _warc_path(world)
    before = _warc_records(path)
    purge(world.instance, days(92))
    after = _warc_records(path)
    with world.instance.db.reading() as session:
        captures = session.scalars(select(Capture)).all()
    responses = {rid for kind, rid, _ in after if kind == "response"}
    assert responses == {c.warc_record_id for c in captures}
    screenshots = [uri for kind, _, uri in after if kind == "resource"]
    assert len(screenshots) == sum(1 for c in captures if c.screenshot_sha256)
    gone = {f"https://platform.test/ad/{n}" for n in (1, 3, 8)}
    assert not [uri for _, _, uri in after if any((uri or "").endswith(g) for g in gone)]
    assert len(before) - len(after) == 2 * (7 + 3) + 3  # responses with their requests, shots
    assert not list(path.parent.glob("*.purge-tmp"))


def test_no_blob_is_left_without_a_row_nor_a_row_without_its_blob(world: World) -> None:
    purge(world.instance, days(92))
    blobs = world.instance.blobs
    with world.instance.db.reading() as session:
        wanted = set(session.scalars(select(Capture.sha256)))
        wanted |= {d for d in session.scalars(select(Capture.screenshot_sha256)) if d}
        wanted |= set(session.scalars(select(Image.sha256)))
    assert set(blobs.digests()) == wanted
    assert all(blobs.verify(digest) for digest in wanted)


def test_orphans_and_leftovers_go_after_the_grace_period(world: World) -> None:
    blobs, data = world.instance.blobs, world.instance.settings.data_dir
    orphan = blobs.put(b"a blob whose row was never committed")
    blobs.tmp.mkdir(exist_ok=True)
    (blobs.tmp / "part-leftover").write_bytes(b"half")
    (data / "httpcache" / "demo").mkdir(parents=True)
    (data / "httpcache" / "demo" / "page").write_bytes(b"cached")
    early = purge(world.instance, utcnow())
    assert blobs.exists(orphan) and (blobs.tmp / "part-leftover").exists()
    assert early.files.scrapy_folders == 1 and not (data / "httpcache").exists()
    late = purge(world.instance, utcnow() + timedelta(hours=25))
    assert not blobs.exists(orphan) and not (blobs.tmp / "part-leftover").exists()
    assert (late.files.blobs, late.files.temporaries) == (1, 1)


def test_a_running_crawls_warc_is_never_rewritten(world: World) -> None:
    with world.instance.db.writing() as session:
        session.scalar(select(CrawlRun)).status = "running"
    path = _warc_path(world)
    before = path.read_bytes()
    report = purge(world.instance, days(31))
    assert report.ads and report.files.warc_records == 0 and path.read_bytes() == before
    with world.instance.db.writing() as session:
        session.scalar(select(CrawlRun)).status = "finished"
    # Responses with their request records, and screenshots.
    assert purge(world.instance, days(31)).files.warc_records == 2 * 7 + 2
