"""The second opinion's database side: which ad versions it reads, decisions as labels, and rows
that go with their ad when it is purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from adwatch.casework.opinions import disagreements
from adwatch.privacy.purge import Released, delete_ads
from adwatch.storage.models import AdVersion, Decision, Score, SecondOpinion, User
from adwatch.storage.rulesversion import record_rules_version
from scoring.pipeline import AdScorer
from scoring.rules import default_rules_path, load_rules
from scoring.second_opinion import TrainingParams
from scoring.second_opinion_eval import folder_examples
from scoring.second_opinion_store import decision_examples, run_opinions
from scoring.second_opinion_train import train
from tests.helpers import insert_minimal_ad, migrated_database
from tests.scoring.opinion_corpus import write_corpus

RULES = "rules-op-1"


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    folder = write_corpus(tmp_path_factory.mktemp("corpus"), minor=16)
    examples = folder_examples(folder, AdScorer(load_rules(default_rules_path())))
    return train(examples, TrainingParams())[0]


@pytest.fixture
def stored(tmp_path):
    """One ad with versions seen 3 and 1 days ago (the newer one scored `geen`), an officer."""
    db = migrated_database(tmp_path / "data")
    with db.writing() as session:
        ad, first = insert_minimal_ad(session)
        old, new = (
            AdVersion(
                ad_id=ad.id,
                capture_id=first.capture_id,
                seen_at=first.seen_at - timedelta(days=days),
                content_sha256=f"v{days}",
                text=text,
            )
            for days, text in (
                (3, "Ik ben Noor, zelfstandig in mijn studio."),
                (1, "Via de blauwe deur maak je een afspraak met Noor."),
            )
        )
        session.add_all([old, new])
        session.flush()
        session.add(
            Score(ad_id=ad.id, ad_version_id=new.id, value=0, tier="geen", rules_version=RULES)
        )
        record_rules_version(session, RULES)
        officer = User(username="o", display_name="O", role="officer")
        session.add(officer)
        session.flush()
        ids = (ad.id, old.id, new.id, officer.id)
    return db, ids


def test_the_scored_version_is_read_once_per_model_and_rules(stored, model) -> None:
    db, (ad_id, _, new_id, _) = stored
    first = run_opinions(db, model, "sha256:m1", RULES, words=2)
    assert (first.considered, first.written, first.disagreements) == (1, 1, 1)
    assert run_opinions(db, model, "sha256:m1", RULES, words=2).considered == 0
    assert run_opinions(db, model, "sha256:m2", RULES, words=2).written == 1
    with db.reading() as session:
        (row,) = session.scalars(select(SecondOpinion)).all()
        shown = disagreements(session, [ad_id])
    assert row.ad_version_id == new_id and row.model_sha256 == "sha256:m2"
    assert shown[ad_id].rules_tier == "geen" and len(shown[ad_id].words) == 2
    assert row.reason == "worth_reading" and not shown[ad_id].minor
    assert shown[ad_id].headline == "tweede mening: lees deze advertentie"


def test_a_minor_cue_below_hoog_is_stored_and_shown_with_its_own_words(stored, model) -> None:
    db, (ad_id, _, new_id, _) = stored
    with db.writing() as session:
        newer = session.get(AdVersion, new_id)
        minor = AdVersion(
            ad_id=ad_id,
            capture_id=newer.capture_id,
            seen_at=newer.seen_at,
            content_sha256="v0",
            text="Lies draagt het rode lint nog. Tot snel!",
        )
        session.add(minor)
        session.flush()
        session.execute(update(Score).values(ad_version_id=minor.id, tier="middel"))
    run_opinions(db, model, "sha256:m1", RULES, words=3)
    with db.reading() as session:
        (row,) = session.scalars(select(SecondOpinion)).all()
        shown = disagreements(session, [ad_id])[ad_id]
    assert row.reason == "minor_cue" and row.minor_probability >= 0.5
    assert shown.minor and shown.headline.startswith("tweede mening: mogelijk minderjarig")
    assert shown.probability == row.minor_probability and shown.rules_tier == "middel"
    assert {"rode", "lint", "rode lint"} & {w.word for w in shown.words}
    with db.writing() as session:
        session.execute(update(Score).values(tier="hoog"))
        session.execute(delete(SecondOpinion))
    run_opinions(db, model, "sha256:m1", RULES, words=3)
    with db.reading() as session:
        assert disagreements(session, [ad_id]) == {}  # the rules already put it first


def test_decisions_label_the_version_the_officer_had_seen(stored) -> None:
    db, (ad_id, old_id, _, officer_id) = stored
    with db.writing() as session:
        seen = session.get(AdVersion, old_id).seen_at
        for status, days in (("monitoren", 0), ("geen_signaal", 1)):
            session.add(
                Decision(
                    ad_id=ad_id,
                    status=status,
                    reason="r",
                    actor_id=officer_id,
                    created_at=seen + timedelta(days=days, hours=1),
                )
            )
    with db.reading() as session:
        (example,) = decision_examples(session)
    assert example.label == 0  # the latest decision: geen_signaal
    assert "zelfstandig" in example.text and "blauwe" not in example.text
    with db.writing() as session:
        session.add(Decision(ad_id=ad_id, status="doorzetten", reason="r", actor_id=officer_id))
    with db.reading() as session:
        (example,) = decision_examples(session)
    assert example.label == 1 and "blauwe deur" in example.text


def test_opinions_go_with_their_ad_when_it_is_purged(stored, model) -> None:
    db, (ad_id, _, _, _) = stored
    run_opinions(db, model, "sha256:m1", RULES, words=2)
    with db.writing() as session:
        counts = delete_ads(session, [ad_id], Released())
    assert counts["ad_version"] == 3
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(SecondOpinion)) == 0
