"""Decisions and notes along the meldroute, per ad and per network."""

from __future__ import annotations

from sqlalchemy import select

from adwatch.storage.models import AuditEvent, Decision, Note
from adwatch.vocabulary import MAX_NOTE, MAX_REASON
from tests.ui.conftest import csrf_of


def post(client, url: str, **data) -> object:
    data["csrf_token"] = csrf_of(client.get("/queue").text)
    return client.post(url, data=data, follow_redirects=False)


def test_decision_on_an_ad_is_stored_with_actor_and_shown(officer, world):
    ad = world.seeded.rotated_ad
    response = post(officer, f"/ads/{ad}/decisions", status="monitoren", reason="Leeftijd volgen")
    assert response.status_code == 303 and "saved=decision" in response.headers["location"]
    html = officer.get(f"/ads/{ad}?saved=decision").text
    assert "De beslissing is vastgelegd" in html and "Leeftijd volgen" in html
    assert "door officer" in html
    with world.instance.db.reading() as session:
        row = session.scalar(select(Decision))
        entry = session.scalar(select(AuditEvent).where(AuditEvent.action == "decide"))
        assert row.actor.username == "officer"
    assert row.ad_id == ad and row.status == "monitoren"
    assert entry.object_ids == [ad] and "Leeftijd" not in str(entry.details)


def test_decided_ads_leave_the_default_queue(officer, world):
    ad = world.seeded.rotated_ad
    post(officer, f"/ads/{ad}/decisions", status="geen_signaal", reason="Zelfstandig")
    assert f'class="ad-link">#{ad} ' not in officer.get("/queue").text
    assert f'class="ad-link">#{ad} ' in officer.get("/queue?status=geen_signaal").text


def test_every_meldroute_step(officer, world):
    ad = world.seeded.xss_ad
    steps = ["controle_voorbereiden", "doorzetten", "terugkoppeling_ontvangen",
             "teruggekoppeld_aan_melder"]  # fmt: skip
    for step in steps:
        extra = (
            {"partner": "avim_politie", "forwarded_on": "2026-03-01"}
            if step == "doorzetten"
            else {}
        )
        assert (
            post(
                officer, f"/ads/{ad}/decisions", status=step, reason=f"stap {step}", **extra
            ).status_code
            == 303
        )
    with world.instance.db.reading() as session:
        rows = list(session.scalars(select(Decision).order_by(Decision.id)))
    assert [r.status for r in rows] == steps
    assert rows[1].partner == "avim_politie" and str(rows[1].forwarded_on) == "2026-03-01"
    assert "AVIM / politie" in officer.get(f"/ads/{ad}").text


def test_a_decision_needs_a_reason_and_forwarding_needs_partner_and_date(officer, world):
    ad = world.seeded.xss_ad
    missing = post(officer, f"/ads/{ad}/decisions", status="monitoren", reason="  ")
    assert missing.status_code == 400 and "Geef een korte reden op" in missing.text
    no_partner = post(officer, f"/ads/{ad}/decisions", status="doorzetten", reason="Typ dit")
    assert no_partner.status_code == 400
    # The form keeps what was typed: the chosen status and the reason.
    assert 'value="doorzetten" required checked' in no_partner.text
    assert ">Typ dit</textarea>" in no_partner.text
    bad = post(officer, f"/ads/{ad}/decisions", status="verwijderen", reason="x")
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    with world.instance.db.reading() as session:
        assert session.scalar(select(Decision)) is None


def test_a_reason_is_held_to_one_limit_in_the_form_and_on_the_server(officer, world):
    ad = world.seeded.xss_ad
    page = officer.get(f"/ads/{ad}").text
    assert f'name="reason" rows="3" required maxlength="{MAX_REASON}"' in page
    assert f'name="text" rows="3" required maxlength="{MAX_NOTE}"' in page
    longest = post(officer, f"/ads/{ad}/decisions", status="monitoren", reason="x" * MAX_REASON)
    assert longest.status_code == 303
    too_long = post(officer, f"/ads/{ad}/decisions", status="monitoren", reason="x" * 2001)
    assert too_long.status_code == 400
    with world.instance.db.reading() as session:
        assert [len(d.reason) for d in session.scalars(select(Decision))] == [MAX_REASON]


def test_decision_and_note_on_a_network(officer, world):
    net = world.seeded.network_id
    assert post(officer, f"/networks/{net}/decisions", status="controle_voorbereiden",
                reason="Drie profielen, één nummer").status_code == 303  # fmt: skip
    assert post(officer, f"/networks/{net}/notes", text="Besproken met AVIM").status_code == 303
    html = officer.get(f"/networks/{net}").text
    assert "Drie profielen, één nummer" in html and "Besproken met AVIM" in html
    with world.instance.db.reading() as session:
        assert session.scalar(select(Decision.network_id).where(Decision.ad_id.is_(None))) == net
        assert session.scalar(select(Note.network_id)) == net


def test_notes_on_an_ad_keep_author_and_time(officer, world):
    ad = world.seeded.xss_ad
    assert post(officer, f"/ads/{ad}/notes", text="Foto lijkt op #50").status_code == 303
    assert "error=note_empty" in post(officer, f"/ads/{ad}/notes", text=" ").headers["location"]
    html = officer.get(f"/ads/{ad}").text
    assert "Foto lijkt op #50" in html and "door officer" in html


def test_decisions_on_unknown_subjects_are_404(officer):
    assert post(officer, "/ads/999999/decisions", status="monitoren", reason="x").status_code == 404
    assert post(officer, "/networks/nope/notes", text="x").status_code == 404


def test_the_ui_says_scores_are_signals_and_decisions_are_the_officers(officer, world):
    html = officer.get(f"/ads/{world.seeded.xss_ad}").text
    assert "AVG artikel 22" in html and "Elke beslissing neemt u zelf" in html


def test_monitored_ad_that_changed_returns_to_the_queue(officer, world):
    from datetime import timedelta

    from adwatch.storage.models import AdVersion, Capture

    ad = world.seeded.xss_ad
    post(officer, f"/ads/{ad}/decisions", status="monitoren", reason="Volgen")
    assert f'class="ad-link">#{ad} ' not in officer.get("/queue").text
    with world.instance.db.writing() as session:
        last = session.scalar(select(AdVersion).where(AdVersion.ad_id == ad))
        capture = session.scalar(select(Capture.id))
        decided = session.scalar(select(Decision.created_at))
        session.add(AdVersion(ad_id=ad, capture_id=capture, seen_at=decided + timedelta(hours=1),
                              content_sha256="sha256:" + "9" * 64, text=last.text + " nieuw",
                              title=last.title, name=last.name))  # fmt: skip
    html = officer.get("/queue").text
    assert f'class="ad-link">#{ad} ' in html and "Gewijzigd na besluit" in html
