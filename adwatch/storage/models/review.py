"""The review side: officers' accounts and sessions, decisions along the meldroute, and notes.

The crawler and scoring never write these tables; only the officer's actions do.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from adwatch import vocabulary
from adwatch.storage.models.base import Base
from adwatch.timeutil import utcnow

# Tuples of the vocabulary's codes: the CHECK constraints below are written from them.
ROLES = tuple(vocabulary.ROLES)
DECISIONS = tuple(vocabulary.DECISIONS)
PARTNERS = tuple(vocabulary.PARTNERS)


class User(Base):
    """A personal account; there is no default account."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(
        String(255)
    )  # encrypted (adwatch.access.secretbox)
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    setup_token_hash: Mapped[str | None] = mapped_column(String(80))
    setup_expires_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)


class UserGrant(Base):
    """A municipality whose ads, decisions, notes and packs the user may see."""

    __tablename__ = "user_grant"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(40), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserSession(Base):
    """A login session; the cookie holds a token whose hash is the id."""

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    csrf_token: Mapped[str] = mapped_column(String(80))
    origin: Mapped[str] = mapped_column(String(80), default="")

    user: Mapped[User] = relationship()


class Decision(Base):
    """An officer's decision on an ad or a network, one step of the meldroute."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(40), index=True)
    ad_id: Mapped[int | None] = mapped_column(ForeignKey("ad.id"), index=True)
    network_id: Mapped[str | None] = mapped_column(String(40), index=True)
    # Set on an ad's row written for a decision on its network (the network has its own row).
    via_network: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(32))
    partner: Mapped[str | None] = mapped_column(String(32))
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(f"status IN {DECISIONS!r}", name="status"),
        CheckConstraint("(ad_id IS NULL) <> (network_id IS NULL)", name="one_subject"),
        CheckConstraint("length(reason) > 0", name="reason"),
    )


class Note(Base):
    """A note kept with an ad or a network, with its author and time."""

    __tablename__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(40), index=True)
    ad_id: Mapped[int | None] = mapped_column(ForeignKey("ad.id"), index=True)
    network_id: Mapped[str | None] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()
