"""Restoring a backup (see `adwatch.operations.backup`) into an empty instance, then checking it.

Order: read the manifest and check every file's hash → refuse a non-empty instance → database
(SQLite file copied beside its target and renamed, or `pg_restore`) → blobs → WARC files →
checks: `PRAGMA integrity_check`, every blob against its name, every capture's blob present,
the audit and custody chains.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text

from adwatch.errors import StorageError
from adwatch.evidence.custody import verify_custody
from adwatch.evidence.sealing import seal_dir
from adwatch.instance import Instance
from adwatch.operations.backup import (
    PGDUMP_FILE,
    SQLITE_FILE,
    BackupRefused,
    check_backup,
    copy_tree,
    database_is_empty,
    libpq_url,
    read_manifest,
    run_pg,
    sqlite_path,
)
from adwatch.storage.chain import verify_chain
from adwatch.storage.models import AuditEvent, Capture


@dataclass
class RestoreReport:
    """What the restore put in place and what the checks afterwards found."""

    files: int = 0
    blobs: int = 0
    warc_files: int = 0
    integrity: str = ""
    audit_entries: int = 0
    custody_entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.problems


def restore(instance: Instance, folder: Path) -> RestoreReport:
    """Restore the backup in folder into the (empty) instance and check it."""
    manifest = read_manifest(folder)
    damaged = check_backup(folder, manifest)
    if damaged:
        raise BackupRefused(f"backup {folder} is damaged: {'; '.join(damaged[:5])}")
    _require_empty_instance(instance)
    report = RestoreReport(files=len(manifest["resources"]))
    _restore_database(instance, folder, manifest["database"]["kind"])
    settings = instance.settings
    copy_tree(folder / "blobs", settings.blob_dir / "sha256")
    _make_read_only(settings.blob_dir / "sha256")
    copy_tree(folder / "warc", settings.warc_dir)
    copy_tree(folder / "seals", seal_dir(instance))
    report.warc_files = sum(1 for p in settings.warc_dir.rglob("*") if p.is_file())
    check_restored(instance, report)
    return report


def _require_empty_instance(instance: Instance) -> None:
    settings = instance.settings
    leftovers = [p for p in (settings.blob_dir / "sha256", settings.warc_dir) if _has_files(p)]
    if leftovers or not _database_empty(instance):
        where = ", ".join(map(str, leftovers)) or settings.database_url
        raise BackupRefused(
            f"the instance is not empty ({where}); a restore never mixes or overwrites data. "
            "Fix: point ADWATCH_DATA_DIR (and ADWATCH_DATABASE_URL) at a new, empty place."
        )


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def _database_empty(instance: Instance) -> bool:
    if not instance.db.is_sqlite:
        return database_is_empty(instance)
    # Opening it through SQLAlchemy would create the file (and its WAL) we are about to place.
    path = sqlite_path(instance.settings.database_url)
    if not path.exists() or path.stat().st_size == 0:
        return True
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        count = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    connection.close()
    return count == 0


def _restore_database(instance: Instance, folder: Path, kind: str) -> None:
    if kind == "postgresql":
        url = instance.settings.database_url
        command = ["pg_restore", "--no-owner", f"--dbname={libpq_url(url)}"]
        run_pg([*command, str(folder / PGDUMP_FILE)], "pg_restore")
        return
    instance.db.dispose()
    target = sqlite_path(instance.settings.database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".restoring")
    copy_tree_file(folder / SQLITE_FILE, part)
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(part, target)


def copy_tree_file(source: Path, target: Path) -> None:
    """Copy one file into place, synced (a leftover partial copy is replaced)."""
    target.unlink(missing_ok=True)
    try:
        with open(source, "rb") as src, open(target, "xb") as dst:
            while chunk := src.read(1024 * 1024):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise StorageError(f"could not restore {source.name}: {exc.strerror or exc}") from exc


def _make_read_only(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o400)


def check_restored(instance: Instance, report: RestoreReport) -> RestoreReport:
    """Integrity check, blobs against their names and captures, and both hash chains."""
    report.integrity = _integrity(instance)
    blobs = instance.blobs
    digests = list(blobs.digests())
    report.blobs = len(digests)
    report.problems += [f"blob {d} does not match its hash" for d in digests if not blobs.verify(d)]
    with instance.db.reading() as session:
        needed = set(session.scalars(select(Capture.sha256)))
        audit = verify_chain(session, AuditEvent)
        custody = verify_custody(session, seal_dir(instance))
    report.problems += [f"capture blob {d} is missing" for d in sorted(needed - set(digests))]
    report.audit_entries, report.custody_entries = audit.entries, custody.entries
    # verify_custody checks both chains (keyed with ADWATCH_CHAIN_KEY_FILE) and names each.
    report.problems += custody.problems
    return report


def _integrity(instance: Instance) -> str:
    if not instance.db.is_sqlite:
        return "ok"  # PostgreSQL has no whole-database check; pg_restore failed loudly if broken
    with instance.db.engine.connect() as connection:
        rows = connection.execute(text("PRAGMA integrity_check")).scalars().all()
    return "; ".join(rows)
