"""Appending to and verifying the hash-chained logs (audit and custody).

An entry's hash covers every column but its id and its own hash, including the previous entry's
hash and its sequence number: editing, removing or reordering any entry breaks the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from adwatch.models.logs import ChainedEntry
from adwatch.timeutil import as_utc, utcnow

GENESIS = "sha256:" + "0" * 64
NOT_HASHED = {"id", "entry_hash"}
EntryT = TypeVar("EntryT", bound=ChainedEntry)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    return value


def entry_payload(entry: ChainedEntry) -> dict[str, Any]:
    """The values an entry's hash covers."""
    columns = entry.__table__.columns  # type: ignore[attr-defined]
    return {c.name: _plain(getattr(entry, c.name)) for c in columns if c.name not in NOT_HASHED}


def entry_hash(entry: ChainedEntry) -> str:
    """The prefixed SHA-256 of the entry's canonical JSON."""
    canonical = json.dumps(entry_payload(entry), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(session: Session, model: type[EntryT], **values: Any) -> EntryT:
    """Add an entry after the last one; call inside a write transaction."""
    _lock_chain(session, model)
    last = session.scalar(select(model).order_by(model.seq.desc()).limit(1))
    values.setdefault("at", utcnow())
    entry = model(
        seq=(last.seq + 1) if last else 1,
        prev_hash=last.entry_hash if last else GENESIS,
        **_with_defaults(model, values),
    )
    entry.entry_hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def _lock_chain(session: Session, model: type[ChainedEntry]) -> None:
    # FOR UPDATE on the last row does not serialise appends on PostgreSQL: an empty table has no
    # row to lock, and a waiter re-reads the same (old) last row. A table lock that conflicts
    # with itself and with inserts does; readers are not blocked. SQLite's BEGIN IMMEDIATE does.
    if session.get_bind().dialect.name == "postgresql":
        table = model.__table__.name  # type: ignore[attr-defined]
        session.execute(text(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))


def _with_defaults(model: type[ChainedEntry], values: dict[str, Any]) -> dict[str, Any]:
    # Defaults would only be filled in at INSERT, after the hash that must cover them.
    filled = dict(values)
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        default = column.default
        if column.name in filled or column.name in NOT_HASHED or default is None:
            continue
        if column.name in {"seq", "prev_hash"}:
            continue
        filled[column.name] = default.arg(None) if default.is_callable else default.arg
    return filled


@dataclass
class ChainReport:
    """The outcome of checking a chain: how many entries, and what is wrong where."""

    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session, model: type[ChainedEntry]) -> ChainReport:
    """Check every entry's hash, its link to the one before, and the sequence."""
    report = ChainReport()
    previous_hash, expected_seq = GENESIS, 1
    for entry in session.scalars(select(model).order_by(model.id)):
        report.entries += 1
        report.problems.extend(_entry_problems(entry, previous_hash, expected_seq))
        previous_hash, expected_seq = entry.entry_hash, entry.seq + 1
    return report


def _entry_problems(entry: ChainedEntry, previous_hash: str, expected_seq: int) -> list[str]:
    problems = []
    if entry.seq != expected_seq:
        problems.append(f"entry {entry.seq}: expected sequence number {expected_seq}")
    if entry.prev_hash != previous_hash:
        problems.append(f"entry {entry.seq}: does not follow the entry before it")
    if entry_hash(entry) != entry.entry_hash:
        problems.append(f"entry {entry.seq}: its content was changed after it was written")
    return problems
