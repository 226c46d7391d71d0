"""One installation for Houten and Nieuwegein, end to end: crawl the demo platform, score, list
hits, and check in the review UI that a user of one municipality cannot read the other's data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select

from adwatch.access import accounts
from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.db import Database
from adwatch.storage.models import (
    Ad,
    AdImage,
    AdVersion,
    Capture,
    Decision,
    EvidencePack,
    IndicatorHit,
    NetworkMember,
    Note,
)
from application.demo.server import DemoPlatform
from review_ui.app import create_app
from tests.helpers import instance_env, migrated_database, run_cli
from tests.municipalities.regional import regional_config
from tests.ui.conftest import csrf_of, log_in
from tests.ui.uidata import PASSWORD

AD_LINK = re.compile(r'href="/ads/(\d+)"')
PACK = {"purpose": "Controle", "legal_basis": "APV", "recipient": "AVIM", "case_ref": "Z-1"}


@dataclass
class Regional:
    platform: DemoPlatform
    env: dict[str, str]
    db: Database
    instance: Instance


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Regional]:
    """Day 1 of the demo platform crawled and scored for both municipalities, with users."""
    root = tmp_path_factory.mktemp("regional")
    env = instance_env(root / "data", regional_config(root))
    db = migrated_database(root / "data")
    platform = DemoPlatform(seed=2026, day=1)
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        crawl = run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    scored = run_cli(env, "score")
    assert scored.returncode == 0, scored.stderr[-2000:]
    instance = Instance(load_settings(env))
    _add_users(instance.db)
    yield Regional(platform, env, db, instance)
    instance.db.dispose()


def _add_users(db: Database) -> None:
    default, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=1024)
    try:
        with db.writing() as session:
            for name, codes in (("h", ["houten"]), ("n", ["nieuwegein"]), ("hn", ["houten"])):
                user, _ = accounts.create_user(session, name, "officer", PASSWORD)
                for code in codes:
                    accounts.change_grant(session, user, code, granted=True, actor="test")
    finally:
        accounts._hasher = default


def _stored(db: Database) -> list[Ad]:
    with db.reading() as session:
        return list(session.scalars(select(Ad)))


def _by_municipality(db: Database) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for ad in _stored(db):
        found.setdefault(ad.municipality, {})[ad.source_ad_id] = ad.id
    return found


def test_each_ad_is_stored_for_each_municipality_it_belongs_to(regional: Regional) -> None:
    day1 = regional.platform.ads_for_day(1)
    houten = {ad.id for ad in day1 if ad.in_scope and not ad.vip}
    on_nieuwegein_page = {ad.id for ad in day1 if ad.region == "nieuwegein" and not ad.vip}
    stored = _by_municipality(regional.db)
    assert set(stored) == {"houten", "nieuwegein"}
    assert set(stored["houten"]) == houten  # exactly what a Houten-only installation keeps
    assert on_nieuwegein_page <= set(stored["nieuwegein"])
    both = [ad.id for ad in day1 if "trap:in_scope_by_text" in ad.labels and not ad.vip]
    assert both and set(both) <= set(stored["houten"]) & set(stored["nieuwegein"])


def test_an_ad_of_two_municipalities_is_two_rows_sharing_one_capture(regional: Regional) -> None:
    stored = _by_municipality(regional.db)
    shared = sorted(set(stored["houten"]) & set(stored["nieuwegein"]))
    with regional.db.reading() as session:
        for source_ad_id in shared:
            ids = [stored["houten"][source_ad_id], stored["nieuwegein"][source_ad_id]]
            assert ids[0] != ids[1]
            pages = session.scalars(
                select(Capture).where(Capture.ad_id.in_(ids), Capture.kind == "ad_page")
            ).all()
            assert {p.ad_id for p in pages} == set(ids)
            assert len({(p.sha256, p.warc_record_id) for p in pages}) == 1
            owners = session.execute(
                select(AdVersion.ad_id, Capture.ad_id)
                .join(Capture, Capture.id == AdVersion.capture_id)
                .where(AdVersion.ad_id.in_(ids))
            ).all()
            assert owners and all(version == capture for version, capture in owners)


def test_scoring_never_links_ads_of_two_municipalities(regional: Regional) -> None:
    with regional.db.reading() as session:
        owner = dict(session.execute(select(Ad.id, Ad.municipality)).all())
        members: dict[str, set[str]] = {}
        for network_id, ad_id in session.execute(
            select(NetworkMember.network_id, NetworkMember.ad_id)
        ):
            members.setdefault(network_id, set()).add(owner[ad_id])
        hits = session.scalars(
            select(IndicatorHit).where(IndicatorHit.code.in_(["phone_shared", "text_template"]))
        ).all()
    assert members and all(len(codes) == 1 for codes in members.values())
    assert hits
    for hit in hits:
        linked = {n for item in hit.evidence for n in item.get("ad_ids", [])} - {hit.ad_id}
        assert {owner[a] for a in linked} <= {owner[hit.ad_id]}, hit.id


def test_hits_name_their_municipality_and_can_be_limited_to_one(regional: Regional) -> None:
    result = run_cli(regional.env, "hits", "--json", "--all", "--municipality", "nieuwegein")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and {row["municipality"] for row in rows} == {"nieuwegein"}
    assert len(rows) == len(_by_municipality(regional.db)["nieuwegein"])
    unknown = run_cli(regional.env, "hits", "--json", "--municipality", "zeist")
    assert unknown.returncode != 0 and "unknown municipality 'zeist'" in unknown.stderr


def _client(regional: Regional, user: str) -> TestClient:
    app = create_app(regional.instance, require_totp=False)
    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    return log_in(client, user)


def _post(client: TestClient, url: str, **data: str):
    data["csrf_token"] = csrf_of(client.get("/queue").text)
    return client.post(url, data=data, follow_redirects=False)


def _only_in(regional: Regional, municipality: str) -> int:
    stored = _by_municipality(regional.db)
    other = "houten" if municipality == "nieuwegein" else "nieuwegein"
    source_ad_id = sorted(set(stored[municipality]) - set(stored[other]))[0]
    return stored[municipality][source_ad_id]


def _image_only_in(regional: Regional, municipality: str) -> int:
    """An image that appears only in ads of this municipality."""
    with regional.db.reading() as session:
        rows = session.execute(
            select(AdImage.image_id, Ad.municipality)
            .join(AdVersion, AdVersion.id == AdImage.ad_version_id)
            .join(Ad, Ad.id == AdVersion.ad_id)
        ).all()
    owners: dict[int, set[str]] = {}
    for image_id, code in rows:
        owners.setdefault(image_id, set()).add(code)
    return min(i for i, codes in owners.items() if codes == {municipality})


def test_the_queue_and_dashboard_show_only_granted_municipalities(regional: Regional) -> None:
    stored = _by_municipality(regional.db)
    for user, code in (("h", "houten"), ("n", "nieuwegein")):
        with _client(regional, user) as client:
            shown = set()
            for page in range(1, 5):
                html = client.get(f"/queue?status=&page={page}").text
                shown |= {int(i) for i in AD_LINK.findall(html)}
            assert shown and shown <= set(stored[code].values()), user
            dashboard = client.get("/dashboard?from=2020-01-01&to=2030-12-31").text
            seen = f'<th scope="row">Advertenties gezien</th><td class="num">{len(stored[code])}<'
            assert seen in dashboard, user
            assert f"gemeente: {code.capitalize()}</span>" in dashboard


def test_a_user_of_one_municipality_cannot_read_the_others(regional: Regional) -> None:
    theirs = _only_in(regional, "nieuwegein")
    mine = _only_in(regional, "houten")
    image_id = _image_only_in(regional, "houten")
    with regional.db.reading() as session:
        network = session.scalar(
            select(NetworkMember.network_id)
            .join(Ad, Ad.id == NetworkMember.ad_id)
            .where(Ad.municipality == "houten")
        )
    with _client(regional, "n") as client:
        assert client.get(f"/ads/{theirs}").status_code == 200
        assert client.get(f"/ads/{mine}").status_code == 404
        assert client.get(f"/networks/{network}").status_code == 404
        assert client.get(f"/images/{image_id}?blur=1").status_code == 404
        for path, data in (
            (f"/ads/{mine}/decisions", {"status": "monitoren", "reason": "x"}),
            (f"/ads/{mine}/notes", {"text": "x"}),
            (f"/networks/{network}/decisions", {"status": "monitoren", "reason": "x"}),
            (f"/ads/{mine}/evidence", PACK),
        ):
            assert _post(client, path, **data).status_code == 404, path
    with regional.db.reading() as session:
        assert session.scalars(select(Decision).where(Decision.ad_id == mine)).all() == []
        assert session.scalars(select(Note).where(Note.ad_id == mine)).all() == []
    with _client(regional, "h") as client:
        assert client.get(f"/networks/{network}").status_code == 200
        assert client.get(f"/images/{image_id}?blur=1").status_code == 200


def test_decisions_and_packs_belong_to_their_ads_municipality(regional: Regional) -> None:
    theirs = _only_in(regional, "nieuwegein")
    with _client(regional, "n") as client:
        decided = _post(client, f"/ads/{theirs}/decisions", status="monitoren", reason="volgen")
        assert decided.status_code == 303
        exported = _post(client, f"/ads/{theirs}/evidence", **PACK)
        assert "saved=pack" in exported.headers["location"]
    with regional.db.reading() as session:
        decision = session.scalars(select(Decision).where(Decision.ad_id == theirs)).one()
        pack = session.scalars(select(EvidencePack).where(EvidencePack.ad_ids == [theirs])).one()
    assert decision.municipality == pack.municipality == "nieuwegein"
    with _client(regional, "h") as client:
        assert client.get(f"/packs/{pack.id}").status_code == 404
        assert f"/packs/{pack.id}" not in client.get(f"/ads/{_only_in(regional, 'houten')}").text
    with _client(regional, "n") as client:
        assert client.get(f"/packs/{pack.id}").status_code == 200


def test_a_grant_takes_effect_and_a_revoke_takes_it_away(regional: Regional) -> None:
    theirs = _only_in(regional, "nieuwegein")
    granted = run_cli(regional.env, "user", "grant", "hn", "nieuwegein")
    assert granted.returncode == 0 and "houten, nieuwegein" in granted.stdout, granted.stderr
    with _client(regional, "hn") as client:
        assert client.get(f"/ads/{theirs}").status_code == 200
    revoked = run_cli(regional.env, "user", "revoke", "hn", "nieuwegein")
    assert revoked.returncode == 0, revoked.stderr
    with _client(regional, "hn") as client:
        assert client.get(f"/ads/{theirs}").status_code == 404
    review = json.loads(run_cli(regional.env, "users", "review", "--json").stdout)
    row = next(r for r in review if r["user"] == "hn")
    assert row["municipalities"] == ["houten"]
    assert any("grant" in c and "municipality=nieuwegein" in c for c in row["changes"])
    assert any("revoke" in c for c in row["changes"])


def test_new_accounts_must_name_their_municipalities(regional: Regional) -> None:
    refused = run_cli(regional.env, "user", "add", "x", "--role", "viewer", "--password-stdin")
    assert refused.returncode != 0
    assert "--municipality with one or more of houten, nieuwegein" in refused.stderr
    asked = ("--role", "viewer", "--municipality", "zeist")
    unknown = run_cli(regional.env, "user", "add", "x", *asked)
    assert unknown.returncode != 0 and "unknown municipality 'zeist'" in unknown.stderr


def test_the_yearly_report_is_per_municipality(regional: Regional, tmp_path: Path) -> None:
    refused = run_cli(regional.env, "report", "--year", "2026", "--format", "csv")
    assert refused.returncode != 0 and "--municipality" in refused.stderr
    out = tmp_path / "n.html"
    made = run_cli(
        regional.env, "report", "--year", "2026", "--municipality", "nieuwegein", "-o", str(out)
    )
    assert made.returncode == 0, made.stderr
    assert "gemeente Nieuwegein" in out.read_text(encoding="utf-8")


def _subject(regional: Regional, *args: str):
    return run_cli(regional.env, "subject", *args, "--actor", "officer1")


def test_a_subject_request_reaches_only_the_municipality_it_was_made_to(regional: Regional) -> None:
    stored = _by_municipality(regional.db)
    shared = [
        ad
        for ad in regional.platform.ads_for_day(1)
        if not ad.vip and ad.id in stored["houten"] and ad.id in stored["nieuwegein"]
    ]
    phone = shared[0].phone_digits
    unnamed = _subject(regional, "find", "--phone", phone)
    assert unnamed.returncode != 0 and "--municipality" in unnamed.stderr, unnamed.stderr
    for code in ("houten", "nieuwegein"):
        found = _subject(regional, "find", "--phone", phone, "--municipality", code)
        assert found.returncode == 0, found.stderr
        listed = {int(i) for i in re.findall(r"ad id (\d+)", found.stdout)}
        assert stored[code][shared[0].id] in listed, found.stdout
        assert listed <= set(stored[code].values()), found.stdout
    # Nieuwegein's copy is out of reach of a request made to Houten: nothing to erase.
    other = str(stored["nieuwegein"][shared[0].id])
    erase = _subject(regional, "erase", "--ad", other, "--municipality", "houten")
    assert erase.returncode == 0 and "nothing found" in erase.stdout, erase.stdout
    with regional.db.reading() as session:
        assert session.get(Ad, int(other)) is not None
    wrong = _subject(regional, "find", "--ad", other, "--municipality", "utrecht")
    assert wrong.returncode != 0 and "unknown municipality 'utrecht'" in wrong.stderr, wrong.stderr
