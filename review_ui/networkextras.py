"""The network page's photo pairs (with their similarity in words) and its towns and phone numbers
over time, from the members' versions and photo evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.storage.models import AdVersion, IndicatorHit
from adwatch.storage.rulesversion import current_rules_version

MAX_PAIRS = 12
MAX_ROWS = 200


@dataclass(frozen=True)
class PhotoPair:
    """Two images of two member ads that look alike."""

    ad_id: int
    image_id: int
    other_ad_id: int
    other_image_id: int
    likeness: str


@dataclass(frozen=True)
class Sighting:
    """A member's version: when, where, which number (as the ad wrote it)."""

    seen_at: datetime
    ad_id: int
    town: str
    phone: str
    changed: bool


def likeness(distance: int | None) -> str:
    """A perceptual-hash distance (of 64 bits) in words."""
    if distance is None:
        return "gelijkend"
    if distance == 0:
        return "identiek"
    if distance <= 4:
        return "vrijwel gelijk (bijgesneden of opnieuw opgeslagen)"
    if distance <= 10:
        return "sterk gelijkend"
    return "gelijkend"


def photo_pairs(session: Session, ad_ids: list[int]) -> list[PhotoPair]:
    """The distinct photo pairs the members' photo-reuse evidence names."""
    rows = session.execute(
        select(IndicatorHit.ad_id, IndicatorHit.evidence).where(
            IndicatorHit.ad_id.in_(ad_ids),
            IndicatorHit.code == "photo_reuse",
            IndicatorHit.rules_version == current_rules_version(session),
        )
    ).all()
    pairs: dict[frozenset, PhotoPair] = {}
    for ad_id, evidence in rows:
        for item in evidence or []:
            if item.get("kind") != "photo" or item.get("other_ad_id") is None:
                continue
            key = frozenset((int(item["image_id"]), int(item["other_image_id"])))
            pairs.setdefault(
                key,
                PhotoPair(
                    ad_id,
                    int(item["image_id"]),
                    int(item["other_ad_id"]),
                    int(item["other_image_id"]),
                    likeness(item.get("distance")),
                ),
            )
    return list(pairs.values())[:MAX_PAIRS]


def sightings(session: Session, ad_ids: list[int]) -> list[Sighting]:
    """Every member version in time order, marked where town or number changed for that ad."""
    rows = session.execute(
        select(AdVersion.seen_at, AdVersion.ad_id, AdVersion.town, AdVersion.phone_text)
        .where(AdVersion.ad_id.in_(ad_ids))
        .order_by(AdVersion.seen_at, AdVersion.id)
        .limit(MAX_ROWS)
    ).all()
    last: dict[int, tuple[str, str]] = {}
    found = []
    for seen_at, ad_id, town, phone in rows:
        now = (town or "", phone or "")
        found.append(Sighting(seen_at, ad_id, now[0], now[1], ad_id in last and last[ad_id] != now))
        last[ad_id] = now
    return found
