"""The one module of `scoring` that touches the database: load ads, write hits and scores.

Writes happen in one transaction per run, so a failed run leaves the previous scores in place.
Review tables are never touched: scoring cannot change an officer's decision.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from adwatch.adtext import analysed_text
from adwatch.storage.db import Database, upsert_insert
from adwatch.storage.models import (
    Ad,
    AdImage,
    AdVersion,
    Image,
    IndicatorFailure,
    IndicatorHit,
    Network,
    NetworkMember,
    PhoneLink,
    Score,
)
from adwatch.storage.rulesversion import record_rules_version
from adwatch.timeutil import utcnow
from adwatch.vocabulary import LINK_CODES, NO_TIER
from scoring.batch import (
    AdOutcome,
    BatchResult,
    PriorScore,
    StoredAd,
    VersionText,
    links_digest,
)
from scoring.hits import Failure
from scoring.linking import PhotoRef
from scoring.phones import e164_numbers


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


# Rows per statement: SQLite allows 32,766 parameters per statement and an IN list of ids
# costs one each; executemany batches are cut so their parameter lists stay small too.
CHUNK = 500


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _selected(where: tuple[ColumnElement[bool], ...]):
    """The ids of the ads a run covers: all, or those matching conditions on `Ad`."""
    return select(Ad.id).where(*where)


def load_ads(session: Session, *where: ColumnElement[bool]) -> list[StoredAd]:
    """The stored ads (all, or those matching `where` on `Ad`), ordered by id, with their
    versions (oldest first) and their newest version's photos.

    Reads plain columns, not ORM objects: 100,000 ads as entities with their versions and
    images took most of a gigabyte before scoring started.
    """
    versions: dict[int, list[VersionText]] = defaultdict(list)
    query = (
        select(AdVersion.ad_id, *_VERSION_COLUMNS)
        .where(AdVersion.ad_id.in_(_selected(where)))
        .order_by(AdVersion.ad_id, AdVersion.id)
    )
    for ad_id, *columns in session.execute(query.execution_options(yield_per=5000)):
        versions[ad_id].append(_version_text(*columns))
    photos = _newest_photos(session, where)
    owner = dict(session.execute(select(Ad.id, Ad.municipality).where(*where)).all())
    return [
        StoredAd(ad_id, tuple(texts), photos.get(texts[-1].version_id, ()), owner[ad_id])
        for ad_id, texts in versions.items()
    ]


_VERSION_COLUMNS = (
    AdVersion.id,
    AdVersion.title,
    AdVersion.text,
    AdVersion.name,
    AdVersion.phone_text,
    AdVersion.prices,
    AdVersion.town,
    AdVersion.stated_age,
)


def _version_text(version_id, title, text, name, phone_text, prices, town, stated_age):
    return VersionText(
        version_id=version_id,
        title=title,
        text=text,
        name=name,
        phone_text=phone_text,
        prices=tuple(prices or ()),
        town=town,
        stated_age=stated_age,
    )


def _newest_photos(session: Session, where) -> dict[int, tuple[PhotoRef, ...]]:
    """Per newest version id, its photos' ids and pHashes in position order."""
    newest = (
        select(func.max(AdVersion.id))
        .where(AdVersion.ad_id.in_(_selected(where)))
        .group_by(AdVersion.ad_id)
    )
    query = (
        select(AdImage.ad_version_id, Image.id, Image.phash, Image.crop_phashes)
        .join(Image, Image.id == AdImage.image_id)
        .where(AdImage.ad_version_id.in_(newest))
        .order_by(AdImage.ad_version_id, AdImage.position)
    )
    photos: dict[int, list[PhotoRef]] = defaultdict(list)
    for version_id, image_id, phash, crops in session.execute(query):
        photos[version_id].append(PhotoRef(image_id, (phash, *(crops or ()))))
    return {version_id: tuple(refs) for version_id, refs in photos.items()}


