"""A case (zaak) from opening to feedback: its page, the overview by meldroute step, the evidence
pack that carries its zaaknummer, and the audit entries without text."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from adwatch.storage.models import AuditEvent, CaseFile, EvidencePack
from adwatch.timeutil import utcnow
from tests.ui.conftest import csrf_of


def post(client, url: str, data: dict):
    data = {**data, "csrf_token": csrf_of(client.get("/queue").text)}
    return client.post(url, data=data, follow_redirects=False)


def _open(officer, world, **extra) -> int:
    net = world.seeded.network_id
    response = post(officer, "/cases", {"network_id": net, "title": "Drie profielen", **extra})
    assert response.status_code == 303, response.text
    return int(re.search(r"/cases/(\d+)", response.headers["location"]).group(1))


def test_a_case_from_opening_to_feedback(officer, world):
    net = world.seeded.network_id
    case = _open(officer, world)
    year = utcnow().year
    page = officer.get(f"/cases/{case}").text
    assert f"Zaak MH-{year}-0001" in page and f'href="/networks/{net}"' in page
    post(officer, f"/ads/{world.seeded.xss_ad}/decisions", {"status": "monitoren", "reason": "x"})
    assert (
        post(officer, "/cases", {"ad_id": world.seeded.xss_ad, "case_id": case}).status_code == 303
    )
    consult = {"kind": "overleg", "partner": ["avim_politie", "riec"], "on_date": "2026-03-02"}
    assert (
        post(officer, f"/cases/{case}/events", {**consult, "text": "Casusoverleg"}).status_code
        == 303
    )
    forward = {"kind": "doorzetting", "partner": ["avim_politie"], "on_date": "2026-03-03"}
    post(officer, f"/cases/{case}/events", forward)
    overview = officer.get("/cases").text
    attention = overview[overview.index("Vraagt aandacht") : overview.index("stap-open")]
    assert f"MH-{year}-0001" in attention and "AVIM / politie" in attention
    feedback = {
        "kind": "terugkoppeling",
        "partner": ["avim_politie"],
        "text": "Bezocht, geen slachtoffer",
    }
    post(officer, f"/cases/{case}/events", feedback)
    page = officer.get(f"/cases/{case}").text
    assert "in overleg met AVIM / politie, RIEC" in page and "op 02-03-2026" in page
    assert "van AVIM / politie" in page and "Bezocht, geen slachtoffer" in page
    assert "Terugkoppeling ontvangen" in page and f'href="/ads/{world.seeded.xss_ad}"' in page
    with world.instance.db.reading() as session:
        assert session.scalar(select(CaseFile.step)) == "terugkoppeling_ontvangen"
        logged = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "case")).all()
    assert "Bezocht" not in repr([e.details for e in logged])
    assert {"open_case", "case_add", "case_event", "view_case"} <= {e.action for e in logged}


def test_an_overdue_follow_up_is_on_top(officer, world):
    case = _open(officer, world, zaaknummer="HTN/2026.7")
    past = (utcnow() - timedelta(days=3)).date().isoformat()
    post(officer, f"/cases/{case}/events", {"kind": "opvolging", "on_date": past})
    overview = officer.get("/cases").text
    attention = overview[overview.index("Vraagt aandacht") : overview.index("stap-open")]
    assert "HTN/2026.7" in attention and "verlopen" in attention
    assert "zaken om op te volgen" in officer.get("/home").text


def test_an_event_without_its_fields_is_refused(officer, world):
    case = _open(officer, world)
    response = post(officer, f"/cases/{case}/events", {"kind": "doorzetting"})
    assert "error=event_doorzetting" in response.headers["location"]
    taken = post(
        officer,
        "/cases",
        {"network_id": world.seeded.network_id, "zaaknummer": f"MH-{utcnow().year}-0001"},
    )
    assert "error=zaaknummer_taken" in taken.headers["location"]


def test_evidence_from_a_case_carries_its_zaaknummer(officer, world):
    case = _open(officer, world, zaaknummer="HTN-2026-42")
    post(
        officer,
        f"/networks/{world.seeded.network_id}/decisions",
        {"status": "controle_voorbereiden", "reason": "Samen"},
    )
    pack = {"purpose": "Controle", "legal_basis": "APV", "recipient": "AVIM"}
    response = post(officer, f"/cases/{case}/evidence", pack)
    assert "saved=pack" in response.headers["location"], response.headers["location"]
    with world.instance.db.reading() as session:
        row = session.scalar(select(EvidencePack))
    assert row.file_name.startswith("HTN-2026-42-") and row.case_ref == "HTN-2026-42"
    assert f'href="/packs/{row.id}"' in officer.get(f"/cases/{case}").text


def test_a_viewer_reads_cases_but_cannot_write(viewer, officer, world):
    case = _open(officer, world)
    assert viewer.get(f"/cases/{case}").status_code == 200
    token = csrf_of(viewer.get("/queue").text)
    refused = viewer.post(
        f"/cases/{case}/events",
        data={"kind": "notitie", "text": "x", "csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 403
