"""Sealing the pack, writing the zip and recording the export (pack row, custody, audit).

Runs last in an export. The zip is written beside its target first; the pack row, the custody
entry and the audit entry are committed in one transaction; only then does the zip get its name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from adwatch.evidence.manifest import SUMS, TIMESTAMP, Member, seal, with_sums
from adwatch.evidence.packzip import write_zip
from adwatch.instance import Instance
from adwatch.storage.chain import append
from adwatch.storage.models import AuditEvent, CustodyEvent, EvidencePack, User


@dataclass(frozen=True)
class PackRequest:
    """What to export, for whom and why."""

    ad_ids: tuple[int, ...]
    network_id: str | None
    purpose: str
    legal_basis: str
    recipient: str
    case_ref: str
    zaaknummer: str | None = None


@dataclass(frozen=True)
class Written:
    """The pack's members before sealing, its metadata, time and target path."""

    members: list[Member]
    meta: dict[str, Any]
    created: datetime
    out_path: Path


@dataclass(frozen=True)
class PackResult:
    """The written pack: where, its pack digest (the SHA-256 of SHA256SUMS, kept in the
    `manifest_digest` fields for compatibility), and the log entries that record it."""

    path: Path
    pack_id: int
    manifest_digest: str
    ad_ids: list[int]
    members: list[str] = field(default_factory=list)
    custody_seq: int = 0
    timestamped: bool = False


def write_and_record(
    instance: Instance,
    request: PackRequest,
    user: User,
    ad_ids: list[int],
    written: Written,
    tsa_url: str | None,
) -> PackResult:
    """Seal and write the pack, record it, and give it its final name."""
    members, digest = with_sums(seal(written.members, written.meta))
    token = _timestamp(tsa_url, members, digest)
    if token is not None:
        members.append(Member(TIMESTAMP, token))
    part = written.out_path.with_name(written.out_path.name + ".part")
    write_zip(part, members, written.created)
    try:
        with instance.db.writing() as session:
            pack_id, seq = _record(session, request, user, ad_ids, digest, written, token)
        os.link(part, written.out_path)
    finally:
        part.unlink(missing_ok=True)
    names = [m.path for m in members]
    return PackResult(written.out_path, pack_id, digest, ad_ids, names, seq, token is not None)


def _timestamp(tsa_url: str | None, members: list[Member], digest: str) -> bytes | None:
    if not tsa_url:
        return None
    from adwatch.evidence.timestamp import request_timestamp

    sums = next(m.data for m in members if m.path == SUMS)
    return request_timestamp(tsa_url, sums, digest)


def _record(
    session: Session,
    request: PackRequest,
    user: User,
    ad_ids: list[int],
    digest: str,
    written: Written,
    token: bytes | None,
) -> tuple[int, int]:
    pack = EvidencePack(
        created_at=written.created,
        actor_id=user.id,
        actor=user.username,
        purpose=request.purpose,
        legal_basis=request.legal_basis,
        recipient=request.recipient,
        case_ref=request.case_ref,
        ad_ids=ad_ids,
        network_id=request.network_id,
        manifest_digest=digest,
        file_name=written.out_path.name,
        timestamp_token=token.hex() if token else None,
    )
    session.add(pack)
    session.flush()
    custody = append(
        session,
        CustodyEvent,
        actor=user.username,
        action="export",
        object_type="ad",
        object_ids=ad_ids,
        purpose=request.purpose,
        manifest_digest=digest,
        details=_custody_details(request, pack),
    )
    append(
        session,
        AuditEvent,
        actor=user.username,
        action="evidence_export",
        object_type="evidence_pack",
        object_ids=[pack.id],
        details={"ad_ids": ad_ids, "network_id": request.network_id, "pack_digest": digest},
    )
    return pack.id, custody.seq


def _custody_details(request: PackRequest, pack: EvidencePack) -> dict[str, Any]:
    return {
        "pack_id": pack.id,
        "network_id": request.network_id,
        "case": request.case_ref,
        "zaaknummer": request.zaaknummer,
        "legal_basis": request.legal_basis,
        "recipient": request.recipient,
        "file_name": pack.file_name,
    }


def record_download(instance: Instance, pack_id: int, actor: str, origin: str = "") -> int:
    """Log that a person downloaded a pack (custody and audit); return the custody entry's seq."""
    with instance.db.writing() as session:
        pack = session.get(EvidencePack, pack_id)
        if pack is None:
            raise LookupError(f"evidence pack {pack_id} does not exist")
        entry = append(
            session,
            CustodyEvent,
            actor=actor,
            action="download",
            object_type="evidence_pack",
            object_ids=[pack_id],
            purpose=pack.purpose,
            manifest_digest=pack.manifest_digest,
            details={"pack_id": pack_id},
        )
        append(
            session,
            AuditEvent,
            actor=actor,
            action="evidence_download",
            object_type="evidence_pack",
            object_ids=[pack_id],
            origin=origin,
        )
        return entry.seq
