"""Evidence packs from the ad page: refused without a decision, made and downloaded after one."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from adwatch.storage.models import CustodyEvent, EvidencePack
from tests.ui.conftest import csrf_of

PACK = {
    "purpose": "Controle met politie",
    "legal_basis": "Toezicht APV",
    "recipient": "AVIM",
    "case_ref": "ZAAK-1",
}


def post(client, url: str, **data) -> object:
    data["csrf_token"] = csrf_of(client.get("/queue").text)
    return client.post(url, data=data, follow_redirects=False)


def _decide(officer, ad: int) -> None:
    response = post(officer, f"/ads/{ad}/decisions", status="monitoren", reason="volgen")
    assert response.status_code == 303


def test_without_a_decision_the_export_is_refused(officer, world):
    ad = world.seeded.ad_ids[0]
    response = post(officer, f"/ads/{ad}/evidence", **PACK)
    assert "error=pack_refused" in response.headers["location"]
    with world.instance.db.reading() as session:
        assert session.scalars(select(EvidencePack)).all() == []


def test_an_incomplete_form_is_refused(officer, world):
    ad = world.seeded.ad_ids[0]
    _decide(officer, ad)
    response = post(officer, f"/ads/{ad}/evidence", **{**PACK, "legal_basis": " "})
    assert "error=pack_incomplete" in response.headers["location"]


def test_after_a_decision_a_pack_is_made_listed_and_downloaded(officer, world):
    ad = world.seeded.ad_ids[0]
    _decide(officer, ad)
    response = post(officer, f"/ads/{ad}/evidence", **PACK)
    assert "saved=pack" in response.headers["location"]
    with world.instance.db.reading() as session:
        (pack,) = session.scalars(select(EvidencePack)).all()
    assert pack.ad_ids == [ad] and pack.actor == "officer" and pack.case_ref == "ZAAK-1"
    page = officer.get(f"/ads/{ad}").text
    assert f'href="/packs/{pack.id}"' in page and "ZAAK-1" in page
    download = officer.get(f"/packs/{pack.id}")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert "manifest.json" in names and "SHA256SUMS" in names
    with world.instance.db.reading() as session:
        actions = session.scalars(select(CustodyEvent.action).order_by(CustodyEvent.seq)).all()
    assert actions == ["export", "download"]


def test_a_viewer_can_neither_export_nor_download(viewer, world):
    ad = world.seeded.ad_ids[0]
    token = csrf_of(viewer.get("/queue").text)
    response = viewer.post(f"/ads/{ad}/evidence", data={**PACK, "csrf_token": token})
    assert response.status_code == 403
    assert viewer.get("/packs/1").status_code == 403
    assert 'action="/ads/' not in viewer.get(f"/ads/{ad}").text.split("bewijs-kop")[1]
