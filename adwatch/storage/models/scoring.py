"""The scoring side: keyed phone links, indicator hits with evidence, scores and networks.

Written only by `scoring.persist`; a new rules version adds scores beside the old ones, so a change
of weights can be compared before it is trusted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from adwatch.storage.models.base import Base
from adwatch.timeutil import utcnow


class PhoneLink(Base):
    """A phone number seen in an ad version, kept only as a keyed hash (HMAC-SHA256)."""

    __tablename__ = "phone_link"
    __table_args__ = (UniqueConstraint("ad_version_id", "phone_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ad.id"), index=True)
    ad_version_id: Mapped[int] = mapped_column(ForeignKey("ad_version.id"))
    phone_key: Mapped[str] = mapped_column(String(80), index=True)


class IndicatorHit(Base):
    """One indicator that fired for an ad, with the evidence that explains it."""

    __tablename__ = "indicator_hit"
    __table_args__ = (
        Index("ix_indicator_hit_ad_rules_code", "ad_id", "rules_version", "code"),
        # The queue's signal filter: every ad with one code under the current rules.
        Index("ix_indicator_hit_code_rules_ad", "code", "rules_version", "ad_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ad.id"), index=True)
    ad_version_id: Mapped[int | None] = mapped_column(ForeignKey("ad_version.id"))
    code: Mapped[str] = mapped_column(String(40))
    weight: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    rules_version: Mapped[str] = mapped_column(String(80), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IndicatorFailure(Base):
    """An indicator that raised (for one ad, or a linking method): recorded; the rest ran."""

    __tablename__ = "indicator_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_id: Mapped[int | None] = mapped_column(ForeignKey("ad.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    error: Mapped[str] = mapped_column(Text)
    rules_version: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Score(Base):
    """An ad's score and tier under one version of the rules."""

    __tablename__ = "score"
    __table_args__ = (
        UniqueConstraint("ad_id", "rules_version"),
        # The review queue: open ads of the current rules, by tier and score.
        Index("ix_score_queue", "rules_version", "tier", "value", "ad_id"),
        # The queue per network: each network's scores summed from the index alone.
        Index("ix_score_network_rules", "network_id", "rules_version", "tier", "value", "ad_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ad.id"), index=True)
    ad_version_id: Mapped[int] = mapped_column(ForeignKey("ad_version.id"))
    value: Mapped[float] = mapped_column(Float)
    tier: Mapped[str] = mapped_column(String(8), index=True)
    rules_version: Mapped[str] = mapped_column(String(80))
    network_id: Mapped[str | None] = mapped_column(String(40), index=True)
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)


class Network(Base):
    """Ads joined by shared phones, photos or text templates; the id is stable across runs."""

    __tablename__ = "network"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class NetworkMember(Base):
    """An ad in a network, with the link codes that joined it."""

    __tablename__ = "network_member"

    network_id: Mapped[str] = mapped_column(ForeignKey("network.id"), primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ad.id"), primary_key=True, index=True)
    links: Mapped[list[Any]] = mapped_column(default=list)
