"""The one module of `scoring` that touches the database: load ads, write hits and scores.

Writes happen in one transaction per run, so a failed run leaves the previous scores in place.
Review tables are never touched: scoring cannot change an officer's decision.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from adwatch.adtext import analysed_text
from adwatch.db import Database
from adwatch.models import (
    Ad,
    AdImage,
    AdVersion,
    IndicatorFailure,
    IndicatorHit,
    Network,
    NetworkMember,
    PhoneLink,
    Score,
)
from adwatch.rulesversion import record_rules_version
from adwatch.timeutil import utcnow
from scoring.batch import AdOutcome, BatchResult, PriorScore, StoredAd, VersionText
from scoring.evidence import Failure
from scoring.linking import PhotoRef
from scoring.phones import e164_numbers
from scoring.rules import LINK_CODES


@dataclass
class ScoreSummary:
    """What a scoring run did, for the console and the schedule log."""

    rules_version: str
    ads: int = 0
    analysed: int = 0
    rescored: int = 0
    failures: int = 0
    networks: int = 0
    tiers: Counter = field(default_factory=Counter)


def _version_text(version: AdVersion) -> VersionText:
    return VersionText(
        version_id=version.id,
        title=version.title,
        text=version.text,
        name=version.name,
        phone_text=version.phone_text,
        prices=tuple(version.prices or ()),
        town=version.town,
        stated_age=version.stated_age,
    )


def _photos(version: AdVersion) -> tuple[PhotoRef, ...]:
    return tuple(
        PhotoRef(link.image.id, (link.image.phash, *link.image.crop_phashes))
        for link in version.images
    )


def load_ads(session: Session) -> list[StoredAd]:
    """Every stored ad with its versions and its newest version's photos."""
    ads = session.scalars(
        select(Ad).options(
            selectinload(Ad.versions).selectinload(AdVersion.images).selectinload(AdImage.image)
        )
    ).all()
    return [
        StoredAd(
            a.id,
            tuple(_version_text(v) for v in a.versions),
            _photos(a.versions[-1]),
            a.municipality,
        )
        for a in ads
        if a.versions
    ]


def load_prior(session: Session, rules_version: str) -> dict[int, PriorScore]:
    """The stored scores and hits under this rules version, per ad."""
    hits: dict[int, list[IndicatorHit]] = defaultdict(list)
    for hit in session.scalars(
        select(IndicatorHit).where(IndicatorHit.rules_version == rules_version)
    ):
        hits[hit.ad_id].append(hit)
    prior = {}
    for score in session.scalars(select(Score).where(Score.rules_version == rules_version)):
        ad_hits = hits.get(score.ad_id, [])
        prior[score.ad_id] = PriorScore(
            version_id=score.ad_version_id,
            text_codes=frozenset(h.code for h in ad_hits if h.code not in LINK_CODES),
            link_hits=tuple(_hit_json(h) for h in ad_hits if h.code in LINK_CODES),
            network_id=score.network_id,
        )
    return prior


def _hit_json(hit: IndicatorHit) -> dict:
    return {"code": hit.code, "weight": hit.weight, "evidence": hit.evidence}


def load_phone_keys(session: Session) -> dict[int, dict[int, frozenset[str]]]:
    """Keyed phone hashes per ad and version, as stored by earlier runs."""
    found: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for link in session.scalars(select(PhoneLink)):
        found[link.ad_id][link.ad_version_id].add(link.phone_key)
    return {
        ad_id: {version: frozenset(keys) for version, keys in versions.items()}
        for ad_id, versions in found.items()
    }


def write_result(db: Database, result: BatchResult, rules_version: str) -> None:
    """Replace the changed ads' hits and scores, the networks, and record failures."""
    with db.writing() as session:
        for outcome in result.outcomes:
            _write_outcome(session, outcome, rules_version)
        _write_networks(session, result)
        _write_failures(session, result.failures, rules_version)
        record_rules_version(session, rules_version)


def _write_outcome(session: Session, outcome: AdOutcome, rules_version: str) -> None:
    replaced = select(IndicatorHit.id).where(
        IndicatorHit.ad_id == outcome.ad_id, IndicatorHit.rules_version == rules_version
    )
    if outcome.text_hits is None:
        replaced = replaced.where(IndicatorHit.code.in_(LINK_CODES))
    session.execute(delete(IndicatorHit).where(IndicatorHit.id.in_(replaced)))
    for hit in (*(outcome.text_hits or ()), *outcome.link_hits):
        session.add(_hit_row(outcome, hit.to_json(), rules_version))
    if outcome.phone_keys is not None:
        _write_phone_links(session, outcome)
    _upsert_score(session, outcome, rules_version)


