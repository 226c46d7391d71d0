"""Building an evidence pack for an ad or a network, and recording who exported it and why.

Order: check the request and the exporting officer → select the ads and check the officer's
decisions → collect captures, images and screenshots (each checked against its capture hash) →
ad.json, WARC, WACZ, report → manifest, digest, SHA256SUMS → zip written beside the target →
one transaction for the EvidencePack row, the custody entry and the audit entry → zip renamed
into place. A failure before the rename leaves no pack and no log entry behind.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch import SOFTWARE_NAME, __version__
from adwatch.config.indicators import indicator_labels
from adwatch.evidence import addata, media
from adwatch.evidence.courtreport import report_html, report_pdf
from adwatch.evidence.leesmij import leesmij
from adwatch.evidence.manifest import README, Member
from adwatch.evidence.recording import PackRequest, PackResult, Written, write_and_record
from adwatch.evidence.selection import (
    ExportRefused,
    ads_for_network,
    load_ads,
    require_exportable,
)
from adwatch.evidence.wacz import WARC_NAME, pages_jsonl, wacz_bytes, warc_bytes
from adwatch.instance import Instance
from adwatch.storage.models import Ad, Capture, User
from adwatch.storage.warc import warcinfo_fields
from adwatch.timeutil import utcnow
from adwatch.vocabulary import OFFICER

EXPORT_ROLES = (OFFICER,)


def export_pack(
    instance: Instance,
    *,
    ad_ids: list[int] | None = None,
    network_id: str | None = None,
    purpose: str,
    legal_basis: str,
    recipient: str,
    case_ref: str,
    actor: User | str,
    out_path: Path,
    tsa_url: str | None = None,
    zaaknummer: str | None = None,
) -> PackResult:
    """Export a pack for the ads (or a network's member ads) to out_path, and log it.

    out_path may be a folder: the pack is then named after the zaaknummer (or the case)."""
    request = _request(ad_ids, network_id, purpose, legal_basis, recipient, case_ref)
    request = replace(request, zaaknummer=(zaaknummer or "").strip() or None)
    created = utcnow()
    out_path = pack_path(Path(out_path), request, created)
    if out_path.exists():
        raise ExportRefused(f"{out_path} already exists; a pack is never overwritten")
    with instance.db.reading() as session:
        user = _exporting_user(session, actor)
        ads = _selected_ads(session, request)
        members, meta = _members(session, instance, ads, _meta(request, user, created))
    written = Written(members, meta, created, out_path)
    return write_and_record(instance, request, user, [ad.id for ad in ads], written, tsa_url)


def _request(
    ad_ids: list[int] | None,
    network_id: str | None,
    purpose: str,
    legal_basis: str,
    recipient: str,
    case_ref: str,
) -> PackRequest:
    if bool(ad_ids) == bool(network_id):
        raise ExportRefused("give either ad ids or a network id, not both and not neither")
    texts = {
        "purpose": purpose,
        "legal basis": legal_basis,
        "recipient": recipient,
        "case": case_ref,
    }
    empty = [name for name, value in texts.items() if not (value or "").strip()]
    if empty:
        raise ExportRefused(f"an export needs a {', '.join(empty)}")
    return PackRequest(
        tuple(ad_ids or ()),
        network_id,
        purpose.strip(),
        legal_basis.strip(),
        recipient.strip(),
        case_ref.strip(),
    )


def pack_path(out_path: Path, request: PackRequest, created: datetime) -> Path:
    """The pack's file, whose name starts with the zaaknummer (so the case is the first thing a
    recipient sees): in a given folder `<zaaknummer>_bewijspakket_<time>.zip`; a given file
    name that does not start with it gets it put in front."""
    prefix = request.zaaknummer or request.case_ref
    if out_path.is_dir():
        return out_path / f"{safe_name(prefix)}_bewijspakket_{created:%Y%m%dT%H%M%SZ}.zip"
    zaak = safe_name(request.zaaknummer) if request.zaaknummer else ""
    if zaak and not out_path.name.startswith(zaak):
        return out_path.with_name(f"{zaak}_{out_path.name}")
    return out_path


def safe_name(text: str) -> str:
    """A file-name-safe form of a case number: letters, digits, '-', '_' and '.' kept."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return cleaned[:80] or "pakket"