def load_prior(
    session: Session, rules_version: str, *where: ColumnElement[bool]
) -> dict[int, PriorScore]:
    """The stored scores and hits under this rules version, per ad (of those `where` selects)."""
    text_codes, digests = _prior_hits(session, rules_version, where)
    scores = select(Score.ad_id, Score.ad_version_id, Score.network_id).where(
        Score.rules_version == rules_version
    )
    if where:
        scores = scores.where(Score.ad_id.in_(_selected(where)))
    no_links = links_digest(())
    return {
        ad_id: PriorScore(
            version_id=version_id,
            text_codes=frozenset(text_codes.get(ad_id, ())),
            link_digest=digests.get(ad_id, no_links),
            network_id=network_id,
        )
        for ad_id, version_id, network_id in session.execute(scores)
    }


def _prior_hits(session: Session, rules_version: str, where) -> tuple[dict, dict[int, str]]:
    """Per ad: its stored text-hit codes, and the digest of its stored link hits."""
    query = (
        select(IndicatorHit.ad_id, IndicatorHit.code, IndicatorHit.weight, IndicatorHit.evidence)
        .where(IndicatorHit.rules_version == rules_version)
        .order_by(IndicatorHit.ad_id)
    )
    if where:
        query = query.where(IndicatorHit.ad_id.in_(_selected(where)))
    codes: dict[int, set[str]] = defaultdict(set)
    digests: dict[int, str] = {}
    rows = session.execute(query.execution_options(yield_per=2000))
    for ad_id, hits in groupby(rows, key=itemgetter(0)):
        links = []
        for _, code, weight, evidence in hits:
            if code in LINK_CODES:
                links.append({"code": code, "weight": weight, "evidence": evidence})
            else:
                codes[ad_id].add(code)
        digests[ad_id] = links_digest(links)
    return codes, digests


def _hit_json(hit: IndicatorHit) -> dict:
    return {"code": hit.code, "weight": hit.weight, "evidence": hit.evidence}


def load_phone_keys(
    session: Session, *where: ColumnElement[bool]
) -> dict[int, dict[int, frozenset[str]]]:
    """Keyed phone hashes per ad and version, as stored by earlier runs."""
    found: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    query = select(PhoneLink.ad_id, PhoneLink.ad_version_id, PhoneLink.phone_key)
    if where:
        query = query.where(PhoneLink.ad_id.in_(_selected(where)))
    for ad_id, version_id, key in session.execute(query):
        found[ad_id][version_id].add(key)
    return {
        ad_id: {version: frozenset(keys) for version, keys in versions.items()}
        for ad_id, versions in found.items()
    }


def write_result(
    db: Database, result: BatchResult, rules_version: str, *where: ColumnElement[bool]
) -> None:
    """Replace the changed ads' hits and scores, the networks, and record failures.

    `where` names the ads the run covered, as given to `load_ads`: only networks of those ads
    are replaced. One transaction, written a chunk of ads at a time with one statement per
    table and chunk (dialect upserts for scores and networks), so no ORM objects pile up.
    """
    with db.writing() as session:
        for outcomes in _chunks(result.outcomes):
            _write_outcomes(session, outcomes, rules_version)
        _write_networks(session, result, where)
        _write_failures(session, result.failures, rules_version)
        record_rules_version(session, rules_version)


def _write_outcomes(session: Session, outcomes: Sequence[AdOutcome], rules_version: str) -> None:
    _delete_replaced_hits(session, outcomes, rules_version)
    hits = [
        _hit_row(outcome, hit.to_json(), rules_version)
        for outcome in outcomes
        for hit in (*(outcome.text_hits or ()), *outcome.link_hits)
    ]
    if hits:
        session.execute(insert(IndicatorHit), hits)
    _write_phone_links(session, [o for o in outcomes if o.phone_keys is not None])
    _upsert_scores(session, outcomes, rules_version)


