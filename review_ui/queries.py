"""Every read the UI does; the one module that queries the ORM for pages.

The queue and the pages use the newest rules version's scores and hits, so an old version's
scores (kept for comparison) never mix in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from adwatch.storage.models import (
    Ad,
    AdImage,
    AdVersion,
    CrawlRun,
    Decision,
    EvidencePack,
    Image,
    IndicatorHit,
    Network,
    NetworkMember,
    Note,
    Score,
    Source,
    User,
)
from adwatch.storage.models.ownership import ad_municipality, network_municipality
from adwatch.storage.rulesversion import current_rules_version
from adwatch.timeutil import utcnow
from review_ui.views import (
    TIER_ORDER,
    AdDetail,
    AdSummary,
    AlarmView,
    DecisionView,
    HitView,
    ImageView,
    MemberView,
    NetworkDetail,
    NoteView,
    QueueFilter,
    QueuePage,
    SourceHealth,
    VersionView,
)

PAGE_SIZE = 50
VERSION_FIELDS = ("title", "name", "stated_age", "text", "prices", "town", "phone_text")
LINK_CODES = ("phone_shared", "phone_rotation", "photo_reuse", "text_template")


SHOWN_TIERS = tuple(t for t in TIER_ORDER if t != "geen")
# The page query walks a tier in score order and checks each ad for the indicator (EXISTS on
# ix_indicator_hit_ad_rules_code) when it expects to visit at most this many rows; a rare code is
# cheaper as one set of ids (IN) than as a walk over a whole tier.
WALK_LIMIT = 5_000
# Matches no ad: a municipality code starts with a letter.
NO_MUNICIPALITY = "-"


def _latest_ad_decisions() -> Any:
    newest = (
        select(func.max(Decision.id)).where(Decision.ad_id.is_not(None)).group_by(Decision.ad_id)
    )
    return (
        select(Decision.ad_id, Decision.status, Decision.created_at)
        .where(Decision.id.in_(newest))
        .subquery()
    )


def _status_ids(status: str) -> tuple[bool, Any]:
    """(wanted, ids): the status selects the ads in `ids` when wanted, else the ads not in it.

    Decisions are few next to ads, so each status is a set of ids SQLite builds once per query
    from the decision table, instead of correlated subqueries run for every scored ad.
    """
    if status == "nieuw":
        return False, select(Decision.ad_id).where(Decision.ad_id.is_not(None))
    latest = _latest_ad_decisions()
    if status == "open":  # closed: decided (on the ad or through its network), unchanged since
        changed = exists().where(
            AdVersion.ad_id == latest.c.ad_id, AdVersion.seen_at > latest.c.created_at
        )
        return False, select(latest.c.ad_id).where(~changed)
    return True, select(latest.c.ad_id).where(latest.c.status == status)


def closed_ads_query() -> Any:
    """The ids of ads out of the open queue: decided, and no version seen since."""
    return _status_ids("open")[1]


def _has_other_filters(flt: QueueFilter) -> bool:
    return bool(
        flt.indicator
        or flt.place
        or flt.source
        or flt.seen_from
        or flt.seen_to
        or flt.municipalities
    )


def _filtered(query: Any, flt: QueueFilter, rules: str, walk: bool = False) -> Any:
    # Driven from score; ad and source are joined only when a filter needs them. The status is
    # left to the caller. `walk`: the query walks ix_score_queue in order and stops early, so the
    # indicator is checked per ad instead of building the set of every ad with the code.
    query = query.where(Score.rules_version == rules, Score.tier.in_(SHOWN_TIERS))
    if flt.tier:
        query = query.where(Score.tier == flt.tier)
    if flt.indicator:
        hit = (IndicatorHit.rules_version == rules, IndicatorHit.code == flt.indicator)
        if walk:
            query = query.where(exists().where(IndicatorHit.ad_id == Score.ad_id, *hit))
        else:
            query = query.where(Score.ad_id.in_(select(IndicatorHit.ad_id).where(*hit)))
    if flt.place:
        place = flt.place.strip().lower()
        query = query.where(
            Score.ad_id.in_(select(AdVersion.ad_id).where(func.lower(AdVersion.town) == place))
        )
    if flt.municipalities:
        # The set of the granted municipalities' ad ids comes from ix_ad_municipality alone;
        # probing it per score row is cheaper than joining each row to the ad table.
        granted = select(Ad.id).where(Ad.municipality.in_(flt.municipalities))
        query = query.where(Score.ad_id.in_(granted))
    if flt.source or flt.seen_from or flt.seen_to:
        query = query.join(Ad, Ad.id == Score.ad_id)
    if flt.source:
        query = query.join(Source, Source.id == Ad.source_id).where(Source.name == flt.source)
    if flt.seen_from:
        query = query.where(Ad.last_seen >= datetime.combine(flt.seen_from, time.min))
    if flt.seen_to:
        query = query.where(Ad.last_seen < datetime.combine(flt.seen_to, time.min) + timedelta(1))
    return query


def _counts(session: Session, query: Any) -> dict[str, int]:
    return dict(session.execute(query.group_by(Score.tier)).all())


def _tier_counts(session: Session, flt: QueueFilter, rules: str) -> dict[str, int]:
    """Ads per tier that the filter shows.

    Without other filters the counts come from ix_score_queue alone (one range per tier); a
    status is then the scored count minus the decided ads it leaves out, which SQLite finds
    from the decision table rather than by checking each of 100,000 scored ads.
    """
    tiers = (flt.tier,) if flt.tier else SHOWN_TIERS
    counted = select(Score.tier, func.count()).select_from(Score)
    wanted, ids = _status_ids(flt.status) if flt.status else (False, None)
    if wanted:
        return _counts(
            session, _filtered(counted, flt, rules, walk=True).where(Score.ad_id.in_(ids))
        )
    if _has_other_filters(flt):
        counts = _counts(session, _filtered(counted, flt, rules))
    else:
        counts = {
            tier: session.scalar(
                select(func.count())
                .select_from(Score)
                .where(Score.rules_version == rules, Score.tier == tier)
            )
            or 0
            for tier in tiers
        }
    if ids is not None:
        left_out = _counts(
            session, _filtered(counted, flt, rules, walk=True).where(Score.ad_id.in_(ids))
        )
        counts = {tier: n - left_out.get(tier, 0) for tier, n in counts.items()}
    return {tier: n for tier, n in counts.items() if n}


def _page_ids(
    session: Session, flt: QueueFilter, rules: str, counts: dict[str, int], page: int
) -> list[int]:
    # One query per tier in tier order keeps each sort within one tier (ix_score_queue), and
    # LIMIT stops the walk as soon as the page is full.
    skip, need, ids = (page - 1) * PAGE_SIZE, PAGE_SIZE, []
    wanted, status_ids = _status_ids(flt.status) if flt.status else (False, None)
    for tier in TIER_ORDER:
        in_tier = counts.get(tier, 0)
        if skip >= in_tier:
            skip -= in_tier
            continue
        walk = not flt.indicator or _walk_is_short(session, rules, tier, in_tier, skip + need)
        query = _filtered(select(Score.ad_id).select_from(Score), flt, rules, walk)
        if status_ids is not None:
            member = Score.ad_id.in_(status_ids)
            query = query.where(member if wanted else ~member)
        ids += session.scalars(
            query.where(Score.tier == tier)
            .order_by(Score.value.desc(), Score.ad_id.desc())
            .limit(need)
            .offset(skip)
        ).all()
        skip, need = 0, PAGE_SIZE - len(ids)
        if need <= 0:
            break
    return ids


def _walk_is_short(session: Session, rules: str, tier: str, matches: int, rows: int) -> bool:
    """Whether reaching `rows` matching ads walks at most WALK_LIMIT of the tier's ads."""
    size = session.scalar(
        select(func.count())
        .select_from(Score)
        .where(Score.rules_version == rules, Score.tier == tier)
    )
    return rows * (size or 0) <= WALK_LIMIT * max(matches, 1)