def _exporting_user(session: Session, actor: User | str) -> User:
    username = actor.username if isinstance(actor, User) else actor
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise ExportRefused(f"no active user {username!r}; exports are made by a named officer")
    if user.role not in EXPORT_ROLES:
        raise ExportRefused(f"user {username!r} has role {user.role}; only officers may export")
    return user


def _selected_ads(session: Session, request: PackRequest) -> list[Ad]:
    wanted = ads_for_network(session, request.network_id) if request.network_id else request.ad_ids
    if not wanted:
        raise ExportRefused(f"network {request.network_id} has no member ads")
    ads = load_ads(session, wanted)
    require_exportable(session, ads)
    return ads


def _meta(request: PackRequest, user: User, created: datetime) -> dict[str, Any]:
    return {
        "title": f"adwatch bewijspakket {request.zaaknummer or request.case_ref}",
        "created": addata.when(created),
        "software": {"name": SOFTWARE_NAME, "version": __version__},
        "purpose": request.purpose,
        "legal_basis": request.legal_basis,
        "recipient": request.recipient,
        "case": request.case_ref,
        "zaaknummer": request.zaaknummer,
        "exported_by": {
            "user_id": user.id,
            "username": user.username,
            "display_name": user.display_name,
        },
        "network_id": request.network_id,
    }


def _members(
    session: Session, instance: Instance, ads: list[Ad], meta: dict[str, Any]
) -> tuple[list[Member], dict[str, Any]]:
    meta = {**meta, "ad_ids": [ad.id for ad in ads]}
    meta["municipalities"] = sorted({ad.municipality for ad in ads})
    captures = {ad.id: addata.ad_captures(session, ad) for ad in ads}
    documents = [addata.ad_document(session, ad, captures[ad.id]) for ad in ads]
    members = [Member(addata.ad_json_path(d["ad_id"]), _json(d)) for d in documents]
    members += _archive_members(captures, instance, meta)
    images = {i.id: i for ad in ads for i in addata.ad_images(session, ad)}
    members += media.image_members(list(images.values()), instance.blobs)
    members += media.screenshot_members(_flat(captures), instance.blobs)
    labels = _labels(instance.settings.config_dir)
    html = report_html(meta, documents, members, labels)
    pdf = report_pdf(html, instance.settings.chromium_path, meta)
    members += [Member("report.html", html), Member("report.pdf", pdf)]
    members.append(Member(README, leesmij(meta)))
    return members, meta


def _labels(config_dir: Path) -> dict[str, str]:
    """The indicators' Dutch names; an instance without indicators.yaml shows the codes."""
    if not (config_dir / "indicators.yaml").is_file():
        return {}
    return indicator_labels(config_dir)


def _flat(captures: dict[int, list[Capture]]) -> list[Capture]:
    unique = {c.id: c for group in captures.values() for c in group}
    return [unique[key] for key in sorted(unique)]


def _archive_members(
    captures: dict[int, list[Capture]], instance: Instance, meta: dict[str, Any]
) -> list[Member]:
    info = warcinfo_fields(
        software=f"{SOFTWARE_NAME} {__version__}",
        operator=", ".join(f"gemeente {code}" for code in meta["municipalities"]),
        robots="not applicable: an export of earlier captures",
        source=f"evidence pack {meta['zaaknummer'] or meta['case']}",
        description=meta["title"],
    )
    warc = warc_bytes(_flat(captures), instance.blobs, info)
    pages = [(ad_id, c) for ad_id, group in captures.items() for c in group if c.kind == "ad_page"]
    wacz = wacz_bytes(warc, pages_jsonl(pages), meta["title"])
    return [Member(f"archive/{WARC_NAME}", warc), Member("archive/captures.wacz", wacz)]


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
