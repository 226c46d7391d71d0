"""The search on every page: a phone in any notation through the keyed hash, names, words, an ad
id or URL; results grouped by network; the audit log holds the ids found, never the terms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adwatch.access.accounts import change_grant, user_named
from adwatch.casework.phonesearch import search_key
from adwatch.storage.models import AuditEvent
from scoring.phones import phone_key
from tests.helpers import DEMO_SECRET_KEY
from tests.ui.conftest import csrf_of, log_in, make_client
from tests.ui.uidata import add_user


def find(client, query: str):
    token = csrf_of(client.get("/search").text)
    return client.post("/search", data={"q": query, "csrf_token": token})


@pytest.mark.parametrize("typed", ["06 1234 0050", "+31 (0)6-12340050", "0031612340050"])
def test_a_phone_in_any_notation_finds_the_network(officer, world, typed):
    members = world.seeded.ad_ids[2:5]  # uidata stores their shared number's keyed hash
    html = find(officer, typed).text
    assert "Gezocht als telefoonnummer: 3 advertentie(s) in 1 netwerk(en)" in html
    assert f'href="/networks/{world.seeded.network_id}"' in html
    for ad in members:
        assert f'href="/ads/{ad}"' in html


def test_the_search_key_is_the_key_scoring_stores():
    assert search_key("06-12 34 00 50", DEMO_SECRET_KEY) == phone_key(
        "+31612340050", DEMO_SECRET_KEY
    )
    assert search_key("12345", DEMO_SECRET_KEY) is None


def test_names_words_ids_and_urls(officer, world):
    network_ads = world.seeded.ad_ids[2:5]
    assert f'href="/ads/{network_ads[1]}"' in find(officer, "Nora").text
    assert "Gezocht als naam of woorden" in find(officer, "blij heren").text
    assert f'href="/ads/{world.seeded.xss_ad}"' in find(officer, f"#{world.seeded.xss_ad}").text
    by_url = find(officer, "http://127.0.0.1/ad/2").text
    assert f'href="/ads/{world.seeded.rotated_ad}"' in by_url
    assert "Niets gevonden" in find(officer, "woorddatnergensstaat").text


def test_the_audit_log_has_the_ids_found_not_the_terms(officer, world):
    find(officer, "06 1234 0050")
    find(officer, "Nora")
    with world.instance.db.reading() as session:
        entries = session.scalars(select(AuditEvent).where(AuditEvent.action == "search")).all()
    assert [e.object_ids for e in entries] == [world.seeded.ad_ids[2:5], [world.seeded.ad_ids[3]]]
    logged = repr([(e.details, e.object_ids) for e in entries])
    assert "1234" not in logged.replace(str(world.seeded.ad_ids), "") and "Nora" not in logged
    assert entries[0].details["kind"] == "phone"


def test_search_is_limited_to_granted_municipalities(world):
    add_user(world.instance.db, "buur", "officer")
    with world.instance.db.writing() as session:
        change_grant(session, user_named(session, "buur"), "houten", granted=False, actor="t")
    with make_client(world) as client:
        log_in(client, "buur")
        assert "Niets gevonden" in find(client, "Nora").text
