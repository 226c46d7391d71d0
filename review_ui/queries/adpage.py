"""The ad page: the ad with its versions, hits, decisions, notes and linked ads; its images."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import (
    Ad,
    AdImage,
    AdVersion,
    Decision,
    Image,
    IndicatorHit,
    Network,
    NetworkMember,
    Note,
)
from adwatch.storage.rulesversion import current_rules_version
from review_ui.queries.history import decisions_where, notes_where
from review_ui.queries.summaries import summaries_of
from review_ui.views import AdDetail, HitView, ImageView, VersionView

VERSION_FIELDS = ("title", "name", "stated_age", "text", "prices", "town", "phone_text")


def ad_detail(session: Session, ad_id: int) -> AdDetail | None:
    """The ad with its versions, hits, decisions, notes, network and linked ads."""
    ad = session.get(Ad, ad_id)
    if ad is None:
        return None
    rules = current_rules_version(session)
    summary = summaries_of(session, [ad_id], rules)[ad_id]
    hits = _hits(session, ad_id, rules)
    membership = session.execute(
        select(Network.id, Network.size)
        .join(NetworkMember, NetworkMember.network_id == Network.id)
        .where(NetworkMember.ad_id == ad_id)
    ).first()
    detail = AdDetail(
        summary=summary,
        url=ad.url,
        versions=_versions(session, ad_id),
        hits=hits,
        decisions=decisions_where(session, Decision.ad_id == ad_id),
        notes=notes_where(session, Note.ad_id == ad_id),
        network_id=membership[0] if membership else None,
        network_size=membership[1] if membership else 0,
    )
    linked = linked_ad_ids(hits) - {ad_id}
    detail.linked = summaries_of(session, linked, rules)
    detail.image_owner = _image_owners(session, _photo_image_ids(hits))
    return detail


def _hits(session: Session, ad_id: int, rules: str | None) -> list[HitView]:
    rows = session.scalars(
        select(IndicatorHit)
        .where(IndicatorHit.ad_id == ad_id, IndicatorHit.rules_version == rules)
        .order_by(IndicatorHit.weight.desc(), IndicatorHit.id)
    ).all()
    return [HitView(r.code, r.weight, r.ad_version_id, list(r.evidence or [])) for r in rows]


def _versions(session: Session, ad_id: int) -> list[VersionView]:
    versions = session.scalars(
        select(AdVersion).where(AdVersion.ad_id == ad_id).order_by(AdVersion.id)
    ).all()
    images = session.execute(
        select(AdImage.ad_version_id, AdImage.position, Image.id, Image.width, Image.height)
        .join(Image, Image.id == AdImage.image_id)
        .where(AdImage.ad_version_id.in_([v.id for v in versions]))
        .order_by(AdImage.position)
    ).all()
    by_version: dict[int, list[ImageView]] = {}
    for version_id, position, image_id, width, height in images:
        by_version.setdefault(version_id, []).append(ImageView(image_id, position, width, height))
    return [VersionView(v.id, v.seen_at, _fields(v), by_version.get(v.id, [])) for v in versions]


def _fields(version: AdVersion) -> dict[str, str]:
    values = {name: getattr(version, name) for name in VERSION_FIELDS}
    values["prices"] = ", ".join(str(p) for p in values["prices"] or [])
    return {name: str(value or "") for name, value in values.items()}


def linked_ad_ids(hits: Iterable[HitView]) -> set[int]:
    """Every ad id the evidence of these hits points to."""
    found: set[int] = set()
    for hit in hits:
        for item in hit.evidence:
            found.update(int(i) for i in item.get("ad_ids") or [])
            if item.get("other_ad_id") is not None:
                found.add(int(item["other_ad_id"]))
    return found


def _photo_image_ids(hits: Iterable[HitView]) -> set[int]:
    return {
        int(item[key])
        for hit in hits
        for item in hit.evidence
        if item.get("kind") == "photo"
        for key in ("image_id", "other_image_id")
    }


def _image_owners(session: Session, image_ids: set[int]) -> dict[int, int]:
    rows = session.execute(
        select(AdImage.image_id, func.min(AdVersion.ad_id))
        .join(AdVersion, AdVersion.id == AdImage.ad_version_id)
        .where(AdImage.image_id.in_(image_ids))
        .group_by(AdImage.image_id)
    ).all()
    return dict(rows)


def image_sha256(session: Session, image_id: int) -> str | None:
    """The blob name of an image."""
    return session.scalar(select(Image.sha256).where(Image.id == image_id))


def image_ad_ids(session: Session, image_id: int) -> list[int]:
    """The ads an image appears in (for the audit entry of a view)."""
    return list(
        session.scalars(
            select(AdVersion.ad_id)
            .join(AdImage, AdImage.ad_version_id == AdVersion.id)
            .where(AdImage.image_id == image_id)
            .distinct()
        )
    )
