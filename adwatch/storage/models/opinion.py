"""The second opinion: a learned classifier beside the rules, and what it said per ad version.

Written only by `scoring.second_opinion_store`; read by the review UI through
`adwatch.casework.opinions`. The classifier never changes a score or a tier: a row here only adds
the line "tweede mening: lees deze advertentie" (or "tweede mening: mogelijk minderjarig — lees
deze advertentie") with the words that drove it (docs/scoring.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adwatch.storage.models.base import Base
from adwatch.timeutil import utcnow


class OpinionModel(Base):
    """A trained second-opinion model: the hash of its data file and how it was trained."""

    __tablename__ = "opinion_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(80))
    path: Mapped[str] = mapped_column(Text)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)


class SecondOpinion(Base):
    """The classifier's view of one ad version, and whether it disagrees with the rules' tier."""

    __tablename__ = "second_opinion"

    # Cascades: purge and erasure delete ads and versions; their opinions go with them.
    ad_version_id: Mapped[int] = mapped_column(
        ForeignKey("ad_version.id", ondelete="CASCADE"), primary_key=True
    )
    ad_id: Mapped[int] = mapped_column(ForeignKey("ad.id", ondelete="CASCADE"), index=True)
    model_sha256: Mapped[str] = mapped_column(String(80))
    rules_version: Mapped[str] = mapped_column(String(80))
    rules_tier: Mapped[str] = mapped_column(String(8))
    probability: Mapped[float] = mapped_column(Float)
    minor_probability: Mapped[float | None] = mapped_column(Float)
    disagrees: Mapped[bool] = mapped_column(Boolean, default=False)
    # Which head disagrees: "minor_cue" (below hoog) before "worth_reading" (geen or laag).
    reason: Mapped[str | None] = mapped_column(String(16))
    words: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
