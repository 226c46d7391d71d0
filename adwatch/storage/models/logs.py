"""Hash-chained, append-only logs (audit and custody) and the record of exported packs.

Each log entry holds the previous entry's hash and a sequence number, so an edited, removed or
reordered entry breaks the chain (`adwatch.storage.chain.verify_chain`). Entries hold ids, never ad
text, phone numbers or images.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adwatch.storage.models.base import Base
from adwatch.timeutil import utcnow


class ChainedEntry:
    """Columns every hash-chained log has."""

    seq: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(71))
    entry_hash: Mapped[str] = mapped_column(String(71), unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_ids: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditEvent(ChainedEntry, Base):
    """Who viewed or did what, when, with what result, from where."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    result: Mapped[str] = mapped_column(String(16), default="ok")
    origin: Mapped[str] = mapped_column(String(80), default="")


class CustodyEvent(ChainedEntry, Base):
    """The chain of custody of evidence packs: exports, downloads, hand-overs."""

    __tablename__ = "custody_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    manifest_digest: Mapped[str] = mapped_column(String(71), default="")


class EvidencePack(Base):
    """An exported evidence pack: for whom, why, and the digest of its manifest."""

    __tablename__ = "evidence_pack"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(Text)
    case_ref: Mapped[str] = mapped_column(String(120))
    ad_ids: Mapped[list[Any]] = mapped_column(default=list)
    network_id: Mapped[str | None] = mapped_column(String(40))
    manifest_digest: Mapped[str] = mapped_column(String(71))
    file_name: Mapped[str] = mapped_column(String(200))
    timestamp_token: Mapped[str | None] = mapped_column(Text)


class Seal(Base):
    """An RFC 3161 timestamp of a chain head or of a finished crawl WARC file."""

    __tablename__ = "seal"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))  # "warc" or "chains"
    subject: Mapped[str] = mapped_column(Text)  # the WARC file, or the heads that were stamped
    digest: Mapped[str] = mapped_column(String(71))
    tsa_url: Mapped[str] = mapped_column(Text)
    token: Mapped[str] = mapped_column(Text)  # the DER TimeStampResp, hex
