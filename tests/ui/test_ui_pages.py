"""Every page in-process: what the officer reads, and that each view lands in the audit log."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from adwatch.storage.chain import verify_chain
from adwatch.storage.models import AuditEvent


def audit_entries(world, action: str) -> list[AuditEvent]:
    with world.instance.db.reading() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_queue_orders_open_ads_by_tier_then_score_and_says_why(officer, world):
    html = officer.get("/queue").text
    ids = [int(i) for i in re.findall(r'class="ad-link">#(\d+)', html)]
    assert ids[0] == world.seeded.rotated_ad  # score 10, tier hoog
    assert "Signaal minderjarigheid" in html and "Geschreven door derde" in html
    assert re.search(r"\d+ advertenties wachten op beoordeling", html)
    tiers = re.findall(r'class="badge tier-(\w+)"', html)
    order = {"hoog": 0, "middel": 1, "laag": 2}
    assert [order[t] for t in tiers] == sorted(order[t] for t in tiers)


def test_queue_filters(officer, world):
    html = officer.get("/queue", params={"tier": "hoog"}).text
    assert set(re.findall(r'class="badge tier-(\w+)"', html)) == {"hoog"}
    html = officer.get("/queue", params={"indicator": "photo_reuse"}).text
    shown = {int(i) for i in re.findall(r'class="ad-link">#(\d+)', html)}
    assert shown == set(world.seeded.photo_ads)
    html = officer.get("/queue", params={"source": "demo_vip"}).text
    assert "Geen advertenties gevonden" in html
    html = officer.get("/queue", params={"place": "schalkwijk", "status": ""}).text
    assert "Schalkwijk" in html and "Tull en" not in html
    html = officer.get("/queue", params={"from": "2999-01-01"}).text
    assert "Geen advertenties gevonden" in html
    assert officer.get("/queue", params={"tier": "<script>", "page": "x"}).status_code == 200


def test_queue_search_is_audited_without_the_typed_place(officer, world):
    officer.get("/queue", params={"place": "Schalkwijk", "tier": "hoog"})
    entry = audit_entries(world, "view_queue")[-1]
    assert entry.details["tier"] == "hoog" and entry.details["place"] is True
    assert "Schalkwijk" not in str(entry.details)


def test_ad_page_highlights_spans_and_shows_evidence(officer, world):
    html = officer.get(f"/ads/{world.seeded.rotated_ad}").text
    assert (
        '<mark class="hl">Net 18</mark><span class="hl-label">Signaal minderjarigheid</span>'
        in html
    )
    assert "gewicht 6" in html
    assert "Aantal verschillende nummers" in html
    # the second version rotated the number: both side by side
    assert "06 1234 0002" in html and "06 1234 0003" in html
    assert "<ins>" in html  # the text diff of the second version


def test_ad_page_photo_pair_template_and_network_link(officer, world):
    first, second = world.seeded.photo_ads
    html = officer.get(f"/ads/{first}").text
    assert "Verschil: 4 van 64 bits" in html
    assert html.count('class="blurred"') >= 2
    assert '<mark class="slot"' in html and "Wisselende delen" in html
    assert f'href="/ads/{second}"' in html
    assert f'href="/networks/{world.seeded.network_id}"' in html
    entry = audit_entries(world, "view_ad")[-1]
    assert entry.object_ids == [first] and entry.actor.startswith("user:")


def test_network_page_timeline_and_joining_links(officer, world):
    html = officer.get(f"/networks/{world.seeded.network_id}").text
    assert html.count('class="tl-bar') == 3
    assert "Zelfde telefoonnummer, andere personen" in html and "Hergebruikte foto" in html
    assert audit_entries(world, "view_network")[-1].object_ids == [world.seeded.network_id]


def test_images_are_reencoded_without_metadata_and_audited(officer, world):
    image_id = world.seeded.image_ids[0]
    response = officer.get(f"/images/{image_id}")
    assert response.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert not picture.info.get("exif") and picture.size == (96, 96)
    blurred = officer.get(f"/images/{image_id}?blur=1")
    assert blurred.headers["content-type"] == "image/jpeg"
    actions = [e.action for e in audit_entries(world, "view_image")]
    assert actions and audit_entries(world, "view_image_blurred")


def test_system_page_warns_about_an_overdue_source_and_shows_alarms(officer):
    html = officer.get("/system").text
    assert html.count("Waarschuwing: langer dan 48 uur geleden") == 1  # demo_vip ran 4 days ago
    assert "Velden te vaak leeg" in html and "&lt;b&gt;naam&lt;/b&gt;" in html


def test_missing_things_are_404_pages(officer):
    for url in ("/ads/999999", "/networks/nope", "/images/999999", "/nothing"):
        response = officer.get(url)
        assert response.status_code == 404, url
        assert "Deze pagina bestaat niet" in response.text


def test_audit_entries_hold_ids_only_and_the_chain_verifies(officer, world):
    officer.get(f"/ads/{world.seeded.xss_ad}")
    officer.get(f"/images/{world.seeded.image_ids[0]}")
    with world.instance.db.reading() as session:
        entries = list(session.scalars(select(AuditEvent)))
        assert verify_chain(session, AuditEvent).ok
    dumped = " ".join(f"{e.object_ids} {e.details}" for e in entries)
    for secret in ("06 1234", "Evil", "script", "Houten"):
        assert secret not in dumped


def test_the_avg_notice_is_on_every_page_once(officer, world):
    for url in (f"/ads/{world.seeded.xss_ad}", f"/networks/{world.seeded.network_id}", "/cases"):
        assert officer.get(url).text.count("AVG artikel 22") == 1, url
