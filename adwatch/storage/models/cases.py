"""Cases (zaken), saved queue filters and digest subscriptions: the officer's working files.

A case holds ads and networks under one zaaknummer and records its steps along the meldroute:
notes, consultations with partners, forwards, feedback and a follow-up date. Only the review UI
writes these tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from adwatch import vocabulary
from adwatch.storage.models.base import Base
from adwatch.timeutil import utcnow

# Tuples of the vocabulary's codes: the CHECK constraints below are written from them.
CASE_STEPS = tuple(vocabulary.CASE_STEPS)
CASE_EVENTS = tuple(vocabulary.CASE_EVENTS)


class CaseFile(Base):
    """A case (zaak) with its zaaknummer, step and follow-up date."""

    __tablename__ = "case_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaaknummer: Mapped[str] = mapped_column(String(40), unique=True)
    municipality: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    step: Mapped[str] = mapped_column(String(32), default="open")
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    opened_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint(f"step IN {CASE_STEPS!r}", name="step"),)


class CaseItem(Base):
    """An ad or a network that belongs to a case."""

    __tablename__ = "case_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    # No foreign key: the purge and an erasure remove ads on their own terms; the case keeps the
    # id (as evidence_pack.ad_ids does) and shows the ad while it exists.
    ad_id: Mapped[int | None] = mapped_column(Integer, index=True)
    network_id: Mapped[str | None] = mapped_column(String(40), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("(ad_id IS NULL) <> (network_id IS NULL)", name="one_subject"),
        UniqueConstraint("case_id", "ad_id", "network_id", name="uq_case_item_subject"),
    )


class CaseEvent(Base):
    """One entry in a case's history: a note, a consultation, a forward, feedback, a follow-up."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    partner: Mapped[str | None] = mapped_column(String(32))
    on_date: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint(f"kind IN {CASE_EVENTS!r}", name="kind"),)


class SavedFilter(Base):
    """A queue filter a user saved under a name (the query string, codes and dates only)."""

    __tablename__ = "saved_filter"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestSubscription(Base):
    """An officer who asked for the nightly e-mail digest, and where it goes."""

    __tablename__ = "digest_subscription"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sent_at: Mapped[datetime | None]


__all__ = [
    "CASE_EVENTS",
    "CASE_STEPS",
    "CaseEvent",
    "CaseFile",
    "CaseItem",
    "DigestSubscription",
    "SavedFilter",
]
