"""The second opinion in the queue and on the ad page: shown only where it disagrees with the
current tier of the current version, always with its words, and never changing the score."""

from __future__ import annotations

import re

from sqlalchemy import select

from adwatch.storage.models import AdVersion, Score, SecondOpinion
from adwatch.timeutil import utcnow
from tests.ui.uidata import RULES

NOTICE = "tweede mening: lees deze advertentie"
WORDS = [
    {"ngram": "blauw", "word": "blauwe", "weight": 0.4},
    {"ngram": "deur", "word": "deur<script>", "weight": 0.2},
]


def _laag_ads(world) -> list[Score]:
    with world.instance.db.reading() as session:
        query = select(Score).where(Score.tier == "laag").order_by(Score.value.desc())
        return list(session.scalars(query))


def _opinion(
    score: Score, *, disagrees: bool = True, rules: str = RULES, reason: str | None = None
) -> SecondOpinion:
    return SecondOpinion(
        ad_version_id=score.ad_version_id,
        ad_id=score.ad_id,
        model_sha256="sha256:" + "ab" * 32,
        rules_version=rules,
        rules_tier=score.tier,
        probability=0.91,
        minor_probability=0.77,
        reason=reason or ("worth_reading" if disagrees else None),
        disagrees=disagrees,
        words=WORDS if disagrees else [],
    )


def _store(world, *rows: SecondOpinion) -> None:
    with world.instance.db.writing() as session:
        session.add_all(rows)


def _queue_row(html: str, ad_id: int) -> str:
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    return next(row for row in rows if f'href="/ads/{ad_id}"' in row)


def test_the_queue_and_the_ad_page_show_the_disagreement_with_its_words(officer, world) -> None:
    shown, quiet, stale = _laag_ads(world)[:3]
    _store(world, _opinion(shown), _opinion(quiet, disagrees=False), _opinion(stale, rules="old"))
    html = officer.get("/queue", params={"tier": "laag"}).text
    row = _queue_row(html, shown.ad_id)
    assert NOTICE in row and "blauwe" in row and "(blauw)" in row
    assert "deur&lt;script&gt;" in row and "deur<script>" not in html
    assert NOTICE not in _queue_row(html, quiet.ad_id)
    assert NOTICE not in _queue_row(html, stale.ad_id)
    assert html.count(NOTICE) == 1
    page = officer.get(f"/ads/{shown.ad_id}").text
    assert NOTICE in page and "Tweede mening" in page
    assert "<q>blauwe</q>" in page and "n-gram “blauw”" in page and "91%" in page
    assert NOTICE not in officer.get(f"/ads/{quiet.ad_id}").text


def test_a_minor_cue_below_hoog_says_so_with_the_minor_heads_probability(officer, world) -> None:
    minor = _laag_ads(world)[3]
    _store(world, _opinion(minor, reason="minor_cue"))
    headline = "tweede mening: mogelijk minderjarig — lees deze advertentie"
    row = _queue_row(officer.get("/queue", params={"tier": "laag"}).text, minor.ad_id)
    assert headline in row and "blauwe" in row
    page = officer.get(f"/ads/{minor.ad_id}").text
    assert headline in page and "signaal van minderjarigheid" in page and "77%" in page
    assert 'class="badge tier-laag"' in page


def test_the_score_and_tier_stay_those_of_the_rules(officer, world) -> None:
    shown = _laag_ads(world)[0]
    _store(world, _opinion(shown))
    page = officer.get(f"/ads/{shown.ad_id}").text
    assert 'class="badge tier-laag"' in page
    assert f"{shown.value:.1f}" in page


def test_an_opinion_on_an_older_version_is_not_shown(officer, world) -> None:
    shown = _laag_ads(world)[0]
    _store(world, _opinion(shown))
    with world.instance.db.writing() as session:
        score = session.get(Score, shown.id)
        score.ad_version_id = _other_version(session, shown)
    assert NOTICE not in officer.get(f"/ads/{shown.ad_id}").text


def _other_version(session, score: Score) -> int:
    """A newer version of the ad (same capture), as a re-crawl that changed the text makes."""
    version = session.get(AdVersion, score.ad_version_id)
    newer = AdVersion(
        ad_id=score.ad_id,
        capture_id=version.capture_id,
        seen_at=utcnow(),
        content_sha256="sha256:" + "cd" * 32,
        text="Nieuwe tekst",
    )
    session.add(newer)
    session.flush()
    return newer.id
