"""The home page since the last visit, saved filters, the digest opt-in and "volgende"."""

from __future__ import annotations

from sqlalchemy import select

from adwatch.storage.models import AuditEvent, DigestSubscription, SavedFilter
from tests.ui.conftest import csrf_of


def post(client, url: str, **data):
    data["csrf_token"] = csrf_of(client.get("/queue").text)
    return client.post(url, data=data, follow_redirects=False)


def test_home_counts_what_is_new_since_the_previous_login(officer):
    html = officer.get("/home").text
    assert "Sinds uw vorige bezoek" in html
    assert "nieuwe advertenties met signaal hoog of middel" in html
    # Without an earlier session the page counts the last week; the seeded network ads are
    # first seen 10, 7 and 4 days ago: two of them are in that week.
    assert "Eerst bekijken" in html


def test_the_root_opens_the_home_page(officer):
    assert officer.get("/", follow_redirects=False).headers["location"] == "/home"


def test_a_saved_filter_comes_back_on_the_queue_and_home(officer, world):
    response = post(officer, "/filters", name="Hoog, nieuw", query="tier=hoog&status=nieuw&x=1")
    assert response.status_code == 303
    with world.instance.db.reading() as session:
        row = session.scalar(select(SavedFilter))
    assert row.query == "tier=hoog&status=nieuw"
    assert 'href="/queue?tier=hoog&amp;status=nieuw">Hoog, nieuw</a>' in officer.get("/home").text
    assert post(officer, f"/filters/{row.id}/delete").status_code == 303
    assert "Hoog, nieuw" not in officer.get("/queue").text


def test_the_digest_opt_in_is_stored_and_audited_without_the_address(officer, world):
    assert post(officer, "/digest", email="officier@houten.example").status_code == 303
    assert "error=digest_email" in post(officer, "/digest", email="geen adres").headers["location"]
    with world.instance.db.reading() as session:
        assert session.scalar(select(DigestSubscription.email)) == "officier@houten.example"
        entry = session.scalar(select(AuditEvent).where(AuditEvent.action == "digest_on"))
    assert "houten.example" not in repr(entry.details)
    post(officer, "/digest", email="")
    with world.instance.db.reading() as session:
        assert session.scalar(select(DigestSubscription)) is None


def test_volgende_opens_the_first_open_ad(officer, world):
    first = officer.get("/queue/next", follow_redirects=False).headers["location"]
    ad = int(first.rsplit("/", 1)[1])
    post(officer, f"/ads/{ad}/decisions", status="geen_signaal", reason="Zelfstandig")
    assert "Volgende te beoordelen" in officer.get(f"/ads/{ad}?saved=decision").text
    after = officer.get("/queue/next", follow_redirects=False).headers["location"]
    assert after.startswith("/ads/") and after != first


def test_only_officers_get_the_digest(viewer):
    assert "Dagelijkse e-mail" not in viewer.get("/home").text
    token = csrf_of(viewer.get("/queue").text)
    refused = viewer.post("/digest", data={"email": "a@b.example", "csrf_token": token})
    assert refused.status_code == 403
