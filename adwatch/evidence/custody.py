"""Checking the chain of custody: both hash chains, their agreement with the recorded packs and
with each other, and the sealed chain heads.

A chain alone cannot show that its newest entries were cut off. So every EvidencePack row must
be matched by a custody `export` entry and an audit `evidence_export` entry with the same pack
digest, every such entry must name a pack that still exists, and every sealed head (see
`adwatch.evidence.sealing`) must still be in its chain.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.evidence.sealing import head_problems, verify_chains
from adwatch.storage.chain import ChainReport
from adwatch.storage.models import AuditEvent, CustodyEvent, EvidencePack


def verify_custody(session: Session, seal_folder: Path | None = None) -> ChainReport:
    """Check the custody and audit chains, the packs, and the sealed heads."""
    chains = verify_chains(session)
    report = ChainReport(entries=chains["custody"].entries)
    for name, chain in chains.items():
        report.problems += [f"{name} log: {problem}" for problem in chain.problems]
        report.notes += [f"{name} log: {note}" for note in chain.notes]
    packs = {p.id: p for p in session.scalars(select(EvidencePack).order_by(EvidencePack.id))}
    report.problems += _custody_exports(session, packs)
    report.problems += _audit_exports(session, packs)
    if seal_folder is not None:
        report.problems += head_problems(session, seal_folder)
    return report


def _custody_exports(session: Session, packs: dict[int, EvidencePack]) -> list[str]:
    problems = []
    exports: dict[object, str] = {}
    query = select(CustodyEvent).where(CustodyEvent.action == "export")
    for entry in session.scalars(query):
        pack_id = (entry.details or {}).get("pack_id")
        exports[pack_id] = entry.manifest_digest
        if pack_id not in packs:
            problems.append(f"custody entry {entry.seq} records pack {pack_id}, which is gone")
    for pack in packs.values():
        if exports.get(pack.id) != pack.manifest_digest:
            problems.append(
                f"evidence pack {pack.id} ({pack.file_name}) has no matching export entry"
            )
    return problems


def _audit_exports(session: Session, packs: dict[int, EvidencePack]) -> list[str]:
    problems = []
    seen: set[int] = set()
    query = select(AuditEvent).where(AuditEvent.action == "evidence_export")
    for entry in session.scalars(query):
        for pack_id in entry.object_ids or []:
            seen.add(pack_id)
            pack = packs.get(pack_id)
            recorded = (entry.details or {}).get("pack_digest")
            if pack is None:
                problems.append(f"audit entry {entry.seq} records pack {pack_id}, which is gone")
            elif recorded is not None and recorded != pack.manifest_digest:
                problems.append(
                    f"audit entry {entry.seq} records another digest for pack {pack_id}"
                )
    for pack_id in sorted(set(packs) - seen):
        problems.append(f"evidence pack {pack_id} has no evidence_export entry in the audit log")
    return problems