def _delete_replaced_hits(
    session: Session, outcomes: Sequence[AdOutcome], rules_version: str
) -> None:
    # Re-analysed ads lose all their hits; the others only their link hits.
    all_codes = [o.ad_id for o in outcomes if o.text_hits is not None]
    link_only = [o.ad_id for o in outcomes if o.text_hits is None]
    current = IndicatorHit.rules_version == rules_version
    if all_codes:
        session.execute(delete(IndicatorHit).where(current, IndicatorHit.ad_id.in_(all_codes)))
    if link_only:
        session.execute(
            delete(IndicatorHit).where(
                current, IndicatorHit.ad_id.in_(link_only), IndicatorHit.code.in_(LINK_CODES)
            )
        )


def _hit_row(outcome: AdOutcome, hit: dict, rules_version: str) -> dict:
    return {
        "ad_id": outcome.ad_id,
        "ad_version_id": outcome.version_id,
        "code": hit["code"],
        "weight": hit["weight"],
        "evidence": hit["evidence"],
        "rules_version": rules_version,
    }


def _write_phone_links(session: Session, outcomes: Sequence[AdOutcome]) -> None:
    if not outcomes:
        return
    session.execute(delete(PhoneLink).where(PhoneLink.ad_id.in_([o.ad_id for o in outcomes])))
    rows = [
        {"ad_id": outcome.ad_id, "ad_version_id": version_id, "phone_key": key}
        for outcome in outcomes
        for version_id, keys in (outcome.phone_keys or {}).items()
        for key in sorted(keys)
    ]
    if rows:
        session.execute(insert(PhoneLink), rows)


def _upsert_scores(session: Session, outcomes: Sequence[AdOutcome], rules_version: str) -> None:
    now = utcnow()
    rows = [
        {
            "ad_id": outcome.ad_id,
            "rules_version": rules_version,
            "ad_version_id": outcome.version_id,
            "value": outcome.score.value,
            "tier": outcome.score.tier,
            "network_id": outcome.network_id,
            "scored_at": now,
        }
        for outcome in outcomes
    ]
    statement = upsert_insert(session, Score)
    changed = ("ad_version_id", "value", "tier", "network_id", "scored_at")
    statement = statement.on_conflict_do_update(
        index_elements=[Score.ad_id, Score.rules_version],
        set_={column: statement.excluded[column] for column in changed},
    )
    session.execute(statement, rows)


def _write_networks(session: Session, result: BatchResult, where) -> None:
    # Networks that no longer exist keep their row (ids are stable; reviews may name them) with
    # size 0; the current ones are upserted, keeping their first_seen.
    stale = update(Network).values(size=0)
    members = delete(NetworkMember)
    if where:
        covered = NetworkMember.ad_id.in_(_selected(where))
        stale = stale.where(Network.id.in_(select(NetworkMember.network_id).where(covered)))
        members = members.where(covered)
    session.execute(stale)
    session.execute(members)
    now = utcnow()
    for networks in _chunks(result.networks):
        rows = [
            {"id": n.network_id, "size": len(n.ad_ids), "first_seen": now, "updated_at": now}
            for n in networks
        ]
        statement = upsert_insert(session, Network)
        statement = statement.on_conflict_do_update(
            index_elements=[Network.id],
            set_={"size": statement.excluded.size, "updated_at": statement.excluded.updated_at},
        )
        session.execute(statement, rows)
        members = [
            {"network_id": n.network_id, "ad_id": ad_id, "links": list(n.via)}
            for n in networks
            for ad_id in n.ad_ids
        ]
        session.execute(insert(NetworkMember), members)


def _write_failures(session: Session, failures: list[Failure], rules_version: str) -> None:
    rows = [
        {
            "ad_id": failure.ad_id,
            "code": failure.code,
            "error": failure.error[:2000],
            "rules_version": rules_version,
        }
        for failure in failures
    ]
    for chunk in _chunks(rows):
        session.execute(insert(IndicatorFailure), chunk)


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
        if tier is not None and (score.tier if score else NO_TIER) != tier:
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
        "tier": score.tier if score else NO_TIER,
        "network_id": score.network_id if score else None,
        "first_seen": ad.first_seen.isoformat(),
        "last_seen": ad.last_seen.isoformat(),
        "gone_at": ad.gone_at.isoformat() if ad.gone_at else None,
        "places": list(places),
        "phones": list(phones),
        "indicators": hits,
    }
