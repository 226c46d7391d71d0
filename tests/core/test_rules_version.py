"""The current rules version is the one `adwatch score` last ran with."""

from __future__ import annotations

from pathlib import Path

from adwatch.models import Ad, AdVersion, Capture, CrawlRun, Score, Source
from adwatch.rulesversion import current_rules_version, record_rules_version
from adwatch.timeutil import utcnow
from tests.helpers import migrated_database


def _scores(session, versions: list[str]) -> None:
    now = utcnow()
    source = Source(name="s", title="S")
    session.add(source)
    session.flush()
    run = CrawlRun(source_id=source.id)
    session.add(run)
    session.flush()
    capture = Capture(
        run_id=run.id, kind="ad_page", url="u", final_url="u", status=200,
        sha256="sha256:" + "0" * 64, size=1, fetched_at=now, user_agent="ua",
    )  # fmt: skip
    ad = Ad(source_id=source.id, source_ad_id="1", url="u", first_seen=now, last_seen=now)
    session.add_all([capture, ad])
    session.flush()
    version = AdVersion(ad_id=ad.id, capture_id=capture.id, seen_at=now, content_sha256="x")
    session.add(version)
    session.flush()
    for rules in versions:
        session.add(
            Score(ad_id=ad.id, ad_version_id=version.id, value=1, tier="laag", rules_version=rules)
        )


def test_without_a_record_the_newest_score_decides(tmp_path: Path) -> None:
    db = migrated_database(tmp_path)
    with db.writing() as session:
        _scores(session, ["rules-old", "rules-new"])
    with db.reading() as session:
        assert current_rules_version(session) == "rules-new"


def test_a_reverted_rules_file_is_current_again(tmp_path: Path) -> None:
    db = migrated_database(tmp_path)
    with db.writing() as session:
        _scores(session, ["rules-old", "rules-new"])
        record_rules_version(session, "rules-new")
    with db.writing() as session:
        record_rules_version(session, "rules-old")
    with db.reading() as session:
        assert current_rules_version(session) == "rules-old"
