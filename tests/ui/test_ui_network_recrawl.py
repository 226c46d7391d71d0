"""A decision on a network in the real demo survives a re-crawl and a re-score: its members stay
decided and out of the open queue unless they changed; an ad that joined since returns with its
reason."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.models import Ad, AdVersion, Decision, NetworkMember
from application.demo.server import DemoPlatform
from review_ui.app import create_app
from tests.helpers import instance_env, migrated_database
from tests.ui.conftest import csrf_of, log_in
from tests.ui.test_ui_decision_survives import _crawl_and_score
from tests.ui.uidata import add_user


def _open_queue(client: TestClient) -> str:
    pages, html = 1, ""
    while True:
        text = client.get(f"/queue?page={pages}").text
        html += text
        if f"?page={pages + 1}" not in text:
            return html
        pages += 1


def _members(instance: Instance) -> dict[str, set[int]]:
    with instance.db.reading() as session:
        rows = session.execute(select(NetworkMember.network_id, NetworkMember.ad_id)).all()
    found: dict[str, set[int]] = {}
    for network_id, ad_id in rows:
        found.setdefault(network_id, set()).add(ad_id)
    return found


@pytest.fixture(scope="module")
def recrawled(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("network-recrawl") / "data"
    env = instance_env(data_dir)
    migrated_database(data_dir).dispose()
    platform = DemoPlatform(seed=2026, day=1)
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        _crawl_and_score(env, base_url)
        instance = Instance(load_settings(env))
        add_user(instance.db, "officer", "officer")
        networks = _members(instance)
        chosen = max(networks, key=lambda n: len(networks[n]))
        app = create_app(instance, require_totp=False)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            log_in(client, "officer")
            token = csrf_of(client.get("/queue").text)
            for network_id in networks:
                client.post(
                    f"/networks/{network_id}/decisions",
                    data={"csrf_token": token, "status": "monitoren", "reason": "netwerk volgen"},
                )
            newcomer = _share_a_phone_on_day_two(platform, instance, networks[chosen])
            platform.set_day(2)
            _crawl_and_score(env, base_url)
            queue = _open_queue(client)
            grouped = client.get("/queue?group=network").text
    return instance, chosen, networks, queue, grouped, newcomer


def _share_a_phone_on_day_two(platform: DemoPlatform, instance: Instance, members: set[int]) -> str:
    """One of day 2's new ads in the same region takes a member's phone number, so the re-score
    puts it in the decided network; returns its platform id."""
    with instance.db.reading() as session:
        member_ids = set(session.scalars(select(Ad.source_ad_id).where(Ad.id.in_(members))))
    member = next(ad for ad in platform.content.days[1] if ad.id in member_ids)
    day2 = list(platform.content.days[2])
    index = next(
        i
        for i, ad in enumerate(day2)
        if ad.id in platform.changes.added and ad.region == member.region
    )
    day2[index] = replace(day2[index], phone=member.phone)
    platform.content.days[2] = tuple(day2)
    return day2[index].id


def test_unchanged_members_stay_decided_after_recrawl_and_rescore(recrawled):
    instance, chosen, networks, queue, _, _ = recrawled
    before = networks[chosen]
    with instance.db.reading() as session:
        decided_at = session.scalar(
            select(Decision.created_at).where(Decision.network_id == chosen)
        )
        changed = set(
            session.scalars(
                select(AdVersion.ad_id).where(
                    AdVersion.ad_id.in_(before), AdVersion.seen_at > decided_at
                )
            )
        )
        rows = session.scalar(
            select(func.count()).select_from(Decision).where(Decision.via_network == chosen)
        )
    assert rows == len(before)
    listed = {int(i) for i in re.findall(r'href="/ads/(\d+)" class="ad-link"', queue)}
    assert before - changed, "the decided network should keep unchanged members"
    assert not (before - changed) & listed
    assert changed <= listed


def test_the_network_keeps_its_id_and_a_newcomer_returns_with_its_reason(recrawled):
    instance, chosen, _, queue, grouped, newcomer = recrawled
    with instance.db.reading() as session:
        ad_id = session.scalar(select(Ad.id).where(Ad.source_ad_id == newcomer))
        own = session.scalar(
            select(func.count()).select_from(Decision).where(Decision.ad_id == ad_id)
        )
    assert ad_id in _members(instance)[chosen] and own == 0
    assert f'href="/ads/{ad_id}" class="ad-link"' in queue
    row = queue[queue.index(f'href="/ads/{ad_id}" class="ad-link"') :]
    assert "(besluit: monitoren)" in row[: row.index("</tr>")]
    assert "(besluit: monitoren)" in grouped
