"""The collection side: sources, runs, captures, ads, versions and images.

The crawler writes these through `adwatch.storage.store`; review state lives in tables it never
writes.
Hash columns hold their algorithm as a prefix (`sha256:<hex>`, `phash:<hex>`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from adwatch.storage.models.base import Base
from adwatch.timeutil import utcnow


class Source(Base):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    finish_reason: Mapped[str | None] = mapped_column(String(64))
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    alarms: Mapped[list[Any]] = mapped_column(default=list)
    warc_file: Mapped[str | None] = mapped_column(String(300))

    source: Mapped[Source] = relationship()


class Capture(Base):
    """One fetched response kept as evidence: its raw bytes live in the blob store."""

    __tablename__ = "capture"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"), index=True)
    # The ad the capture belongs to. A plain column: SQLite adds a foreign key only by rebuilding
    # the table, which would drop its append-only triggers. Empty on rows from before 0007.
    ad_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    redirects: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sha256: Mapped[str] = mapped_column(String(71), index=True)
    size: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime]
    user_agent: Mapped[str] = mapped_column(Text)
    rendered: Mapped[bool] = mapped_column(Boolean, default=False)
    screenshot_sha256: Mapped[str | None] = mapped_column(String(71))
    warc_record_id: Mapped[str | None] = mapped_column(String(64))
    # The raw exchange (migration 0009); empty on older rows, whose WARC records were rebuilt.
    method: Mapped[str | None] = mapped_column(String(16))
    request_headers: Mapped[list[Any] | None] = mapped_column(JSON)
    request_body_sha256: Mapped[str | None] = mapped_column(String(71))
    http_version: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(200))
    header_list: Mapped[list[Any] | None] = mapped_column(JSON)
    wire_sha256: Mapped[str | None] = mapped_column(String(71))
    content_decoded: Mapped[bool | None] = mapped_column(Boolean)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    dom_sha256: Mapped[str | None] = mapped_column(String(71))
    request_record_id: Mapped[str | None] = mapped_column(String(64))
    dom_record_id: Mapped[str | None] = mapped_column(String(64))
    screenshot_record_id: Mapped[str | None] = mapped_column(String(64))


class Ad(Base):
    """An ad as one municipality holds it: an ad naming two municipalities is two rows."""

    __tablename__ = "ad"
    __table_args__ = (
        UniqueConstraint("municipality", "source_id", "source_ad_id", name="uq_ad_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(40), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    source_ad_id: Mapped[str] = mapped_column(String(128))
    url: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(120))
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime] = mapped_column(index=True)
    gone_at: Mapped[datetime | None]
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))

    source: Mapped[Source] = relationship()
    versions: Mapped[list[AdVersion]] = relationship(
        back_populates="ad", order_by="AdVersion.id", cascade="all, delete-orphan"
    )


class AdVersion(Base):
    """The ad's content as seen at one time; a new row only when the content hash changes."""

    __tablename__ = "ad_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ad.id"), index=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("capture.id"))
    seen_at: Mapped[datetime]
    content_sha256: Mapped[str] = mapped_column(String(71))
    title: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(Text, default="")
    stated_age: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    prices: Mapped[list[Any]] = mapped_column(default=list)
    town: Mapped[str] = mapped_column(String(200), default="")
    posted: Mapped[str] = mapped_column(String(64), default="")
    phone_text: Mapped[str] = mapped_column(String(200), default="")
    places: Mapped[list[Any]] = mapped_column(default=list)

    ad: Mapped[Ad] = relationship(back_populates="versions")
    images: Mapped[list[AdImage]] = relationship(order_by="AdImage.position")


class Image(Base):
    """A downloaded image, once per sha256, with its perceptual hashes."""

    __tablename__ = "image"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(71), unique=True)
    format: Mapped[str] = mapped_column(String(8))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    phash: Mapped[str] = mapped_column(String(32), index=True)
    dhash: Mapped[str] = mapped_column(String(32))
    crop_phashes: Mapped[list[Any]] = mapped_column(default=list)
    hash_pipeline: Mapped[str] = mapped_column(String(64))
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("capture.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdImage(Base):
    __tablename__ = "ad_image"

    ad_version_id: Mapped[int] = mapped_column(ForeignKey("ad_version.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id"), index=True)
    source_url: Mapped[str] = mapped_column(Text)

    image: Mapped[Image] = relationship()
