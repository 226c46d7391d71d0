"""The instance's storage state: schema revision, free space, last runs and their alarms.

`adwatch status` prints it and the UI can show it. Storage counts as full when a folder has
less than FULL_BELOW_BYTES free, or when a source's last run stopped because storage was full
(that stays so until a later run of the source gets through).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from adwatch.instance import Instance
from adwatch.storage.migrate import current_revision, head_revision
from adwatch.storage.models import CrawlRun, Source
from adwatch.vocabulary import STORAGE_FULL

FULL_BELOW_BYTES = 8 * 1024 * 1024
LOW_BELOW_BYTES = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class FolderSpace:
    """Free space on the filesystem that holds one of the instance's folders."""

    role: str
    path: Path
    free_bytes: int
    total_bytes: int

    @property
    def full(self) -> bool:
        return self.free_bytes < FULL_BELOW_BYTES

    @property
    def low(self) -> bool:
        return self.free_bytes < LOW_BELOW_BYTES


@dataclass(frozen=True)
class LastRun:
    """A source's most recent crawl run and the alarms it recorded."""

    source: str
    run_id: int
    status: str
    finish_reason: str | None
    started_at: datetime
    finished_at: datetime | None
    alarms: list[dict[str, Any]]

    @property
    def storage_full(self) -> bool:
        return self.finish_reason == STORAGE_FULL or any(
            alarm.get("kind") == STORAGE_FULL for alarm in self.alarms
        )


@dataclass(frozen=True)
class StorageState:
    """What `adwatch status` reports."""

    revision: str | None
    head: str
    folders: list[FolderSpace]
    runs: list[LastRun]
    leftover_temporaries: int
    problems: list[str] = field(default_factory=list)

    @property
    def schema_current(self) -> bool:
        return self.revision == self.head

    @property
    def full(self) -> bool:
        return any(f.full for f in self.folders) or any(r.storage_full for r in self.runs)

    @property
    def low(self) -> bool:
        return any(f.low for f in self.folders)


def storage_state(instance: Instance) -> StorageState:
    """Look at the instance's database and folders; never writes anything."""
    problems: list[str] = []
    revision, runs = None, []
    try:
        revision = current_revision(instance.db)
        if revision is not None:
            runs = last_runs(instance)
    except SQLAlchemyError as exc:
        problems.append(f"database could not be read: {exc.__class__.__name__}: {exc}")
    return StorageState(
        revision=revision,
        head=head_revision(),
        folders=folder_space(instance),
        runs=runs,
        leftover_temporaries=len(instance.blobs.leftover_temporaries()),
        problems=problems,
    )


def folder_space(instance: Instance) -> list[FolderSpace]:
    """Free space for the data folder, and for blobs and WARCs when they are on another device."""
    settings = instance.settings
    roles = [("data", settings.data_dir), ("blobs", settings.blob_dir)]
    roles.append(("warc", settings.warc_dir))
    seen: set[int] = set()
    found = []
    for role, path in roles:
        existing = _nearest_existing(path)
        device = os.stat(existing).st_dev
        if device in seen:
            continue
        seen.add(device)
        usage = shutil.disk_usage(existing)
        found.append(FolderSpace(role, path, usage.free, usage.total))
    return found


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def last_runs(instance: Instance) -> list[LastRun]:
    """Each source's most recent run, by source name."""
    newest = select(func.max(CrawlRun.id)).group_by(CrawlRun.source_id)
    query = (
        select(Source.name, CrawlRun)
        .join(CrawlRun, CrawlRun.source_id == Source.id)
        .where(CrawlRun.id.in_(newest))
        .order_by(Source.name)
    )
    with instance.db.reading() as session:
        rows = session.execute(query).all()
    return [_last_run(name, run) for name, run in rows]


def _last_run(name: str, run: CrawlRun) -> LastRun:
    return LastRun(
        source=name,
        run_id=run.id,
        status=run.status,
        finish_reason=run.finish_reason,
        started_at=run.started_at,
        finished_at=run.finished_at,
        alarms=list(run.alarms or []),
    )
