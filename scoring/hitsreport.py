"""The `adwatch hits --json` list: per ad its score, tier, network, places, phones and hits.

The database picks and orders the ads (filters, tier, "has hits"); only the chosen ads are read
as objects, a chunk at a time, with their versions, source and hits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, exists, func, select
from sqlalchemy.orm import Session, selectinload

from adwatch.adtext import analysed_text
from adwatch.storage.models import Ad, IndicatorHit, Score
from adwatch.vocabulary import NO_TIER
from scoring.phones import e164_numbers

# An ad without a score under the rules version is reported with no tier and score 0.
UNSCORED_TIER = NO_TIER
# Ads read as objects per statement: their ids go into one IN list each.
CHUNK = 500


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
    chosen = session.execute(
        _chosen_ads(rules_version, tier, since, include_all, municipality)
    ).all()
    rows = []
    for start in range(0, len(chosen), CHUNK):
        rows.extend(_report_rows(session, rules_version, chosen[start : start + CHUNK]))
    return rows


def _chosen_ads(
    rules_version: str,
    tier: str | None,
    since: datetime | None,
    include_all: bool,
    municipality: str | None,
):
    """Ids and scores of the reported ads, highest score first (ties by ad id)."""
    value = func.coalesce(Score.value, 0.0)
    query = (
        select(Ad.id, Score.value, Score.tier, Score.network_id)
        .outerjoin(Score, (Score.ad_id == Ad.id) & (Score.rules_version == rules_version))
        .order_by(value.desc(), Ad.id)
    )
    if since is not None:
        query = query.where(Ad.last_seen >= since)
    if municipality is not None:
        query = query.where(Ad.municipality == municipality)
    if not include_all:
        query = query.where(
            exists().where(IndicatorHit.ad_id == Ad.id, IndicatorHit.rules_version == rules_version)
        )
    if tier is not None:
        query = query.where(func.coalesce(Score.tier, UNSCORED_TIER) == tier)
    return query


def _report_rows(session: Session, rules_version: str, chosen: Sequence[Row]) -> list[dict]:
    ids = [row.id for row in chosen]
    ads = {
        ad.id: ad
        for ad in session.scalars(
            select(Ad)
            .where(Ad.id.in_(ids))
            .options(selectinload(Ad.versions), selectinload(Ad.source))
        )
    }
    hits = _hits_of(session, rules_version, ids)
    return [_report_row(ads[row.id], row, hits.get(row.id, [])) for row in chosen]


def _hits_of(session: Session, rules_version: str, ids: list[int]) -> dict[int, list[dict]]:
    """Per ad, its hits under the rules version, heaviest first (ties by code)."""
    query = (
        select(IndicatorHit.ad_id, IndicatorHit.code, IndicatorHit.weight, IndicatorHit.evidence)
        .where(IndicatorHit.rules_version == rules_version, IndicatorHit.ad_id.in_(ids))
        .order_by(IndicatorHit.weight.desc(), IndicatorHit.code, IndicatorHit.id)
    )
    hits: dict[int, list[dict]] = defaultdict(list)
    for ad_id, code, weight, evidence in session.execute(query):
        hits[ad_id].append({"code": code, "weight": weight, "evidence": evidence})
    return hits


def _report_row(ad: Ad, score: Row, hits: list[dict]) -> dict:
    phones: dict[str, None] = {}
    places: dict[str, None] = {}
    for version in ad.versions:
        body = analysed_text(
            version.text, version.prices, version.phone_text, version.stated_age, version.town
        )
        text = f"{version.title}\n{body}"
        phones.update(dict.fromkeys(e164_numbers(text)))
        places.update(dict.fromkeys(p["canonical"] for p in version.places or ()))
    scored = score.tier is not None
    return {
        "ad_id": ad.id,
        "municipality": ad.municipality,
        "source": ad.source.name,
        "source_ad_id": ad.source_ad_id,
        "url": ad.url,
        "score": score.value if scored else 0.0,
        "tier": score.tier if scored else UNSCORED_TIER,
        "network_id": score.network_id,
        "first_seen": ad.first_seen.isoformat(),
        "last_seen": ad.last_seen.isoformat(),
        "gone_at": ad.gone_at.isoformat() if ad.gone_at else None,
        "places": list(places),
        "phones": list(phones),
        "indicators": hits,
    }
