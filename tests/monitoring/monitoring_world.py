"""A database with known counts for 2026, rows inserted directly; the expected figures beside it.

Synthetic only. Ad text carries a marker (`GEHEIM-TEKST`) that no report may ever contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from adwatch.casework.networkdecisions import record_for_members
from adwatch.storage.db import Database
from adwatch.storage.models import (
    Ad,
    AdVersion,
    CrawlRun,
    Decision,
    IndicatorHit,
    NetworkMember,
    Score,
    Source,
    User,
)
from adwatch.storage.models import Network as NetworkRow
from tests.helpers import add_page_capture

SECRET_TEXT = "GEHEIM-TEKST"
SECRET_NAME = "Naamloos-Xyz"
SECRET_PHONE = "06 1234 9876"
OLD, NEW = "rules-sha256:aaaaaaaaaaaa", "rules-sha256:bbbbbbbbbbbb"


def at(month: int, day: int, hour: int = 0, year: int = 2026) -> datetime:
    """A UTC moment."""
    return datetime(year, month, day, hour, tzinfo=UTC)


# Ads as (first_seen, last_seen); ids are 1.. in this order.
SPANS = (
    *[(at(1, 5), at(1, 20))] * 8,  # ads 1-8: ISO weeks 2 to 4
    *[(at(12, 20, year=2025), at(1, 2))] * 2,  # ads 9-10: reach into week 1 of 2026
    (at(6, 1, year=2025), at(6, 30, year=2025)),  # ad 11: 2025 only
    *[(at(3, 2), at(3, 10))] * 3,  # ads 12-14: ISO weeks 10 and 11
)
CURRENT_HITS = {
    1: "third_party",
    2: "third_party",
    3: "third_party",
    4: "third_party",
    5: "third_party",
    6: "third_party",
    9: "minor_cue",
    12: "new_arrival",
    13: "new_arrival",
}
TIERS = {
    1: "middel",
    2: "middel",
    3: "middel",
    4: "middel",
    5: "laag",
    6: "laag",
    9: "hoog",
    12: "laag",
    13: "laag",
}
# (ad or network, status, partner, created_at)
DECISIONS = (
    (1, "monitoren", None, at(1, 10)),
    (2, "monitoren", None, at(1, 6, 1)),
    (3, "doorzetten", "avim_politie", at(1, 5, 13)),
    (3, "terugkoppeling_ontvangen", None, at(2, 1)),
    (4, "doorzetten", "nla", at(1, 7, 1)),
    (5, "geen_signaal", None, at(1, 5, 3)),
    (7, "controle_voorbereiden", None, at(1, 8)),
    (9, "geen_signaal", None, at(12, 28, year=2025)),
    (6, "geen_signaal", None, at(1, 3, year=2027)),
    ("net-1", "doorzetten", "avim_politie", at(3, 5, 1)),
)


@dataclass(frozen=True)
class Expected:
    """The figures the world must give for 2026."""

    seen: int = 13
    with_hits: int = 9
    decided: int = 7
    forwarded: int = 4
    feedback: int = 1
    delays: tuple[float, ...] = (2, 12, 24, 48, 72, 72, 119)


def _source_and_runs(session) -> tuple[Source, Source, CrawlRun]:
    alpha = Source(name="alpha", title="Alpha")
    beta = Source(name="beta", title="=Beta platform")
    session.add_all([alpha, beta])
    session.flush()
    runs = [
        CrawlRun(source_id=alpha.id, started_at=at(1, 5), status="finished"),
        CrawlRun(
            source_id=alpha.id,
            started_at=at(1, 6),
            status="failed",
            alarms=[{"kind": "blocked"}, {"kind": "layout"}],
        ),
        CrawlRun(source_id=alpha.id, started_at=at(3, 2), status="finished"),
        CrawlRun(source_id=alpha.id, started_at=at(6, 1, year=2025), status="failed"),
        CrawlRun(source_id=beta.id, started_at=at(1, 5), status="interrupted"),
        CrawlRun(
            source_id=beta.id,
            started_at=at(3, 2),
            status="finished",
            alarms=[{"kind": "low_coverage"}],
        ),
    ]
    session.add_all(runs)
    session.flush()
    return alpha, beta, runs[0]


def _ad(session, source: Source, run: CrawlRun, number: int, first, last) -> Ad:
    ad = Ad(
        municipality="houten",
        source_id=source.id,
        source_ad_id=f"a{number}",
        url=f"http://127.0.0.1/a/{number}",
        first_seen=first,
        last_seen=last,
    )
    session.add(ad)
    session.flush()
    _version(session, ad, run, first, 0)
    return ad


def _version(session, ad: Ad, run: CrawlRun, seen: datetime, index: int) -> AdVersion:
    version = AdVersion(
        ad_id=ad.id,
        capture_id=add_page_capture(session, run.id, ad.url, seen),
        seen_at=seen,
        content_sha256=f"sha256:{ad.id}-{index}",
        name=SECRET_NAME,
        text=f"{SECRET_TEXT} ze komt {ad.id}",
        phone_text=SECRET_PHONE,
    )
    session.add(version)
    session.flush()
    return version


def _scoring(session, ads: dict[int, Ad]) -> None:
    for number in (1, 2, 3):  # older rules: a score and a hit that must not count
        version = ads[number].versions[0]
        session.add(
            Score(
                ad_id=ads[number].id,
                ad_version_id=version.id,
                value=1,
                tier="laag",
                rules_version=OLD,
            )
        )
    session.add(
        IndicatorHit(
            ad_id=ads[7].id,
            ad_version_id=ads[7].versions[0].id,
            code="always_available",
            weight=1,
            rules_version=OLD,
            created_at=at(1, 5, 1),
        )
    )
    session.flush()
    for number, code in CURRENT_HITS.items():
        ad = ads[number]
        session.add(
            IndicatorHit(
                ad_id=ad.id,
                ad_version_id=ad.versions[0].id,
                code=code,
                weight=2,
                rules_version=NEW,
                created_at=ad.first_seen + timedelta(hours=1),
            )
        )
    for number, tier in TIERS.items():
        session.add(
            Score(
                ad_id=ads[number].id,
                ad_version_id=ads[number].versions[0].id,
                value=2,
                tier=tier,
                rules_version=NEW,
            )
        )
    session.flush()


def _decisions(session, ads: dict[int, Ad]) -> None:
    officer = User(username="officier", display_name="Officier", role="officer")
    session.add(officer)
    session.add(NetworkRow(id="net-1", size=2))
    session.flush()
    session.add_all(NetworkMember(network_id="net-1", ad_id=ads[n].id) for n in (12, 13))
    session.flush()  # a network decision takes its municipality from the members
    for subject, status, partner, created in DECISIONS:
        on_ad = isinstance(subject, int)
        row = Decision(
            ad_id=ads[subject].id if on_ad else None,
            network_id=None if on_ad else subject,
            status=status,
            partner=partner,
            forwarded_on=created.date() if partner else None,
            reason="test",
            actor_id=officer.id,
            created_at=created,
        )
        session.add(row)
        if not on_ad:
            session.flush()
            record_for_members(session, row)


def build(db: Database) -> dict[int, int]:
    """Fill the database; returns the ad ids by their number in SPANS (1-based)."""
    with db.writing() as session:
        alpha, beta, run = _source_and_runs(session)
        ads = {}
        for number, (first, last) in enumerate(SPANS, start=1):
            ads[number] = _ad(session, beta if number == 14 else alpha, run, number, first, last)
        _version(session, ads[1], run, at(1, 15), 1)  # ad 1 changed after `monitoren`
        session.flush()
        session.refresh(ads[1])
        _scoring(session, ads)
        _decisions(session, ads)
        return {number: ad.id for number, ad in ads.items()}
