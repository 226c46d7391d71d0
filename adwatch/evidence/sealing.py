"""Seals: the heads of the audit and custody chains and the digest of every finished crawl WARC,
written down outside the database and, when an authority is configured, RFC 3161-timestamped.

Runs after every crawl (`adwatch crawl`) and in the nightly job (`adwatch seal`). Each seal is a
small JSON statement (what was sealed: a WARC file and its SHA-256, or each chain's last sequence
number and hash); the authority stamps the statement's SHA-256. The statement and its token go
into the `seal` table and, as files, into `<data dir>/seals/` (`<n>-<kind>.json` and `.tsr`), so
`openssl ts -verify -data <n>-<kind>.json -in <n>-<kind>.tsr -CAfile authority.pem` checks one by
hand. `custody verify` compares every sealed head with the chains: a cut tail or a chain rebuilt
after the seal no longer holds the sealed entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.instance import Instance
from adwatch.storage.chain import verify_chain
from adwatch.storage.models import AuditEvent, CrawlRun, CustodyEvent, Seal
from adwatch.storage.warc import file_sha256
from adwatch.timeutil import utcnow
from adwatch.vocabulary import ENDED_RUNS

SEAL_DIR = "seals"
CHAINS = {"audit": AuditEvent, "custody": CustodyEvent}


@dataclass
class SealReport:
    """What was sealed, and whether the authority stamped it."""

    warc_files: list[str] = field(default_factory=list)
    heads: dict[str, Any] = field(default_factory=dict)
    stamped: int = 0


def seal_dir(instance: Instance) -> Path:
    """Where seal statements and tokens are written beside the seal table."""
    return instance.settings.data_dir / SEAL_DIR


def seal_all(instance: Instance) -> SealReport:
    """Seal every finished run's WARC not sealed yet, then the chain heads."""
    report = SealReport()
    with instance.db.reading() as session:
        pending = _unsealed_runs(session)
        heads = chain_heads(session)
    for run_id, name in pending:
        path = instance.settings.warc_dir / name
        if not path.is_file():
            continue
        statement = {"kind": "warc", "run_id": run_id, "file": name, "sha256": file_sha256(path)}
        report.stamped += _seal(instance, "warc", statement)
        report.warc_files.append(name)
    report.stamped += _seal(instance, "chains", {"kind": "chains", "heads": heads})
    report.heads = heads
    return report


def chain_heads(session: Session) -> dict[str, Any]:
    """Each chain's last entry: {"seq": n, "hash": h}, or None for an empty chain."""
    heads: dict[str, Any] = {}
    for name, model in CHAINS.items():
        last = session.scalar(select(model).order_by(model.seq.desc()).limit(1))
        heads[name] = {"seq": last.seq, "hash": last.entry_hash} if last else None
    return heads


def _unsealed_runs(session: Session) -> list[tuple[int, str]]:
    sealed = set(session.scalars(select(Seal.subject).where(Seal.kind == "warc")))
    runs = session.execute(
        select(CrawlRun.id, CrawlRun.warc_file)
        .where(CrawlRun.status.in_(ENDED_RUNS), CrawlRun.warc_file.is_not(None))
        .order_by(CrawlRun.id)
    ).all()
    return [(run_id, name) for run_id, name in runs if name not in sealed]


def _seal(instance: Instance, kind: str, statement: dict[str, Any]) -> int:
    statement = {**statement, "sealed_at": utcnow().isoformat()}
    data = (json.dumps(statement, sort_keys=True, indent=2) + "\n").encode("utf-8")
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    token = _stamp(instance.settings.tsa_url, data, digest)
    subject = statement["file"] if kind == "warc" else json.dumps(statement["heads"])
    with instance.db.writing() as session:
        seal = Seal(
            kind=kind,
            subject=subject,
            digest=digest,
            tsa_url=instance.settings.tsa_url or "",
            token=token.hex() if token else "",
        )
        session.add(seal)
        session.flush()
        seal_id = seal.id
    _write_files(seal_dir(instance), f"{seal_id:06d}-{kind}", data, token)
    return 1 if token else 0


def _stamp(tsa_url: str | None, data: bytes, digest: str) -> bytes | None:
    if not tsa_url:
        return None
    from adwatch.evidence.timestamp import request_timestamp

    return request_timestamp(tsa_url, data, digest)


def _write_files(folder: Path, stem: str, data: bytes, token: bytes | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.json").write_bytes(data)
    if token:
        (folder / f"{stem}.tsr").write_bytes(token)


def sealed_heads(session: Session, folder: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every sealed set of chain heads, from the seal table and from the seal files."""
    found = [
        (f"seal {seal.id} ({seal.at:%Y-%m-%d %H:%M} UTC)", json.loads(seal.subject))
        for seal in session.scalars(select(Seal).where(Seal.kind == "chains").order_by(Seal.id))
    ]
    for path in sorted(folder.glob("*-chains.json")) if folder.is_dir() else []:
        statement = json.loads(path.read_text(encoding="utf-8"))
        found.append((f"seal file {path.name}", statement.get("heads") or {}))
    return found


def head_problems(session: Session, folder: Path) -> list[str]:
    """Sealed chain heads that the chains no longer hold: a cut tail or a rebuilt chain."""
    problems = []
    for label, heads in sealed_heads(session, folder):
        for name, head in heads.items():
            if head is None or name not in CHAINS:
                continue
            model = CHAINS[name]
            entry = session.scalar(select(model).where(model.seq == head["seq"]))
            if entry is None or entry.entry_hash != head["hash"]:
                problems.append(
                    f"{name} log: entry {head['seq']} sealed by {label} is "
                    f"{'gone (the log was cut)' if entry is None else 'not the sealed entry'}"
                )
    return sorted(set(problems))


def verify_chains(session: Session) -> dict[str, Any]:
    """Both chains' reports, by name."""
    return {name: verify_chain(session, model) for name, model in CHAINS.items()}
