"""The file side of the purge: WARC files rewritten without purged records, blobs, leftovers.

Runs after the purge's database transaction has committed, so a crash here leaves only files
no row refers to, which the next purge removes. A WARC file is rewritten whole (new file, fsync,
rename over the old one); its kept records are copied byte for byte, one gzip member each.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from adwatch.storage.blobstore import BlobStore

TMP_SUFFIX = ".purge-tmp"
# Folders Scrapy creates for its HTTP cache and job state; adwatch never enables them.
SCRAPY_LEFTOVERS = (".scrapy", "httpcache", "jobs", "jobdir")


@dataclass
class FileCounts:
    """What the file side removed (or, in a dry run, would remove)."""

    blobs: int = 0
    warc_records: int = 0
    warc_files: int = 0
    temporaries: int = 0
    scrapy_folders: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """The counts for a deletion record."""
        return {
            "blobs": self.blobs,
            "warc_records": self.warc_records,
            "warc_files_rewritten": self.warc_files,
            "temporary_files": self.temporaries,
            "scrapy_folders": self.scrapy_folders,
        }


def warc_plan(path: Path, keep_ids: set[str]) -> list[tuple[int, int, bool]]:
    """(offset, length, keep) of every record. The warcinfo record stays; a request, DOM or
    screenshot record goes with the response it names (WARC-Concurrent-To, WARC-Refers-To);
    in files from before those links, a record follows the response before it."""
    plan, keeping = [], True
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            keep, keeping = _keep_record(record, keep_ids, keeping)
            offset = records.get_record_offset()
            records.read_to_end()
            plan.append((offset, records.get_record_length(), keep))
    return plan


def _keep_record(record: Any, keep_ids: set[str], keeping: bool) -> tuple[bool, bool]:
    """Whether to keep this record, and the decision later unlinked records follow."""
    headers = record.rec_headers
    if record.rec_type == "warcinfo":
        return True, keeping
    if record.rec_type == "response":
        keeping = headers.get_header("WARC-Record-ID") in keep_ids
        return keeping, keeping
    linked = headers.get_header("WARC-Concurrent-To") or headers.get_header("WARC-Refers-To")
    if linked:
        return linked in keep_ids, keeping
    return keeping, keeping


def rewrite_warc(path: Path, keep_ids: set[str], *, dry_run: bool = False) -> int:
    """Rewrite the WARC file with only the kept records; returns how many records went."""
    plan = warc_plan(path, keep_ids)
    dropped = sum(1 for _, _, keep in plan if not keep)
    if dropped and not dry_run:
        _write_kept(path, plan)
    return dropped


def _write_kept(path: Path, plan: list[tuple[int, int, bool]]) -> None:
    tmp = path.with_name(path.name + TMP_SUFFIX)
    with path.open("rb") as source, tmp.open("wb") as target:
        for offset, length, keep in plan:
            if keep:
                source.seek(offset)
                target.write(source.read(length))
        target.flush()
        os.fsync(target.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Put a rename or unlink in the folder on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rewrite_runs(
    warc_dir: Path, keep: dict[str, set[str]], counts: FileCounts, dry_run: bool
) -> None:
    """Rewrite each run's WARC file (relative name → record ids to keep)."""
    for name, keep_ids in sorted(keep.items()):
        path = warc_dir / name
        if not path.is_file():
            continue
        try:
            dropped = rewrite_warc(path, keep_ids, dry_run=dry_run)
        except OSError as exc:
            counts.errors.append(f"WARC file {name}: {exc}")
            continue
        counts.warc_records += dropped
        counts.warc_files += 1 if dropped else 0


def _older(path: Path, cutoff: datetime) -> bool:
    return path.stat().st_mtime < cutoff.timestamp()


def remove_blobs(
    blobs: BlobStore,
    referenced: set[str],
    released: set[str],
    cutoff: datetime,
    counts: FileCounts,
    dry_run: bool,
) -> None:
    """Remove blobs no row refers to: at once when the purge released them, else after grace."""
    for digest in list(blobs.digests()):
        if digest in referenced:
            continue
        path = blobs.path(digest)
        if digest in released or _older(path, cutoff):
            counts.blobs += 1
            if not dry_run:
                path.unlink(missing_ok=True)


def remove_temporaries(
    blobs: BlobStore, warc_dir: Path, cutoff: datetime, counts: FileCounts, dry_run: bool
) -> None:
    """Remove temporary files a crash left behind, once they are older than the grace period."""
    leftovers = [*blobs.leftover_temporaries(), *_warc_temporaries(warc_dir)]
    for path in leftovers:
        if _older(path, cutoff):
            counts.temporaries += 1
            if not dry_run:
                path.unlink(missing_ok=True)


def _warc_temporaries(warc_dir: Path) -> list[Path]:
    return sorted(warc_dir.rglob(f"*{TMP_SUFFIX}")) if warc_dir.is_dir() else []


def remove_scrapy_leftovers(data_dir: Path, counts: FileCounts, dry_run: bool) -> None:
    """Remove Scrapy HTTP cache and job folders, should any exist under the data folder."""
    for name in SCRAPY_LEFTOVERS:
        folder = data_dir / name
        if folder.is_dir():
            counts.scrapy_folders += 1
            if not dry_run:
                shutil.rmtree(folder)


def grace_cutoff(now: datetime, hours: int) -> datetime:
    """Files older than this are past the grace period."""
    return now - timedelta(hours=hours)