def queue_page(session: Session, flt: QueueFilter) -> QueuePage:
    """The page of the queue the filter asks for: open ads first by tier, then by score."""
    rules = current_rules_version(session)
    if rules is None:
        return QueuePage([], 0, 0, 1, 1)
    counts = _tier_counts(session, flt, rules)
    default = QueueFilter(page=flt.page, municipalities=flt.municipalities)
    waiting_counts = (
        counts
        if flt == default
        else _tier_counts(session, QueueFilter(municipalities=flt.municipalities), rules)
    )
    total, waiting = sum(counts.values()), sum(waiting_counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, flt.page), pages)
    ids = _page_ids(session, flt, rules, counts, page)
    summaries = summaries_of(session, ids, rules)
    return QueuePage([summaries[i] for i in ids], total, waiting, page, pages)


def summaries_of(
    session: Session, ad_ids: Iterable[int], rules: str | None = None
) -> dict[int, AdSummary]:
    """One-line summaries of the ads, with their hit codes under the rules version."""
    ids = sorted(set(ad_ids))
    if not ids:
        return {}
    rules = rules or current_rules_version(session)
    ads = session.execute(
        select(
            Ad.id, Ad.first_seen, Ad.last_seen, Ad.gone_at, Source.title, Score.tier, Score.value
        )
        .join(Source, Source.id == Ad.source_id)
        .outerjoin(Score, and_(Score.ad_id == Ad.id, Score.rules_version == rules))
        .where(Ad.id.in_(ids))
    ).all()
    latest = _latest_versions(session, ids)
    codes = _codes(session, ids, rules)
    decisions = _decision_state(session, ids)
    undecided = [ad.id for ad in ads if ad.id not in decisions]
    network_decided = network_decisions_of(session, undecided)
    result = {}
    for ad in ads:
        version = latest.get(ad.id)
        status, decided_at = decisions.get(ad.id, ("nieuw", None))
        changed = bool(version is not None and decided_at and version.seen_at > decided_at)
        reason = "changed" if changed else ""
        if ad.id in network_decided:
            reason = "new_member"
        result[ad.id] = AdSummary(
            id=ad.id,
            title=version.title if version else "",
            name=version.name if version else "",
            town=version.town if version else "",
            source=ad.title,
            tier=ad.tier or "geen",
            score=ad.value or 0.0,
            first_seen=ad.first_seen,
            last_seen=ad.last_seen,
            gone_at=ad.gone_at,
            status=status,
            codes=tuple(codes.get(ad.id, ())),
            changed_since_monitoring=changed,
            reason=reason,
            network=network_decided.get(ad.id),
        )
    return result


