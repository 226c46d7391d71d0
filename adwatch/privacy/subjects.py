"""Data-subject rights: find, export (access request) and erase everything linked to one identifier.

The identifier is an ad id, a phone number's keyed hash, or an image (exact SHA-256 or perceptual
hashes within a distance); the CLI turns a phone number or a file into these values, so this module
needs nothing from scoring. Every action goes into the audit log with ids only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.errors import AdwatchError
from adwatch.evidence.addata import ad_document, when
from adwatch.evidence.selection import captures_for
from adwatch.imaging import hamming
from adwatch.instance import Instance
from adwatch.privacy.purge import PurgeReport, remove_ads
from adwatch.privacy.retention import TOMBSTONE_PREFIX, classify, load_facts
from adwatch.storage.chain import append
from adwatch.storage.models import (
    Ad,
    AdImage,
    AdVersion,
    AuditEvent,
    EvidencePack,
    Image,
    LegalHold,
    NetworkMember,
    PhoneLink,
)

ERASURE_RULE = "erasure request of the data subject (art. 17 AVG), decided by the officer"


class SubjectRefused(AdwatchError):
    """An erasure that a legal hold, an exported pack or an open case forbids; says which."""

    exit_code = 4


@dataclass(frozen=True)
class Identifier:
    """What a request names: exactly one of ad id, phone key, or image hashes; and the
    municipality it is made to (each is its own controller: only its copies are in scope)."""

    kind: str
    municipality: str = ""
    ad_id: int | None = None
    phone_key: str | None = None
    sha256: str | None = None
    phashes: tuple[str, ...] = ()
    max_distance: int = 0
    pipeline: str = ""


@dataclass
class Found:
    """The ads linked to the identifier, and the images that matched (for an image request)."""

    ad_ids: list[int] = field(default_factory=list)
    image_ids: list[int] = field(default_factory=list)


def find(session: Session, ident: Identifier) -> Found:
    """The ads (and images) linked to the identifier; tombstones hold nothing and are skipped."""
    if ident.kind == "ad":
        found = Found(ad_ids=[ident.ad_id] if session.get(Ad, ident.ad_id) else [])
    elif ident.kind == "phone":
        query = select(PhoneLink.ad_id).where(PhoneLink.phone_key == ident.phone_key)
        found = Found(ad_ids=sorted(set(session.scalars(query))))
    else:
        images = _matching_images(session, ident)
        found = Found(ad_ids=_ads_showing(session, images), image_ids=images)
    found.ad_ids = _live(session, found.ad_ids, ident.municipality)
    return found


def _live(session: Session, ad_ids: list[int], municipality: str) -> list[int]:
    """The ads that still hold content, of the municipality (every one when it is empty)."""
    query = select(Ad.id).where(Ad.id.in_(ad_ids), Ad.source_ad_id.not_like(f"{TOMBSTONE_PREFIX}%"))
    if municipality:
        query = query.where(Ad.municipality == municipality)
    return sorted(session.scalars(query))


def _matching_images(session: Session, ident: Identifier) -> list[int]:
    matched = []
    for image in session.scalars(select(Image).order_by(Image.id)):
        if image.sha256 == ident.sha256 or _close(image, ident):
            matched.append(image.id)
    return matched


def _close(image: Image, ident: Identifier) -> bool:
    # Hashes from another pipeline version are never compared (see adwatch.imaging).
    if not ident.phashes or image.hash_pipeline != ident.pipeline:
        return False
    stored = [image.phash, *image.crop_phashes]
    return any(hamming(a, b) <= ident.max_distance for a in stored for b in ident.phashes)


def _ads_showing(session: Session, image_ids: list[int]) -> list[int]:
    query = (
        select(AdVersion.ad_id)
        .join(AdImage, AdImage.ad_version_id == AdVersion.id)
        .where(AdImage.image_id.in_(image_ids))
    )
    return sorted(set(session.scalars(query)))


def summary(session: Session, ad_ids: list[int]) -> list[dict[str, Any]]:
    """Per ad, how many records of each kind are linked to it."""
    rows = []
    for ad in session.scalars(select(Ad).where(Ad.id.in_(ad_ids)).order_by(Ad.id)):
        doc = ad_document(session, ad, captures_for(session, ad))
        rows.append(
            {
                "ad_id": ad.id,
                "source": doc["source"],
                "last_seen": doc["last_seen"],
                **{k: len(doc[k]) for k in _COUNTED},
                "images": len({i["hash"] for v in doc["versions"] for i in v["images"]}),
                "packs": len(_packs(session, ad.id)),
                "holds": len(_holds(session, ad.id)),
            }
        )
    return rows


_COUNTED = ("versions", "captures", "indicator_hits", "scores", "decisions", "notes", "networks")


def export_document(session: Session, found: Found, ident: Identifier) -> dict[str, Any]:
    """Everything linked to the identifier, for an access request (art. 15 AVG)."""
    ads = session.scalars(select(Ad).where(Ad.id.in_(found.ad_ids)).order_by(Ad.id)).all()
    return {
        "request": {"kind": ident.kind, "ads": found.ad_ids, "images": found.image_ids},
        "ads": [_ad_export(session, ad) for ad in ads],
        "blobs": _blob_metadata(session, ads),
        "audit_entries": _audit_entries(session, set(found.ad_ids)),
    }


def _ad_export(session: Session, ad: Ad) -> dict[str, Any]:
    doc = ad_document(session, ad, captures_for(session, ad))
    doc["phone_keys"] = sorted(
        set(session.scalars(select(PhoneLink.phone_key).where(PhoneLink.ad_id == ad.id)))
    )
    doc["evidence_packs"] = [_pack(p) for p in _packs(session, ad.id)]
    doc["legal_holds"] = [_hold(h) for h in _holds(session, ad.id)]
    return doc


def _blob_metadata(session: Session, ads: list[Ad]) -> list[dict[str, Any]]:
    blobs: dict[str, dict[str, Any]] = {}
    for ad in ads:
        for capture in captures_for(session, ad):
            entry = {"hash": capture.sha256, "bytes": capture.size, "kind": capture.kind}
            blobs.setdefault(capture.sha256, {**entry, "url": capture.url})
            if capture.screenshot_sha256:
                blobs.setdefault(capture.screenshot_sha256, _screenshot(capture))
            if capture.dom_sha256:  # a rendered page's DOM (migration 0009)
                dom = {"hash": capture.dom_sha256, "kind": "rendered_dom", "url": capture.url}
                blobs.setdefault(capture.dom_sha256, dom)
    return [blobs[key] for key in sorted(blobs)]


def _screenshot(capture: Any) -> dict[str, Any]:
    return {"hash": capture.screenshot_sha256, "kind": "screenshot", "url": capture.url}


def _packs(session: Session, ad_id: int) -> list[EvidencePack]:
    packs = session.scalars(select(EvidencePack).order_by(EvidencePack.id))
    return [p for p in packs if ad_id in (p.ad_ids or [])]


def _networks(session: Session, ad_id: int) -> list[str]:
    return list(
        session.scalars(select(NetworkMember.network_id).where(NetworkMember.ad_id == ad_id))
    )


def _holds(session: Session, ad_id: int) -> list[LegalHold]:
    networks = _networks(session, ad_id)
    query = select(LegalHold).where(
        (LegalHold.ad_id == ad_id) | LegalHold.network_id.in_(networks),
        LegalHold.released_at.is_(None),
    )
    return list(session.scalars(query.order_by(LegalHold.id)))


def _pack(pack: EvidencePack) -> dict[str, Any]:
    return {
        "pack_id": pack.id,
        "created": when(pack.created_at),
        "recipient": pack.recipient,
        "purpose": pack.purpose,
        "case": pack.case_ref,
        "manifest_digest": pack.manifest_digest,
    }


def _hold(hold: LegalHold) -> dict[str, Any]:
    subject = f"ad {hold.ad_id}" if hold.ad_id else f"network {hold.network_id}"
    return {"hold_id": hold.id, "on": subject, "since": when(hold.created_at)}


def _audit_entries(session: Session, ad_ids: set[int]) -> list[dict[str, Any]]:
    query = select(AuditEvent).where(AuditEvent.object_type == "ad").order_by(AuditEvent.seq)
    return [
        {"seq": e.seq, "at": when(e.at), "actor": e.actor, "action": e.action, "result": e.result}
        for e in session.scalars(query)
        if ad_ids & set(e.object_ids or [])
    ]


def refusals(session: Session, ad_ids: list[int], terms: Any) -> list[str]:
    """Why the ads may not be erased: legal holds, exported packs, open forwarded cases."""
    reasons = []
    for facts in load_facts(session, ad_ids):
        verdict = classify(facts, terms)
        if verdict.rule == "legal_hold":
            reasons.append(f"ad {facts.ad_id} is under a legal hold (adwatch hold release first)")
        elif facts.packs:
            reasons.append(f"ad {facts.ad_id} is in an exported evidence pack")
        elif verdict.rule == "open_case":
            reasons.append(f"ad {facts.ad_id} is in a forwarded case that is not closed")
    return reasons


def record(
    session: Session, actor: str, action: str, found: Found, ident: Identifier, result: str = "ok"
) -> None:
    """The audit entry of a subject action: ids and the kind of identifier, never its value."""
    details = {"identifier": ident.kind, "ads": len(found.ad_ids), "images": found.image_ids}
    if ident.municipality:
        details["municipality"] = ident.municipality
    append(
        session,
        AuditEvent,
        actor=actor,
        action=action,
        object_type="ad",
        object_ids=list(found.ad_ids),
        details=details,
        result=result,
    )


def erase(instance: Instance, ident: Identifier, actor: str, now: datetime) -> PurgeReport:
    """Remove every ad linked to the identifier, or refuse (recorded) saying why."""
    with instance.db.writing() as session:
        found = find(session, ident)
        reasons = refusals(session, found.ad_ids, instance.app_config.retention)
        if reasons or not found.ad_ids:
            result = "refused" if reasons else "not_found"
            record(session, actor, "subject_erase", found, ident, result=result)
    if not found.ad_ids:
        return PurgeReport(dry_run=False)
    if reasons:
        raise SubjectRefused("erasure refused: " + "; ".join(reasons))
    return remove_ads(
        instance,
        {"erasure": found.ad_ids},
        {"erasure": ERASURE_RULE},
        actor=actor,
        now=now,
        audit_action="subject_erase",
    )