def _hit_row(outcome: AdOutcome, hit: dict, rules_version: str) -> IndicatorHit:
    return IndicatorHit(
        ad_id=outcome.ad_id,
        ad_version_id=outcome.version_id,
        code=hit["code"],
        weight=hit["weight"],
        evidence=hit["evidence"],
        rules_version=rules_version,
    )


def _write_phone_links(session: Session, outcome: AdOutcome) -> None:
    session.execute(delete(PhoneLink).where(PhoneLink.ad_id == outcome.ad_id))
    for version_id, keys in (outcome.phone_keys or {}).items():
        for key in sorted(keys):
            session.add(PhoneLink(ad_id=outcome.ad_id, ad_version_id=version_id, phone_key=key))


def _upsert_score(session: Session, outcome: AdOutcome, rules_version: str) -> None:
    score = session.scalar(
        select(Score).where(Score.ad_id == outcome.ad_id, Score.rules_version == rules_version)
    )
    if score is None:
        score = Score(ad_id=outcome.ad_id, rules_version=rules_version)
        session.add(score)
    score.ad_version_id = outcome.version_id
    score.value = outcome.score.value
    score.tier = outcome.score.tier
    score.network_id = outcome.network_id
    score.scored_at = utcnow()


def _write_networks(session: Session, result: BatchResult) -> None:
    session.execute(delete(NetworkMember))
    current = {n.network_id: n for n in result.networks}
    for stored in session.scalars(select(Network)):
        if stored.id not in current:
            stored.size = 0
    for network in result.networks:
        row = session.get(Network, network.network_id)
        if row is None:
            row = Network(id=network.network_id, first_seen=utcnow())
            session.add(row)
        row.size = len(network.ad_ids)
        row.updated_at = utcnow()
        session.flush()
        for ad_id in network.ad_ids:
            session.add(NetworkMember(network_id=row.id, ad_id=ad_id, links=list(network.via)))


def _write_failures(session: Session, failures: list[Failure], rules_version: str) -> None:
    for failure in failures:
        session.add(
            IndicatorFailure(
                ad_id=failure.ad_id,
                code=failure.code,
                error=failure.error[:2000],
                rules_version=rules_version,
            )
        )


def hits_report(
    session: Session,
    rules_version: str,
    *,
    tier: str | None = None,
    since: datetime | None = None,
    include_all: bool = False,
    municipality: str | None = None,
) -> list[dict]:
    """The `adwatch hits --json` list: per ad its score, tier, network, places, phones, hits."""
    scores = {
        s.ad_id: s
        for s in session.scalars(select(Score).where(Score.rules_version == rules_version))
    }
    hits: dict[int, list[dict]] = defaultdict(list)
    for hit in session.scalars(
        select(IndicatorHit)
        .where(IndicatorHit.rules_version == rules_version)
        .order_by(IndicatorHit.weight.desc(), IndicatorHit.code)
    ):
        hits[hit.ad_id].append(_hit_json(hit))
    query = select(Ad).options(selectinload(Ad.versions), selectinload(Ad.source))
    if since is not None:
        query = query.where(Ad.last_seen >= since)
    if municipality is not None:
        query = query.where(Ad.municipality == municipality)
    rows = []
    for ad in session.scalars(query):
        score = scores.get(ad.id)
        if not include_all and not hits.get(ad.id):
            continue
        if tier is not None and (score.tier if score else "geen") != tier:
            continue
        rows.append(_report_row(ad, score, hits.get(ad.id, [])))
    return sorted(rows, key=lambda row: (-row["score"], row["ad_id"]))


def _report_row(ad: Ad, score: Score | None, hits: list[dict]) -> dict:
    phones: dict[str, None] = {}
    places: dict[str, None] = {}
    for version in ad.versions:
        body = analysed_text(
            version.text, version.prices, version.phone_text, version.stated_age, version.town
        )
        text = f"{version.title}\n{body}"
        phones.update(dict.fromkeys(e164_numbers(text)))
        places.update(dict.fromkeys(p["canonical"] for p in version.places or ()))
    return {
        "ad_id": ad.id,
        "municipality": ad.municipality,
        "source": ad.source.name,
        "source_ad_id": ad.source_ad_id,
        "url": ad.url,
        "score": score.value if score else 0.0,
        "tier": score.tier if score else "geen",
        "network_id": score.network_id if score else None,
        "first_seen": ad.first_seen.isoformat(),
        "last_seen": ad.last_seen.isoformat(),
        "gone_at": ad.gone_at.isoformat() if ad.gone_at else None,
        "places": list(places),
        "phones": list(phones),
        "indicators": hits,
    }
