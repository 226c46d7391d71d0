"""Evidence packs from the UI: export for an ad or a network, and download (officers only).

Exports go to `<data>/packs/`; every export and download is in the custody and audit logs.
The pack rules themselves (only ads with a decision other than `geen_signaal`) live in
`adwatch.evidence`, so the UI and the CLI refuse the same things.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from adwatch.errors import AdwatchError
from adwatch.evidence.export import export_pack
from adwatch.evidence.recording import record_download
from adwatch.storage.models import EvidencePack
from adwatch.timeutil import utcnow
from review_ui.actions import Subject, check_subject
from review_ui.audit import record
from review_ui.errors import UIError
from review_ui.routes.common import see_other
from review_ui.security import OFFICERS, check_csrf, require
from review_ui.viewer import Viewer, origin_of

router = APIRouter()
Officer = Annotated[Viewer, Depends(require(*OFFICERS))]


class PackIn(BaseModel):
    """The export form as posted; every field is required."""

    csrf_token: str = Field("", max_length=100)
    purpose: str = Field("", max_length=2000)
    legal_basis: str = Field("", max_length=2000)
    recipient: str = Field("", max_length=500)
    case_ref: str = Field("", max_length=120)

    def complete(self) -> bool:
        values = (self.purpose, self.legal_basis, self.recipient, self.case_ref)
        return all(value.strip() for value in values)


def packs_dir(request: Request) -> Path:
    """Where packs exported from the UI are written."""
    return request.app.state.instance.settings.data_dir / "packs"


def _export(request: Request, viewer: Viewer, url: str, form: PackIn, subject: dict) -> Response:
    check_csrf(form.csrf_token, viewer.csrf)
    ad_ids, network_id = subject.get("ad_ids") or [None], subject.get("network_id")
    with request.app.state.instance.db.reading() as session:
        check_subject(session, Subject(ad_ids[0], network_id), viewer)
    if not form.complete():
        return see_other(f"{url}?error=pack_incomplete#bewijs")
    kind, ident = next((k, v) for k, v in subject.items())
    label = ident[0] if isinstance(ident, list) else ident
    out_path = packs_dir(request) / f"{utcnow():%Y%m%dT%H%M%SZ}-{kind}-{label}.zip"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        export_pack(
            request.app.state.instance,
            **subject,
            purpose=form.purpose.strip(),
            legal_basis=form.legal_basis.strip(),
            recipient=form.recipient.strip(),
            case_ref=form.case_ref.strip(),
            actor=viewer.username,
            out_path=out_path,
        )
    except AdwatchError:
        ids = ident if isinstance(ident, list) else [ident]
        record(request, viewer, "export_pack", kind.removesuffix("_ids"), ids, result="refused")
        return see_other(f"{url}?error=pack_refused#bewijs")
    return see_other(f"{url}?saved=pack#bewijs")


@router.post("/ads/{ad_id}/evidence")
def ad_pack(
    request: Request, ad_id: int, viewer: Officer, form: Annotated[PackIn, Form()]
) -> Response:
    """Export an evidence pack for one ad."""
    return _export(request, viewer, f"/ads/{ad_id}", form, {"ad_ids": [ad_id]})


@router.post("/networks/{network_id}/evidence")
def network_pack(
    request: Request, network_id: str, viewer: Officer, form: Annotated[PackIn, Form()]
) -> Response:
    """Export an evidence pack for every ad of a network."""
    return _export(request, viewer, f"/networks/{network_id}", form, {"network_id": network_id})


@router.get("/packs/{pack_id}")
def download(request: Request, pack_id: int, viewer: Officer) -> Response:
    """Download a pack exported from the UI; logged in the custody and audit logs."""
    instance = request.app.state.instance
    with instance.db.reading() as session:
        pack = session.get(EvidencePack, pack_id)
        visible = pack is not None and pack.municipality in viewer.municipalities
        file_name = pack.file_name if visible else ""
    path = packs_dir(request) / Path(file_name).name
    if not file_name or not path.is_file():
        record(request, viewer, "download_pack", "evidence_pack", [pack_id], result="not_found")
        raise UIError(404)
    record_download(instance, pack_id, viewer.username, origin_of(request))
    return FileResponse(path, media_type="application/zip", filename=path.name)
