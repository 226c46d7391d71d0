"""The current rules version is the one `adwatch score` last ran with."""

from __future__ import annotations

from pathlib import Path

from adwatch.storage.models import Score
from adwatch.storage.rulesversion import current_rules_version, record_rules_version
from tests.helpers import insert_minimal_ad, migrated_database


def _scores(session, versions: list[str]) -> None:
    ad, version = insert_minimal_ad(session)
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
