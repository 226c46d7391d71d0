"""`ad.json`: everything adwatch holds about one ad, as plain JSON for the pack and the report.

Runs after the selection. Member paths are made from ids and hashes only, never from scraped
titles or file names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from adwatch.evidence.selection import captures_for, decisions_for, images_of, networks_of
from adwatch.storage.models import Ad, AdVersion, Capture, Image, IndicatorHit, Note, Score
from adwatch.timeutil import as_utc

IMAGE_EXTENSIONS = {"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp"}


def when(value: datetime | date | None) -> str | None:
    """An ISO 8601 time in UTC (or a date), or None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def hexpart(digest: str) -> str:
    """The hex of a `sha256:<hex>` digest."""
    return digest.split(":", 1)[1]


def original_path(image: Image) -> str:
    """Where the image's bytes as collected go in the pack."""
    return f"images/original/{hexpart(image.sha256)}.{IMAGE_EXTENSIONS.get(image.format, 'bin')}"


def view_path(image: Image) -> str:
    """Where the re-encoded PNG view of the image goes in the pack."""
    return f"images/view/{hexpart(image.sha256)}.png"


def screenshot_path(digest: str) -> str:
    """Where a screenshot goes in the pack."""
    return f"screenshots/{hexpart(digest)}.png"


def ad_json_path(ad_id: int) -> str:
    """Where an ad's ad.json goes in the pack."""
    return f"ads/{ad_id}/ad.json"


def ad_document(session: Session, ad: Ad, captures: list[Capture]) -> dict[str, Any]:
    """The whole ad.json document of one ad."""
    return {
        "ad_id": ad.id,
        "source": ad.source.name,
        "source_ad_id": ad.source_ad_id,
        "url": ad.url,
        "region": ad.region,
        "first_seen": when(ad.first_seen),
        "last_seen": when(ad.last_seen),
        "gone_at": when(ad.gone_at),
        "versions": [_version(session, v) for v in ad.versions],
        "captures": [_capture(c) for c in captures],
        "networks": networks_of(session, ad.id),
        "indicator_hits": [_hit(h) for h in _rows(session, IndicatorHit, ad.id)],
        "scores": [_score(s) for s in _rows(session, Score, ad.id)],
        "decisions": [_decision(d) for d in decisions_for(session, ad.id)],
        "notes": [_note(n) for n in _notes(session, ad.id)],
    }


def ad_captures(session: Session, ad: Ad) -> list[Capture]:
    """The ad's captures (a thin re-export so callers need one import)."""
    return captures_for(session, ad)


def ad_images(session: Session, ad: Ad) -> list[Image]:
    """The distinct images the ad showed in any version."""
    seen: dict[int, Image] = {}
    for link in images_of(session, ad):
        seen.setdefault(link.image_id, link.image)
    return list(seen.values())


def _rows(session: Session, model: type, ad_id: int) -> list[Any]:
    return list(session.scalars(select(model).where(model.ad_id == ad_id).order_by(model.id)))


def _notes(session: Session, ad_id: int) -> list[Note]:
    subject = or_(Note.ad_id == ad_id, Note.network_id.in_(networks_of(session, ad_id)))
    return list(session.scalars(select(Note).where(subject).order_by(Note.created_at, Note.id)))


def _version(session: Session, version: AdVersion) -> dict[str, Any]:
    return {
        "version_id": version.id,
        "seen_at": when(version.seen_at),
        "content_hash": version.content_sha256,
        "capture_id": version.capture_id,
        "title": version.title,
        "name": version.name,
        "stated_age": version.stated_age,
        "text": version.text,
        "prices": version.prices,
        "town": version.town,
        "posted": version.posted,
        "phone_text": version.phone_text,
        "places": version.places,
        "images": [_image_link(link) for link in version.images],
    }


def _image_link(link: Any) -> dict[str, Any]:
    image = link.image
    return {
        "position": link.position,
        "source_url": link.source_url,
        "hash": image.sha256,
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "bytes": image.size,
        "phash": image.phash,
        "dhash": image.dhash,
        "original": original_path(image),
        "view": view_path(image),
    }


def _capture(capture: Capture) -> dict[str, Any]:
    return {
        "capture_id": capture.id,
        "run_id": capture.run_id,
        "kind": capture.kind,
        "url": capture.url,
        "final_url": capture.final_url,
        "redirects": capture.redirects,
        "status": capture.status,
        "fetched_at": when(capture.fetched_at),
        "hash": capture.sha256,
        "bytes": capture.size,
        "user_agent": capture.user_agent,
        "rendered": capture.rendered,
        "warc_record_id": capture.warc_record_id,
        "warc_request_record_id": capture.request_record_id,
        "warc_dom_record_id": capture.dom_record_id,
        "warc_screenshot_record_id": capture.screenshot_record_id,
        "dom_hash": capture.dom_sha256,
        "screenshot": screenshot_path(capture.screenshot_sha256)
        if capture.screenshot_sha256
        else None,
        "screenshot_hash": capture.screenshot_sha256,
    }


def _hit(hit: IndicatorHit) -> dict[str, Any]:
    return {
        "code": hit.code,
        "weight": hit.weight,
        "evidence": hit.evidence,
        "rules_version": hit.rules_version,
        "version_id": hit.ad_version_id,
        "created_at": when(hit.created_at),
    }


def _score(score: Score) -> dict[str, Any]:
    return {
        "value": score.value,
        "tier": score.tier,
        "rules_version": score.rules_version,
        "network_id": score.network_id,
        "version_id": score.ad_version_id,
        "scored_at": when(score.scored_at),
    }


def _decision(decision: Any) -> dict[str, Any]:
    return {
        "status": decision.status,
        "on": f"ad {decision.ad_id}" if decision.ad_id else f"network {decision.network_id}",
        "partner": decision.partner,
        "forwarded_on": when(decision.forwarded_on),
        "reason": decision.reason,
        "by": decision.actor.username,
        "at": when(decision.created_at),
    }


def _note(note: Note) -> dict[str, Any]:
    subject = f"ad {note.ad_id}" if note.ad_id else f"network {note.network_id}"
    return {
        "text": note.text,
        "on": subject,
        "by": note.author.username,
        "at": when(note.created_at),
    }