def network_decisions_of(session: Session, ad_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(network id, status) of the newest decision on the network of each ad that has none of
    its own: an ad that joined a network after the network was decided on."""
    if not ad_ids:
        return {}
    members = dict(
        session.execute(
            select(NetworkMember.ad_id, NetworkMember.network_id).where(
                NetworkMember.ad_id.in_(ad_ids)
            )
        ).all()
    )
    if not members:
        return {}
    newest = (
        select(func.max(Decision.id))
        .where(Decision.network_id.in_(set(members.values())))
        .group_by(Decision.network_id)
    )
    statuses = dict(
        session.execute(
            select(Decision.network_id, Decision.status).where(Decision.id.in_(newest))
        ).all()
    )
    return {ad: (net, statuses[net]) for ad, net in members.items() if net in statuses}


def _latest_versions(session: Session, ids: list[int]) -> dict[int, Any]:
    # Only the columns a summary shows: not the text or the JSON columns of each version.
    newest = (
        select(func.max(AdVersion.id)).where(AdVersion.ad_id.in_(ids)).group_by(AdVersion.ad_id)
    )
    rows = session.execute(
        select(
            AdVersion.ad_id, AdVersion.title, AdVersion.name, AdVersion.town, AdVersion.seen_at
        ).where(AdVersion.id.in_(newest))
    ).all()
    return {row.ad_id: row for row in rows}


def _codes(session: Session, ids: list[int], rules: str | None) -> dict[int, list[str]]:
    rows = session.execute(
        select(IndicatorHit.ad_id, IndicatorHit.code)
        .where(IndicatorHit.ad_id.in_(ids), IndicatorHit.rules_version == rules)
        .order_by(IndicatorHit.weight.desc(), IndicatorHit.id)
    ).all()
    found: dict[int, list[str]] = {}
    for ad_id, code in rows:
        if code not in found.setdefault(ad_id, []):
            found[ad_id].append(code)
    return found


def _decision_state(session: Session, ids: list[int]) -> dict[int, tuple[str, datetime]]:
    newest = select(func.max(Decision.id)).where(Decision.ad_id.in_(ids)).group_by(Decision.ad_id)
    rows = session.execute(
        select(Decision.ad_id, Decision.status, Decision.created_at).where(Decision.id.in_(newest))
    ).all()
    return {ad_id: (status, at) for ad_id, status, at in rows}


def ad_detail(session: Session, ad_id: int) -> AdDetail | None:
    """The ad with its versions, hits, decisions, notes, network and linked ads."""
    ad = session.get(Ad, ad_id)
    if ad is None:
        return None
    rules = current_rules_version(session)
    summary = summaries_of(session, [ad_id], rules)[ad_id]
    hits = _hits(session, ad_id, rules)
    membership = session.execute(
        select(Network.id, Network.size)
        .join(NetworkMember, NetworkMember.network_id == Network.id)
        .where(NetworkMember.ad_id == ad_id)
    ).first()
    detail = AdDetail(
        summary=summary,
        url=ad.url,
        versions=_versions(session, ad_id),
        hits=hits,
        decisions=_decisions(session, Decision.ad_id == ad_id),
        notes=_notes(session, Note.ad_id == ad_id),
        network_id=membership[0] if membership else None,
        network_size=membership[1] if membership else 0,
    )
    linked = linked_ad_ids(hits) - {ad_id}
    detail.linked = summaries_of(session, linked, rules)
    detail.image_owner = _image_owners(session, _photo_image_ids(hits))
    return detail


def _hits(session: Session, ad_id: int, rules: str | None) -> list[HitView]:
    rows = session.scalars(
        select(IndicatorHit)
        .where(IndicatorHit.ad_id == ad_id, IndicatorHit.rules_version == rules)
        .order_by(IndicatorHit.weight.desc(), IndicatorHit.id)
    ).all()
    return [HitView(r.code, r.weight, r.ad_version_id, list(r.evidence or [])) for r in rows]


def _versions(session: Session, ad_id: int) -> list[VersionView]:
    versions = session.scalars(
        select(AdVersion).where(AdVersion.ad_id == ad_id).order_by(AdVersion.id)
    ).all()
    images = session.execute(
        select(AdImage.ad_version_id, AdImage.position, Image.id, Image.width, Image.height)
        .join(Image, Image.id == AdImage.image_id)
        .where(AdImage.ad_version_id.in_([v.id for v in versions]))
        .order_by(AdImage.position)
    ).all()
    by_version: dict[int, list[ImageView]] = {}
    for version_id, position, image_id, width, height in images:
        by_version.setdefault(version_id, []).append(ImageView(image_id, position, width, height))
    return [VersionView(v.id, v.seen_at, _fields(v), by_version.get(v.id, [])) for v in versions]


def _fields(version: AdVersion) -> dict[str, str]:
    values = {name: getattr(version, name) for name in VERSION_FIELDS}
    values["prices"] = ", ".join(str(p) for p in values["prices"] or [])
    return {name: str(value or "") for name, value in values.items()}


def linked_ad_ids(hits: Iterable[HitView]) -> set[int]:
    """Every ad id the evidence of these hits points to."""
    found: set[int] = set()
    for hit in hits:
        for item in hit.evidence:
            found.update(int(i) for i in item.get("ad_ids") or [])
            if item.get("other_ad_id") is not None:
                found.add(int(item["other_ad_id"]))
    return found


def _photo_image_ids(hits: Iterable[HitView]) -> set[int]:
    return {
        int(item[key])
        for hit in hits
        for item in hit.evidence
        if item.get("kind") == "photo"
        for key in ("image_id", "other_image_id")
    }


def _image_owners(session: Session, image_ids: set[int]) -> dict[int, int]:
    rows = session.execute(
        select(AdImage.image_id, func.min(AdVersion.ad_id))
        .join(AdVersion, AdVersion.id == AdImage.ad_version_id)
        .where(AdImage.image_id.in_(image_ids))
        .group_by(AdImage.image_id)
    ).all()
    return dict(rows)


def decisions_where(session: Session, condition: Any) -> list[DecisionView]:
    """The decisions matching the condition, newest first, with their actor's name."""
    return _decisions(session, condition)


def _decisions(session: Session, condition: Any) -> list[DecisionView]:
    rows = session.execute(
        select(Decision, User.username)
        .join(User, User.id == Decision.actor_id)
        .where(condition)
        .order_by(Decision.id.desc())
    ).all()
    return [
        DecisionView(
            d.status, d.partner, d.forwarded_on, d.reason, name, d.created_at, d.via_network
        )
        for d, name in rows
    ]


def _notes(session: Session, condition: Any) -> list[NoteView]:
    rows = session.execute(
        select(Note, User.username)
        .join(User, User.id == Note.author_id)
        .where(condition)
        .order_by(Note.id.desc())
    ).all()
    return [NoteView(n.text, name, n.created_at) for n, name in rows]


def network_detail(session: Session, network_id: str) -> NetworkDetail | None:
    """The network with its members on a timeline and the links between them."""
    network = session.get(Network, network_id)
    if network is None:
        return None
    rules = current_rules_version(session)
    members = session.execute(
        select(NetworkMember.ad_id, NetworkMember.links).where(
            NetworkMember.network_id == network_id
        )
    ).all()
    ids = [ad_id for ad_id, _ in members]
    summaries = summaries_of(session, ids, rules)
    edges = _member_edges(session, ids, rules)
    views = [
        MemberView(summaries[ad_id], tuple(links or ()), edges.get(ad_id, {}))
        for ad_id, links in members
        if ad_id in summaries
    ]
    views.sort(key=lambda m: (m.ad.first_seen or utcnow(), m.ad.id))
    return NetworkDetail(
        id=network.id,
        size=network.size,
        first_seen=network.first_seen,
        updated_at=network.updated_at,
        members=views,
        decisions=_decisions(session, Decision.network_id == network_id),
        notes=_notes(session, Note.network_id == network_id),
    )


def _member_edges(
    session: Session, ids: list[int], rules: str | None
) -> dict[int, dict[int, tuple[str, ...]]]:
    rows = session.execute(
        select(IndicatorHit.ad_id, IndicatorHit.code, IndicatorHit.evidence).where(
            IndicatorHit.ad_id.in_(ids),
            IndicatorHit.rules_version == rules,
            IndicatorHit.code.in_(LINK_CODES),
        )
    ).all()
    # A network of n ads has up to n² edges, nearly all with the same codes: each edge refers to
    # one shared tuple per set of codes instead of a set and a tuple of its own.
    members = set(ids)
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    edges: dict[int, dict[int, tuple[str, ...]]] = {}
    for ad_id, code, evidence in rows:
        mine = edges.setdefault(ad_id, {})
        for other in linked_ad_ids([HitView(code, 0, None, list(evidence or []))]):
            if other in members and other != ad_id:
                codes = tuple(sorted({*mine.get(other, ()), code}))
                mine[other] = shared.setdefault(codes, codes)
    return {a: d for a, d in edges.items() if d}


def image_sha256(session: Session, image_id: int) -> str | None:
    """The blob name of an image."""
    return session.scalar(select(Image.sha256).where(Image.id == image_id))


def image_ad_ids(session: Session, image_id: int) -> list[int]:
    """The ads an image appears in (for the audit entry of a view)."""
    return list(
        session.scalars(
            select(AdVersion.ad_id)
            .join(AdImage, AdImage.ad_version_id == AdVersion.id)
            .where(AdImage.image_id == image_id)
            .distinct()
        )
    )


def restriction(session: Session, granted: frozenset[str]) -> tuple[str, ...]:
    """The municipalities a query must be limited to for this viewer; () when the viewer is
    granted every municipality that has ads (an installation for one municipality)."""
    if not granted:
        return (NO_MUNICIPALITY,)
    present = municipalities_present(session)
    return () if present <= granted else tuple(sorted(granted))


def municipalities_present(session: Session) -> set[str]:
    """The municipalities that have ads: one index probe per municipality, not a scan."""
    found: set[str] = set()
    last = None
    while True:
        query = select(func.min(Ad.municipality))
        if last is not None:
            query = query.where(Ad.municipality > last)
        last = session.scalar(query)
        if last is None:
            return found
        found.add(last)


def ad_visible(session: Session, ad_id: int, granted: frozenset[str]) -> bool:
    return ad_municipality(session, ad_id) in granted


def network_visible(session: Session, network_id: str, granted: frozenset[str]) -> bool:
    return network_municipality(session, network_id) in granted


def any_ad_visible(session: Session, ad_ids: list[int], granted: frozenset[str]) -> bool:
    """Whether one of the ads is in a granted municipality (an image is shown to whoever may
    see one of the ads it appears in)."""
    if not ad_ids:
        return False
    query = select(Ad.id).where(Ad.id.in_(ad_ids), Ad.municipality.in_(granted)).limit(1)
    return session.scalar(query) is not None


def sources(session: Session) -> list[tuple[str, str]]:
    """(name, title) of every source, for the filter."""
    return [
        tuple(r) for r in session.execute(select(Source.name, Source.title).order_by(Source.name))
    ]


def source_health(session: Session, stale_after: timedelta) -> list[SourceHealth]:
    """Per source: last successful run, last attempt, and whether it is overdue."""
    ok = (
        select(CrawlRun.source_id, func.max(CrawlRun.finished_at).label("at"))
        .where(CrawlRun.status == "finished")
        .group_by(CrawlRun.source_id)
        .subquery()
    )
    last = select(func.max(CrawlRun.id)).group_by(CrawlRun.source_id)
    attempts = {
        run.source_id: run for run in session.scalars(select(CrawlRun).where(CrawlRun.id.in_(last)))
    }
    rows = session.execute(
        select(Source, ok.c.at).outerjoin(ok, ok.c.source_id == Source.id).order_by(Source.name)
    ).all()
    now = utcnow()
    result = []
    for source, last_ok in rows:
        attempt = attempts.get(source.id)
        result.append(
            SourceHealth(
                name=source.name,
                title=source.title,
                last_ok=last_ok,
                last_run=attempt.started_at if attempt else None,
                last_status=attempt.status if attempt else "",
                stale=last_ok is None or now - last_ok > stale_after,
            )
        )
    return result


def recent_alarms(session: Session, runs: int = 20) -> list[AlarmView]:
    """The alarms of the most recent crawl runs, newest first."""
    rows = session.execute(
        select(CrawlRun, Source.name)
        .join(Source, Source.id == CrawlRun.source_id)
        .order_by(CrawlRun.id.desc())
        .limit(runs)
    ).all()
    return [
        AlarmView(run.id, name, run.started_at, str(a.get("kind", "")), str(a.get("message", "")))
        for run, name in rows
        for a in (run.alarms or [])
        if isinstance(a, dict)
    ]


def users(session: Session) -> list[User]:
    """Every account, for the admin's page (no secrets are rendered)."""
    return list(session.scalars(select(User).order_by(User.username)))


@dataclass(frozen=True)
class PackRow:
    """An evidence pack that holds this ad or network."""

    id: int
    created_at: datetime
    actor: str
    recipient: str
    case_ref: str
    manifest_digest: str


def packs_for(
    session: Session,
    granted: frozenset[str],
    ad_id: int | None = None,
    network_id: str | None = None,
) -> list[PackRow]:
    """Packs exported for the ad (alone or in a network) or for the network, newest first."""
    rows = session.scalars(
        select(EvidencePack)
        .where(EvidencePack.municipality.in_(granted))
        .order_by(EvidencePack.id.desc())
    ).all()
    return [
        PackRow(p.id, p.created_at, p.actor, p.recipient, p.case_ref, p.manifest_digest)
        for p in rows
        if (network_id is not None and p.network_id == network_id)
        or (ad_id is not None and ad_id in (p.ad_ids or []))
    ]
