"""Backing up an instance (database, blobs, WARC files) and restoring it into an empty one.

Order of a backup: the database first (SQLite online backup, or `pg_dump`), then blobs and WARC
files, then `manifest.json` and `SHA256SUMS` last, so a backup without a manifest is unfinished.
Blobs and WARC records are synced before the transaction that refers to them commits, so
everything the database snapshot refers to is already on disk when it is copied afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from adwatch import SOFTWARE_NAME, __version__
from adwatch.errors import AdwatchError, StorageError
from adwatch.instance import Instance
from adwatch.storage.blobstore import PREFIX
from adwatch.storage.migrate import current_revision
from adwatch.timeutil import utcnow

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SQLITE_FILE = "database/adwatch.sqlite3"
PGDUMP_FILE = "database/adwatch.pgdump"
CHUNK = 1024 * 1024


class BackupRefused(AdwatchError):
    """A backup or restore that would overwrite or mix data; nothing was written."""


@dataclass
class BackupResult:
    """What a backup wrote: its folder, the database kind and the files it holds."""

    folder: Path
    database: str
    resources: list[dict[str, Any]] = field(default_factory=list)
    damaged_blobs: list[str] = field(default_factory=list)

    def count(self, prefix: str) -> int:
        return sum(1 for r in self.resources if r["path"].startswith(prefix))


def backup(instance: Instance, out_dir: Path) -> BackupResult:
    """Write a backup of the instance into out_dir (new or empty)."""
    _require_empty_folder(out_dir)
    result = BackupResult(out_dir, "sqlite" if instance.db.is_sqlite else "postgresql")
    dump = _backup_database(instance, out_dir)
    result.resources.append(_resource(out_dir, dump))
    settings = instance.settings
    for relative in _files(settings.blob_dir / "sha256"):
        entry = _copy(settings.blob_dir / "sha256" / relative, out_dir / "blobs" / relative)
        entry["path"] = f"blobs/{relative}"
        if PREFIX + relative.name != entry["hash"]:
            result.damaged_blobs.append(PREFIX + relative.name)
        result.resources.append(entry)
    for relative in _files(settings.warc_dir):
        entry = _copy(settings.warc_dir / relative, out_dir / "warc" / relative)
        entry["path"] = f"warc/{relative}"
        result.resources.append(entry)
    for relative in _files(settings.data_dir / "seals"):
        entry = _copy(settings.data_dir / "seals" / relative, out_dir / "seals" / relative)
        entry["path"] = f"seals/{relative}"
        result.resources.append(entry)
    _write_manifest(instance, result)
    return result


def _require_empty_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupRefused(f"{folder} exists and is not empty; a backup is never overwritten")
    folder.mkdir(parents=True, exist_ok=True)


def _backup_database(instance: Instance, out_dir: Path) -> Path:
    if instance.db.is_sqlite:
        return _sqlite_backup(sqlite_path(instance.settings.database_url), out_dir / SQLITE_FILE)
    return _pg_dump(instance.settings.database_url, out_dir / PGDUMP_FILE)


def sqlite_path(url: str) -> Path:
    """The database file of a SQLite URL."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupRefused(f"{url} is not a database file")
    return Path(database)


def _sqlite_backup(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise StorageError(f"database backup failed: {exc}") from exc
    finally:
        dst.close()
        src.close()
    _fsync(target)
    return target


def libpq_url(url: str) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_dump(url: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", libpq_url(url)]
    run_pg(command, "pg_dump")
    return target


def run_pg(command: list[str], name: str) -> None:
    """Run a PostgreSQL client tool; StorageError with its message if it fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise StorageError(f"{name} is not installed; install the PostgreSQL client") from exc
    if done.returncode != 0:
        raise StorageError(f"{name} failed: {done.stderr.strip()[-500:]}")


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def _copy(source: Path, target: Path) -> dict[str, Any]:
    """Copy a file, hashing the bytes as they are written; the copy is synced."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with open(source, "rb") as src, open(target, "xb") as dst:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    except OSError as exc:
        raise StorageError(f"could not copy {source} to {target}: {exc.strerror or exc}") from exc
    return {"path": str(target), "hash": PREFIX + digest.hexdigest(), "bytes": size}


def _resource(root: Path, path: Path) -> dict[str, Any]:
    return {"path": path.relative_to(root).as_posix(), **hash_file(path)}


def hash_file(path: Path) -> dict[str, Any]:
    """The prefixed SHA-256 and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return {"hash": PREFIX + digest.hexdigest(), "bytes": size}


def _write_manifest(instance: Instance, result: BackupResult) -> None:
    manifest = {
        "created": utcnow().isoformat(),
        "software": {"name": SOFTWARE_NAME, "version": __version__},
        "database": {"kind": result.database, "revision": current_revision(instance.db)},
        "resources": result.resources,
    }
    sums = "".join(f"{r['hash'].removeprefix(PREFIX)}  {r['path']}\n" for r in result.resources)
    _write_synced(result.folder / SUMS, sums.encode("utf-8"))
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    _write_synced(result.folder / MANIFEST, text.encode("utf-8"))


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def read_manifest(folder: Path) -> dict[str, Any]:
    """The backup's manifest; refuses an unfinished or foreign folder."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupRefused(f"{folder} has no {MANIFEST}: not a finished adwatch backup")
    return json.loads(path.read_text(encoding="utf-8"))


def check_backup(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Every listed file present with its hash; the problems found."""
    problems = []
    for resource in manifest["resources"]:
        path = folder / resource["path"]
        if not path.is_file():
            problems.append(f"{resource['path']}: missing")
        elif hash_file(path)["hash"] != resource["hash"]:
            problems.append(f"{resource['path']}: does not match its hash")
    return problems


def database_is_empty(instance: Instance) -> bool:
    """True when the instance's database holds no tables (or its file does not exist)."""
    if instance.db.is_sqlite:
        path = sqlite_path(instance.settings.database_url)
        if not path.exists() or path.stat().st_size == 0:
            return True
    with instance.db.engine.connect() as connection:
        return not inspect(connection).get_table_names()


def copy_tree(source: Path, target: Path) -> None:
    """Copy a folder's files (fresh names only), synced; blobs end up read-only."""
    for relative in _files(source):
        _copy(source / relative, target / relative)
