"""Retention and rights: legal holds, deletion records, the purge gate and the instance marker.

Evidence and version tables refuse UPDATE and DELETE (database triggers, migration 0004) unless
the transaction holds the purge gate: a row in `purge_gate` that the purge inserts and removes
inside its own transaction, so no other connection ever sees it open.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adwatch.storage.models.base import Base
from adwatch.timeutil import utcnow

APPEND_ONLY_TABLES = (
    "capture",
    "ad_version",
    "image",
    "ad_image",
    "audit_event",
    "custody_event",
    "evidence_pack",
)


class LegalHold(Base):
    """An ad or network that must be kept whatever its retention says, until released."""

    __tablename__ = "legal_hold"

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_id: Mapped[int | None] = mapped_column(ForeignKey("ad.id"), index=True)
    network_id: Mapped[str | None] = mapped_column(String(40), index=True)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None]


class DeletionRecord(Base):
    """What the purge or an erasure removed: category, counts and rule, never content."""

    __tablename__ = "deletion_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(Text)
    ads: Mapped[int] = mapped_column(default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PurgeGate(Base):
    """Open only inside the purge's own transaction (see the module docstring)."""

    __tablename__ = "purge_gate"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)


class InstanceMeta(Base):
    """Facts about the instance itself, such as the production marker."""

    __tablename__ = "instance_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
