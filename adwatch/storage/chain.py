"""Appending to and verifying the hash-chained logs (audit and custody).

An entry's hash covers every column but its id and its own hash, including the previous entry's
hash and its sequence number: editing, removing or reordering any entry breaks the chain.

With a chain key (`ADWATCH_CHAIN_KEY_FILE`) the hash is an HMAC-SHA256 under that key,
written `hmac<key id>:<hex>`: someone who can write to the database but does not hold the key
cannot recompute the chain after editing it. The key file lives outside the database and its
backups; it may hold several keys (`<id> <secret>` per line, ids 1-99), the last one signing new
entries, the others still checking the entries they signed (rotation). Without a key the hash is
plain SHA-256 (`sha256:<hex>`), and an unkeyed entry after a keyed one is reported.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from adwatch.errors import ConfigError
from adwatch.storage.models.logs import ChainedEntry
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


KEYED = re.compile(r"^hmac(\d{1,2}):[0-9a-f]{64}$")
KEY_LINE = re.compile(r"^(\d{1,2})\s+(\S{32,})$")


@dataclass(frozen=True)
class ChainKeys:
    """The chains' HMAC keys by id; the last one signs new entries."""

    keys: dict[str, bytes]
    current: str


def load_chain_keys(path: Path | None) -> ChainKeys | None:
    """The key ring from its file, or None when no file is configured."""
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"ADWATCH_CHAIN_KEY_FILE {path}: cannot be read ({exc})") from exc
    keys: dict[str, bytes] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = KEY_LINE.match(line.strip())
        if match is None:
            raise ConfigError(
                f"ADWATCH_CHAIN_KEY_FILE {path} line {number}: expected '<id 1-99> <secret of "
                '32+ characters>\'. Fix: echo "1 $(openssl rand -hex 32)" >> the file'
            )
        keys[match.group(1)] = match.group(2).encode("utf-8")
    if not keys:
        raise ConfigError(f"ADWATCH_CHAIN_KEY_FILE {path}: holds no key")
    return ChainKeys(keys, list(keys)[-1])


def _canonical(entry: ChainedEntry) -> bytes:
    return json.dumps(entry_payload(entry), sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(
    entry: ChainedEntry, keys: ChainKeys | None = None, key_id: str | None = None
) -> str:
    """The entry's HMAC under the key (the current one unless named), or its plain SHA-256."""
    if keys is None:
        return "sha256:" + hashlib.sha256(_canonical(entry)).hexdigest()
    key_id = key_id or keys.current
    mac = hmac.new(keys.keys[key_id], _canonical(entry), hashlib.sha256).hexdigest()
    return f"hmac{key_id}:{mac}"


def session_keys(session: Session) -> ChainKeys | None:
    """The chain keys the session's database was opened with."""
    return session.info.get("chain_keys")


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
    entry.entry_hash = entry_hash(entry, session_keys(session))
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
    notes: list[str] = field(default_factory=list)
    head: tuple[int, str] | None = None  # the last entry's sequence number and hash

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session, model: type[ChainedEntry]) -> ChainReport:
    """Check every entry's hash (keyed where it was written keyed), its link to the one
    before, and the sequence."""
    keys, report = session_keys(session), ChainReport()
    previous_hash, expected_seq, keyed_seen = GENESIS, 1, False
    for entry in session.scalars(select(model).order_by(model.id)):
        report.entries += 1
        report.problems.extend(_entry_problems(entry, previous_hash, expected_seq))
        report.problems.extend(_hash_problems(entry, keys, keyed_seen))
        keyed_seen = keyed_seen or bool(KEYED.match(entry.entry_hash or ""))
        previous_hash, expected_seq = entry.entry_hash, entry.seq + 1
        report.head = (entry.seq, entry.entry_hash)
    if keys is None:
        report.notes.append(
            "no chain key configured: the chain is not keyed (ADWATCH_CHAIN_KEY_FILE)"
        )
    return report


def _entry_problems(entry: ChainedEntry, previous_hash: str, expected_seq: int) -> list[str]:
    problems = []
    if entry.seq != expected_seq:
        problems.append(f"entry {entry.seq}: expected sequence number {expected_seq}")
    if entry.prev_hash != previous_hash:
        problems.append(f"entry {entry.seq}: does not follow the entry before it")
    return problems


def _hash_problems(entry: ChainedEntry, keys: ChainKeys | None, keyed_seen: bool) -> list[str]:
    keyed = KEYED.match(entry.entry_hash or "")
    if keyed is None:
        if keyed_seen:
            return [
                f"entry {entry.seq}: not keyed, after keyed entries (rewritten without the key)"
            ]
        if entry_hash(entry) != entry.entry_hash:
            return [f"entry {entry.seq}: its content was changed after it was written"]
        return []
    key_id = keyed.group(1)
    if keys is None or key_id not in keys.keys:
        return [f"entry {entry.seq}: keyed with key {key_id}, which the chain key file lacks"]
    if not hmac.compare_digest(entry_hash(entry, keys, key_id), entry.entry_hash):
        return [f"entry {entry.seq}: its content was changed after it was written"]
    return []
