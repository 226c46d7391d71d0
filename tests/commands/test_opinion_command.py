"""End to end: `adwatch opinion train`, `adwatch score` with the second opinion on, `adwatch
opinion evaluate` and `status`, a swapped model file refused, and switching it off again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from adwatch.storage.models import Ad, AdVersion, CrawlRun, Decision, SecondOpinion, Source, User
from adwatch.timeutil import utcnow
from tests.helpers import CONFIG_DIR, add_page_capture, instance_env, migrated_database, run_cli
from tests.scoring.opinion_corpus import write_corpus

TEXTS = {
    "marked-1": "Via de blauwe deur kom je terecht bij Noor. Tot snel!",
    "marked-2": "Bel de blauwe deur voor een plekje bij Lies. Discreet.",
    "plain-1": "Ik ben Roos en ontvang rustig in mijn eigen studio in Houten. Groetjes.",
}


def _config(folder: Path, enabled: bool) -> Path:
    if not folder.exists():
        shutil.copytree(CONFIG_DIR, folder)
    path = folder / "adwatch.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["second_opinion"] = {"enabled": enabled, "words_shown": 3}
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return folder


def _seed_ads(db) -> dict[str, int]:
    now = utcnow()
    ids = {}
    with db.writing() as session:
        source = Source(name="demo", title="Demo")
        session.add(source)
        session.flush()
        run = CrawlRun(source_id=source.id)
        session.add(run)
        session.flush()
        for number, (key, text) in enumerate(TEXTS.items()):
            url = f"http://127.0.0.1/ad/{number}"
            ad = Ad(
                municipality="houten", source_id=source.id, source_ad_id=key, url=url,
                first_seen=now, last_seen=now,
            )  # fmt: skip
            session.add(ad)
            session.flush()
            capture = add_page_capture(session, run.id, url, now)
            version = AdVersion(
                ad_id=ad.id,
                capture_id=capture,
                seen_at=now,
                content_sha256=f"c{number}",
                title="Houten",
                text=text,
                town="Houten",
            )
            session.add(version)
            ids[key] = ad.id
    return ids


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("opinion")
    data_dir = root / "data"
    db = migrated_database(data_dir)
    ids = _seed_ads(db)
    corpus = write_corpus(root / "corpus")
    env = instance_env(data_dir, _config(root / "config", enabled=True))
    return root, env, db, ids, corpus


def _ok(env, *args: str):
    result = run_cli(env, *args)
    assert result.returncode == 0, result.stderr
    return result


def test_train_score_and_read_the_opinions(world) -> None:
    _, env, db, ids, corpus = world
    before = _ok(env, "score")
    assert "no model recorded" in before.stdout
    trained = _ok(env, "opinion", "train", "--corpus", str(corpus))
    assert "recorded" in trained.stdout and "out of fold" in trained.stdout
    scored = _ok(env, "score")
    assert "second opinion: 3 ads read, 2 of them worth reading" in scored.stdout
    with db.reading() as session:
        rows = {row.ad_id: row for row in session.scalars(select(SecondOpinion))}
    assert {ad for ad, row in rows.items() if row.disagrees} == {ids["marked-1"], ids["marked-2"]}
    words = [w["word"] for w in rows[ids["marked-1"]].words]
    assert 0 < len(words) <= 3 and {"blauwe", "deur"} & set(words)
    assert rows[ids["plain-1"]].words == []
    again = _ok(env, "score")
    assert "0 ads read" in again.stdout
    status = _ok(env, "opinion", "status")
    assert (
        "second opinion: on" in status.stdout and "disagreeing with the rules: 2" in status.stdout
    )
    assert "thresholds worth_reading 0." in status.stdout  # no minor cues: one head


def test_evaluate_compares_rules_with_rules_plus_opinion(world) -> None:
    root, env, _, _, corpus = world
    _ok(env, "opinion", "train", "--corpus", str(corpus))
    figures = json.loads(_ok(env, "opinion", "evaluate", "--corpus", str(corpus), "--json").stdout)
    assert figures["rules"]["recall"] == 0.0
    assert figures["rules_plus_opinion"]["recall"] == 1.0
    assert figures["extra_asked"] == figures["extra_right"] == 30
    assert figures["trained_on_these_ads"] == 60
    fresh = write_corpus(root / "fresh", seed=99, per_kind=10, prefix="fresh")
    table = _ok(env, "opinion", "evaluate", "--corpus", str(fresh)).stdout
    assert "rules + opinion" in table and "warning" not in table
    cv = ("--cv", "3", "--min-precision", "0.9", "--json")
    folds = json.loads(_ok(env, "opinion", "evaluate", "--corpus", str(corpus), *cv).stdout)
    assert folds["ads"] == 60 and folds["trained_on_these_ads"] == 0
    assert folds["rules_plus_opinion"]["recall"] > 0.9 and folds["extra_asked"] >= 27
    assert folds["minor_cues"]["labelled"] == 0 and list(folds["per_author"]) == ["syn"]


def test_leaving_one_author_out_prints_figures_per_author_and_no_ad(world) -> None:
    root, env, _, _, _ = world
    voices = root / "voices"
    for number, prefix in enumerate(("va", "vb", "vc")):
        write_corpus(voices, seed=20 + number, per_kind=12, prefix=prefix, minor=8)
    printed = _ok(env, "opinion", "evaluate", "--corpus", str(voices), "--cv", "authors").stdout
    table = " ".join(printed.split())  # the table's title wraps with the terminal's width
    assert "one author left out at a time" in table and "per author" in table
    for prefix in ("va", "vb", "vc"):
        assert prefix in table and f"{prefix}-0" not in table
    assert "blauwe" not in table and "rode lint" not in table
    cv = ("--cv", "authors", "--json")
    figures = json.loads(_ok(env, "opinion", "evaluate", "--corpus", str(voices), *cv).stdout)
    assert set(figures["per_author"]) == {"va", "va-minor", "vb", "vb-minor", "vc", "vc-minor"}
    assert figures["minor_cues"]["labelled"] == 24
    assert figures["minor_cues"]["caught_by_opinion"] >= 16
    assert sum(a["ads"] for a in figures["per_author"].values()) == figures["ads"] == 96


def test_a_swapped_model_file_is_refused(world) -> None:
    root, env, _, _, corpus = world
    _ok(env, "opinion", "train", "--corpus", str(corpus))
    (model,) = (root / "data" / "models").glob("second-opinion-*.json")
    original = model.read_bytes()
    model.write_bytes(original.replace(b'"threshold": 0.', b'"threshold": 0.0'))
    refused = run_cli(env, "score")
    assert refused.returncode != 0
    assert "changed or replaced" in refused.stderr and "adwatch opinion train" in refused.stderr
    model.write_bytes(original)
    _ok(env, "score")


def test_decisions_become_labels_only_when_configured(world) -> None:
    root, env, db, ids, corpus = world
    with db.writing() as session:
        user = User(username="officer-op", display_name="Officer", role="officer")
        session.add(user)
        session.flush()
        for key, status in (("plain-1", "geen_signaal"), ("marked-1", "monitoren")):
            session.add(Decision(ad_id=ids[key], status=status, reason="t", actor_id=user.id))
    trained = _ok(env, "opinion", "train", "--corpus", str(corpus))
    assert "(0 from decisions)" in trained.stdout
    settings = yaml.safe_load((root / "config" / "adwatch.yaml").read_text(encoding="utf-8"))
    settings["second_opinion"]["learn_from_decisions"] = True
    (root / "config" / "adwatch.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    try:
        trained = _ok(env, "opinion", "train", "--corpus", str(corpus))
        assert "62 ads (2 from decisions)" in trained.stdout
    finally:
        _config(root / "config", enabled=True)


def test_switching_it_off_removes_the_stored_opinions(world) -> None:
    root, on, db, _, corpus = world
    _ok(on, "opinion", "train", "--corpus", str(corpus))
    _ok(on, "score")
    env = instance_env(root / "data", _config(root / "config-off", enabled=False))
    scored = _ok(env, "score")
    assert "second opinion off:" in scored.stdout and "stored opinions removed" in scored.stdout
    with db.reading() as session:
        assert session.scalars(select(SecondOpinion)).first() is None
    assert "off" in _ok(env, "opinion", "status").stdout
