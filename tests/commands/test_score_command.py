"""End to end: crawl the demo on two days, `adwatch score`, and read `adwatch hits --json`."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from adwatch.storage.models import Decision, PhoneLink, Score, User
from application.demo.server import DemoPlatform
from tests.helpers import instance_env, migrated_database, run_cli

REQUIRED_KEYS = {
    "ad_id", "municipality", "source", "source_ad_id", "url", "score", "tier", "network_id",
    "first_seen",
    "last_seen", "gone_at", "places", "phones", "indicators",
}  # fmt: skip


def _score(env) -> dict[str, int]:
    result = run_cli(env, "score")
    assert result.returncode == 0, result.stderr
    figures = dict(re.findall(r"│ ([a-z ()]+?)\s+│\s+(\d+) │", result.stdout))
    return {key: int(value) for key, value in figures.items()}


def _hits(env, *args: str) -> list[dict]:
    result = run_cli(env, "hits", "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("scored") / "data"
    env = instance_env(data_dir)
    db = migrated_database(data_dir)
    platform = DemoPlatform(seed=2026, day=1)
    figures = {}
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
        figures["day1"] = _score(env)
        _decide_on_first_ad(db)
        platform.set_day(2)
        run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
        figures["day2"] = _score(env)
        figures["again"] = _score(env)
    return platform, db, env, figures


def _decide_on_first_ad(db) -> None:
    with db.writing() as session:
        user = User(username="officer1", display_name="Officer", role="officer")
        session.add(user)
        session.flush()
        session.add(Decision(ad_id=1, status="monitoren", reason="test", actor_id=user.id))


def _by_source_id(rows: list[dict]) -> dict[str, dict]:
    return {row["source_ad_id"]: row for row in rows}


def _codes(row: dict) -> set[str]:
    return {hit["code"] for hit in row["indicators"]}


def test_every_row_has_the_documented_keys(scored) -> None:
    _, _, env, _ = scored
    rows = _hits(env, "--all")
    assert rows and all(set(row) == REQUIRED_KEYS for row in rows)
    assert rows == sorted(rows, key=lambda r: (-r["score"], r["ad_id"]))


def test_minor_cues_are_all_found_and_put_in_tier_hoog(scored) -> None:
    platform, _, env, _ = scored
    rows = _by_source_id(_hits(env))
    minors = [a.id for a in platform.ads_for_day(1) if "minor_cue" in a.labels and not a.vip]
    assert minors
    for ad_id in minors:
        assert "minor_cue" in _codes(rows[ad_id]) and rows[ad_id]["tier"] == "hoog", ad_id


def test_shared_phone_group_is_one_network(scored) -> None:
    platform, _, env, _ = scored
    rows = _by_source_id(_hits(env))
    group = [a.id for a in platform.ads_for_day(1) if "phone_shared" in a.labels]
    assert len(group) == 5
    assert all("phone_shared" in _codes(rows[ad_id]) for ad_id in group)
    assert len({rows[ad_id]["network_id"] for ad_id in group}) == 1


def test_rotated_numbers_are_linked_with_both_numbers_reported(scored) -> None:
    platform, _, env, _ = scored
    rows = _by_source_id(_hits(env))
    for ad_id in platform.content.changes.rotated:
        if ad_id in rows:
            assert "phone_rotation" in _codes(rows[ad_id])
            assert len(rows[ad_id]["phones"]) == 2
            assert all(phone.startswith("+316") for phone in rows[ad_id]["phones"])


def test_reused_photos_carry_the_pair_and_distance(scored) -> None:
    platform, _, env, _ = scored
    rows = _by_source_id(_hits(env))
    reused = [a.id for a in platform.ads_for_day(1) if "photo_reuse" in a.labels]
    assert reused
    for ad_id in reused:
        hit = next(h for h in rows[ad_id]["indicators"] if h["code"] == "photo_reuse")
        assert all(0 <= e["distance"] <= 8 and e["other_ad_id"] for e in hit["evidence"])


def test_text_template_shows_the_template(scored) -> None:
    platform, _, env, _ = scored
    rows = _by_source_id(_hits(env))
    group = [a.id for a in platform.ads_for_day(1) if "text_template" in a.labels]
    for ad_id in group:
        hit = next(h for h in rows[ad_id]["indicators"] if h["code"] == "text_template")
        assert hit["evidence"][0]["template"] and hit["evidence"][0]["varying"]


def test_independent_workers_get_no_text_signal(scored) -> None:
    platform, _, env, _ = scored
    rows = _by_source_id(_hits(env, "--all"))
    independents = [a.id for a in platform.ads_for_day(1) if "trap:independent" in a.labels]
    assert independents
    for ad_id in independents:
        assert _codes(rows[ad_id]) <= {"young_age"}, ad_id


def test_scoring_is_incremental(scored) -> None:
    platform, _, _, figures = scored
    changes = platform.content.changes
    assert figures["day1"]["analysed (new or changed)"] == figures["day1"]["ads"]
    touched = set(changes.added) | set(changes.edited) | set(changes.rotated)
    in_scope_touched = {a.id for a in platform.ads_for_day(2) if a.id in touched and a.in_scope}
    assert figures["day2"]["analysed (new or changed)"] == len(in_scope_touched - _vip(platform))
    assert figures["again"]["analysed (new or changed)"] == 0
    assert figures["again"]["scores written"] == 0


def _vip(platform: DemoPlatform) -> set[str]:
    return {a.id for a in platform.ads_for_day(2) if a.vip}


def test_filters_narrow_the_list(scored) -> None:
    _, _, env, _ = scored
    everything, with_hits = _hits(env, "--all"), _hits(env)
    hoog = _hits(env, "--tier", "hoog")
    assert len(everything) > len(with_hits) > len(hoog) > 0
    assert all(row["tier"] == "hoog" for row in hoog)
    assert _hits(env, "--since", "2999-01-01") == []


def test_phones_are_stored_only_as_keyed_hashes(scored) -> None:
    _, db, _, _ = scored
    with db.reading() as session:
        keys = session.scalars(select(PhoneLink.phone_key)).all()
    assert keys and all(re.fullmatch(r"hmac-sha256:[0-9a-f]{64}", key) for key in keys)


def test_scoring_never_changes_a_decision(scored) -> None:
    _, db, _, _ = scored
    with db.reading() as session:
        decisions = session.scalars(select(Decision)).all()
        scores = session.scalar(select(func.count(Score.id)))
    assert [(d.ad_id, d.status, d.reason) for d in decisions] == [(1, "monitoren", "test")]
    assert scores > 0


def test_score_explain_shows_hits_stopped_matches_and_extraction(scored) -> None:
    _, _, env, _ = scored
    flagged = next(row for row in _hits(env) if row["indicators"])
    result = run_cli(env, "score", "--explain", str(flagged["ad_id"]))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"ad {flagged['ad_id']}, newest version")
    assert {"hits:", "stopped:", "extracted:"} <= {line.strip() for line in lines}
    text_codes = {i["code"] for i in flagged["indicators"]} & {
        line.strip().split()[1] for line in lines if line.strip().startswith("+ ")
    }
    assert text_codes, result.stdout
    missing = run_cli(env, "score", "--explain", "999999")
    assert missing.returncode != 0 and "no ad with id 999999" in missing.stderr + missing.stdout
