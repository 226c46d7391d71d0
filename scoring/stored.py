"""What a scoring run starts from, read from the database: the stored ads with their versions and
photos, the scores and hits stored under the current rules, and the keyed phone hashes.

Reads plain columns, never ORM objects, so 100,000 ads fit in memory; `scoring.persist` writes
the run's result back.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from operator import itemgetter

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import Ad, AdImage, AdVersion, Image, IndicatorHit, PhoneLink, Score
from adwatch.vocabulary import LINK_CODES
from scoring.batch import PriorScore, StoredAd, VersionText, links_digest
from scoring.linking import PhotoRef


def covered_ads(where: tuple[ColumnElement[bool], ...]) -> Select:
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
        .where(AdVersion.ad_id.in_(covered_ads(where)))
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
        .where(AdVersion.ad_id.in_(covered_ads(where)))
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
        scores = scores.where(Score.ad_id.in_(covered_ads(where)))
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
        query = query.where(IndicatorHit.ad_id.in_(covered_ads(where)))
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


def load_phone_keys(
    session: Session, *where: ColumnElement[bool]
) -> dict[int, dict[int, frozenset[str]]]:
    """Keyed phone hashes per ad and version, as stored by earlier runs."""
    found: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    query = select(PhoneLink.ad_id, PhoneLink.ad_version_id, PhoneLink.phone_key)
    if where:
        query = query.where(PhoneLink.ad_id.in_(covered_ads(where)))
    for ad_id, version_id, key in session.execute(query):
        found[ad_id][version_id].add(key)
    return {
        ad_id: {version: frozenset(keys) for version, keys in versions.items()}
        for ad_id, versions in found.items()
    }
