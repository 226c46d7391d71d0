"""A decision taken in the UI survives a re-crawl and a re-score of the real demo platform."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.models import Ad, Decision
from application.demo.server import DemoPlatform
from review_ui.app import create_app
from tests.helpers import instance_env, migrated_database, run_cli
from tests.ui.conftest import csrf_of, log_in
from tests.ui.uidata import add_user


def _crawl_and_score(env, base_url: str) -> None:
    crawled = run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    scored = run_cli(env, "score")
    assert scored.returncode == 0, scored.stderr[-2000:]


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("survive") / "data"
    env = instance_env(data_dir)
    migrated_database(data_dir).dispose()
    platform = DemoPlatform(seed=2026, day=1)
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        _crawl_and_score(env, base_url)
        instance = Instance(load_settings(env))
        add_user(instance.db, "officer", "officer")
        edited = _edited_ad(instance, platform)
        app = create_app(instance, require_totp=False)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            log_in(client, "officer")
            token = csrf_of(client.get("/queue").text)
            client.post(
                f"/ads/{edited}/decisions",
                data={"csrf_token": token, "status": "monitoren", "reason": "volgen"},
            )
            platform.set_day(2)
            _crawl_and_score(env, base_url)
            page = client.get(f"/ads/{edited}").text
    return instance, edited, page


def _edited_ad(instance: Instance, platform: DemoPlatform) -> int:
    edited = set(platform.content.changes.edited) | set(platform.content.changes.rotated)
    with instance.db.reading() as session:
        ads = session.scalars(select(Ad).where(Ad.source_ad_id.in_(edited))).all()
    assert ads
    return ads[0].id


def test_the_decision_is_unchanged_in_the_database(demo_world) -> None:
    instance, edited, _ = demo_world
    with instance.db.reading() as session:
        decisions = session.scalars(select(Decision)).all()
        versions = session.get(Ad, edited).versions
    assert [(d.ad_id, d.status, d.reason) for d in decisions] == [(edited, "monitoren", "volgen")]
    assert len(versions) == 2


def test_the_ad_page_still_shows_it_after_the_new_version(demo_world) -> None:
    _, _, page = demo_world
    history = page.split('id="beslissen-kop"')[1]
    assert "Monitoren" in history and "volgen" in history
    assert re.search(r"Gezien [0-9-]+ [0-9:]+<", page)
