"""The purge per retention category, with a clock the tests move (nothing sleeps)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from privacy_world import World, days, decide
from sqlalchemy import func, select

from adwatch.privacy.purge import REDACTED, purge
from adwatch.storage.chain import verify_chain
from adwatch.storage.models import (
    Ad,
    AdVersion,
    AuditEvent,
    Capture,
    Decision,
    DeletionRecord,
    Image,
    LegalHold,
    Note,
    PhoneLink,
    Score,
    UserSession,
)

KEPT_WHILE_OPEN = ("flagged_undecided", "monitored", "forwarded", "in_pack", "held")


def _live(world: World) -> set[int]:
    """Ads that still have content (a version)."""
    with world.instance.db.reading() as session:
        return set(session.scalars(select(AdVersion.ad_id)))


def _purged(world: World, now: datetime) -> dict[str, list[int]]:
    return purge(world.instance, now).ads


def test_unflagged_ads_go_after_their_term_and_not_before(world: World) -> None:
    ads = world.ads
    assert _purged(world, days(29.9)) == {}
    assert _purged(world, days(30.1)) == {
        "unflagged": sorted([ads["unflagged"], ads["unflagged_shared_image"]])
    }
    with world.instance.db.reading() as session:
        assert session.get(Ad, ads["unflagged"]) is None
        for model in (PhoneLink, Score, AdVersion):
            assert session.scalar(select(func.count()).where(model.ad_id == ads["unflagged"])) == 0


def test_no_signal_goes_90_days_after_the_decision_leaving_the_decision(world: World) -> None:
    ad_id = world.ads["no_signal"]
    assert "no_signal" not in _purged(world, days(90))
    assert _purged(world, days(91.1))["no_signal"] == [ad_id]
    with world.instance.db.reading() as session:
        decision = session.scalar(select(Decision).where(Decision.ad_id == ad_id))
        tombstone = session.get(Ad, ad_id)
    assert decision.status == "geen_signaal" and decision.reason == REDACTED
    assert (tombstone.url, tombstone.region, tombstone.source_ad_id) == (
        "",
        None,
        f"purged-{ad_id}",
    )
    assert ad_id not in _live(world)


def test_open_reviews_cases_packs_and_holds_are_kept_however_late(world: World) -> None:
    purge(world.instance, days(5000))
    assert {world.ads[name] for name in KEPT_WHILE_OPEN} == _live(world)


def test_a_forwarded_case_goes_a_term_after_it_was_closed(world: World) -> None:
    ad_id = world.ads["forwarded"]
    with world.instance.db.writing() as session:
        decide(session, world, ad_id, "terugkoppeling_ontvangen", days(8))
        decide(session, world, ad_id, "teruggekoppeld_aan_melder", days(10))
    assert "closed_case" not in _purged(world, days(10 + 364))
    assert _purged(world, days(10 + 366))["closed_case"] == [ad_id]


def test_a_pack_keeps_the_ad_until_the_case_closes(world: World) -> None:
    ad_id = world.ads["in_pack"]
    with world.instance.db.writing() as session:
        decide(session, world, ad_id, "geen_signaal", days(4))
    # geen_signaal would allow 90 days; the exported pack keeps it for the case term.
    assert ad_id in _live(world) and "closed_case" not in _purged(world, days(200))
    assert _purged(world, days(4 + 366))["closed_case"] == [ad_id]


def test_a_released_hold_lets_the_term_apply_again(world: World) -> None:
    ad_id = world.ads["held"]
    assert ad_id in _live(world) and not _purged(world, days(40)).get("unflagged", []).count(ad_id)
    with world.instance.db.writing() as session:
        hold = session.scalar(select(LegalHold).where(LegalHold.ad_id == ad_id))
        hold.released_at = days(41)
    assert ad_id in _purged(world, days(42))["unflagged"]
    with world.instance.db.reading() as session:
        assert session.get(Ad, ad_id).source_ad_id == f"purged-{ad_id}"


def test_a_network_hold_keeps_its_member_ads(world: World) -> None:
    with world.instance.db.writing() as session:
        session.add(LegalHold(network_id="net-synth", reason="netwerk onderzoek", actor="o"))
    assert _purged(world, days(40))["unflagged"] == [world.ads["unflagged"]]


def test_an_image_another_ad_shows_is_kept(world: World) -> None:
    purge(world.instance, days(31))
    with world.instance.db.reading() as session:
        images = session.scalars(select(Image)).all()
        for image in images:
            assert image.capture_id is None or session.get(Capture, image.capture_id)
    shared = [i for i in images if world.instance.blobs.exists(i.sha256)]
    assert len(shared) == len(images) > 0


def test_notes_go_with_their_ad(world: World) -> None:
    ad_id = world.ads["monitored"]
    with world.instance.db.writing() as session:
        decide(session, world, ad_id, "geen_signaal", days(3))
    purge(world.instance, days(100))
    with world.instance.db.reading() as session:
        assert session.scalar(select(func.count()).where(Note.ad_id == ad_id)) == 0


@pytest.mark.parametrize("now", [days(31), days(92)])
def test_deletion_records_hold_no_content(world: World, now: datetime) -> None:
    purge(world.instance, now)
    with world.instance.db.reading() as session:
        records = session.scalars(select(DeletionRecord)).all()
        contents = _contents(session)
    assert records and {r.category for r in records} >= {"unflagged", "storage"}
    for record in records:
        dumped = json.dumps([record.category, record.rule, record.counts, record.actor])
        assert record.at == now
        assert not [text for text in contents if text in dumped], dumped
    by_category = {r.category: r for r in records}
    assert by_category["unflagged"].ads == 2 and by_category["unflagged"].counts["capture"] == 7
    assert "unflagged_days=30" in by_category["unflagged"].rule


def _contents(session) -> list[str]:
    texts = ["platform.test", "Houten", "Titel", "Naam", "ad-", "+316", "Advertentie"]
    return texts + [c.sha256 for c in session.scalars(select(Capture))]


def test_the_purge_is_audited_with_ids_only_and_the_chain_holds(world: World) -> None:
    purge(world.instance, days(31))
    with world.instance.db.reading() as session:
        entry = session.scalar(select(AuditEvent).where(AuditEvent.action == "purge"))
        assert verify_chain(session, AuditEvent).ok
    assert entry.object_ids == sorted([world.ads["unflagged"], world.ads["unflagged_shared_image"]])
    assert entry.details == {"unflagged": 2}


def test_a_second_purge_finds_nothing_more(world: World) -> None:
    purge(world.instance, days(92))
    again = purge(world.instance, days(92))
    assert again.ads == {} and again.files.blobs == 0 and again.files.warc_records == 0


def _session(session, world: World, name: str, *, created: datetime, seen: datetime, ended=None):
    session.add(
        UserSession(
            id=name,
            user_id=world.officer_id,
            created_at=created,
            last_seen_at=seen,
            ended_at=ended,
            csrf_token="csrf",
            origin="127.0.0.1",
        )
    )


def test_login_sessions_that_can_no_longer_be_used_are_removed(world: World) -> None:
    now = days(3)
    minutes = timedelta(minutes=1)
    with world.instance.db.writing() as session:
        _session(session, world, "in-use", created=now - 60 * minutes, seen=now - 5 * minutes)
        _session(session, world, "logged-out", created=now - 60 * minutes, seen=now - 5 * minutes,
                 ended=now - 4 * minutes)  # fmt: skip
        _session(session, world, "idle", created=now - 60 * minutes, seen=now - 16 * minutes)
        _session(session, world, "too-old", created=now - 8 * 61 * minutes, seen=now - minutes)
    assert purge(world.instance, now, dry_run=True).sessions == 3
    report = purge(world.instance, now)
    assert report.sessions == 3
    with world.instance.db.reading() as session:
        assert list(session.scalars(select(UserSession.id))) == ["in-use"]
