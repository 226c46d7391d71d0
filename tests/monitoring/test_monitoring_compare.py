"""`adwatch score --compare`: a changed weight shows who would move tier; nothing is written."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import yaml
from click.testing import CliRunner
from sqlalchemy import func, select

from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.models import Ad, AdVersion, CrawlRun, IndicatorHit, Score, Source
from application.cli import main
from application.commands.compare import compare_instance
from application.commands.scoringrun import score_instance
from tests.helpers import CONFIG_DIR, add_page_capture

WHEN = datetime(2026, 3, 1, tzinfo=UTC)
TEXTS = {
    "derde": "Zij is lief en vriendelijk. Ze komt graag bij je langs.",
    "zelf": "Ik ben lief en vriendelijk en ontvang je graag thuis.",
}


def _add_ads(instance: Instance) -> dict[str, int]:
    with instance.db.writing() as session:
        source = Source(name="demo", title="Demo")
        session.add(source)
        session.flush()
        run = CrawlRun(source_id=source.id, status="finished")
        session.add(run)
        session.flush()
        return {key: _ad(session, source, run, key, text) for key, text in TEXTS.items()}


def _ad(session, source: Source, run: CrawlRun, key: str, text: str) -> int:
    ad = Ad(
        municipality="houten",
        source_id=source.id,
        source_ad_id=key,
        url=f"http://127.0.0.1/{key}",
        first_seen=WHEN,
        last_seen=WHEN,
    )
    session.add(ad)
    session.flush()
    session.add(
        AdVersion(
            ad_id=ad.id,
            capture_id=add_page_capture(session, run.id, ad.url, WHEN),
            seen_at=WHEN,
            text=text,
            content_sha256=f"sha256:{key}",
            town="Houten",
        )
    )
    return ad.id


def _config_with_weight(target: Path, code: str, weight: float) -> Path:
    shutil.copytree(CONFIG_DIR, target)
    path = target / "indicators.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules["indicators"][code]["weight"] = weight
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    return target


def _stored(instance: Instance) -> tuple:
    with instance.db.reading() as session:
        return (
            session.execute(
                select(Score.ad_id, Score.tier, Score.rules_version, Score.scored_at)
            ).all(),
            session.scalar(select(func.count(IndicatorHit.id))),
        )


def test_a_raised_weight_moves_the_third_party_ad_and_writes_nothing(instance, env, tmp_path):
    ids = _add_ads(instance)
    summary = score_instance(instance)
    assert summary.tiers["laag"] == 1
    before = _stored(instance)
    changed = _config_with_weight(tmp_path / "config", "third_party", 3.5)
    changed_env = {**env, "ADWATCH_CONFIG_DIR": str(changed)}
    comparison = compare_instance(Instance(load_settings(changed_env)))
    assert comparison.stored_version == summary.rules_version != comparison.current_version
    assert [(m.ad_id, m.old_tier, m.new_tier) for m in comparison.moves] == [
        (ids["derde"], "laag", "middel")
    ]
    assert comparison.pairs[("geen", "geen")] == 1
    result = CliRunner().invoke(main, ["score", "--compare"], env=changed_env)
    assert result.exit_code == 0, result.output
    assert "would move tier (1)" in result.output and "nothing written" in result.output
    assert _stored(instance) == before
