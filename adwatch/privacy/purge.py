"""`adwatch purge` and erasure: remove ads with everything that holds their content.

Order: one database transaction (behind the purge gate) deletes the ads' rows, keeps an officer's
decisions with their reason redacted, writes a deletion record per category and an audit entry;
only after it commits are the WARC files rewritten and the blobs removed
(`adwatch.privacy.purgefiles`).
A dry run does the same transaction, counts, and rolls it back; it touches no file.

An ad that a decision or a legal hold refers to stays as a tombstone row (id, source and dates;
no URL, no platform id), because those rows keep the officer's accountability and name the ad
by id only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from adwatch.access.accounts import SESSION_IDLE, SESSION_MAX
from adwatch.evidence.selection import captures_for
from adwatch.instance import Instance
from adwatch.privacy.purgefiles import (
    FileCounts,
    grace_cutoff,
    remove_blobs,
    remove_scrapy_leftovers,
    remove_temporaries,
    rewrite_runs,
)
from adwatch.privacy.retention import RULES, TOMBSTONE_PREFIX, expired, load_facts
from adwatch.storage.chain import append
from adwatch.storage.models import (
    Ad,
    AdImage,
    AdVersion,
    AuditEvent,
    Capture,
    CrawlRun,
    Decision,
    DeletionRecord,
    Image,
    IndicatorFailure,
    IndicatorHit,
    LegalHold,
    Network,
    NetworkMember,
    Note,
    PhoneLink,
    Score,
    UserSession,
)
from adwatch.storage.purgegate import purge_gate
from adwatch.timeutil import as_utc, utcnow

REDACTED = "[verwijderd: bewaartermijn verstreken]"
SYSTEM_ACTOR = "system:purge"
BY_AD = (PhoneLink, IndicatorHit, Score, IndicatorFailure, NetworkMember, Note)


@dataclass
class Released:
    """The blob digests the deleted rows referred to."""

    digests: set[str] = field(default_factory=set)


@dataclass
class PurgeReport:
    """What a purge or an erasure removed (or would remove, in a dry run)."""

    dry_run: bool
    ads: dict[str, list[int]] = field(default_factory=dict)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    files: FileCounts = field(default_factory=FileCounts)
    sessions: int = 0  # login sessions that can no longer be used (logins are in the audit log)


class _Rollback(Exception):
    """Raised inside a dry run's transaction so that nothing it did is kept."""


def delete_ads(session: Session, ad_ids: list[int], released: Released) -> dict[str, int]:
    """Delete the ads' rows; call inside a write transaction. Returns counts per table."""
    counts: Counter[str] = Counter()
    if not ad_ids:
        return dict(counts)
    with purge_gate(session):
        captures = _captures(session, ad_ids)
        versions = list(session.scalars(select(AdVersion.id).where(AdVersion.ad_id.in_(ad_ids))))
        _shrink_networks(session, ad_ids)
        for model in BY_AD:
            counts[model.__tablename__] = _delete(session, model, model.ad_id.in_(ad_ids))
        counts.update(_delete_images(session, versions, released))
        counts["ad_version"] = _delete(session, AdVersion, AdVersion.id.in_(versions))
        counts["capture"] = _delete_captures(session, captures, released)
        counts["decisions_redacted"] = _redact_decisions(session, ad_ids)
        counts.update(_delete_or_tombstone(session, ad_ids))
    return {key: value for key, value in counts.items() if value}


def _delete(session: Session, model: type, condition) -> int:
    result = session.execute(
        delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _captures(session: Session, ad_ids: list[int]) -> list[Capture]:
    found: dict[int, Capture] = {}
    for ad in session.scalars(select(Ad).where(Ad.id.in_(ad_ids))):
        found.update((c.id, c) for c in captures_for(session, ad))
    return list(found.values())


def _shrink_networks(session: Session, ad_ids: list[int]) -> None:
    # Network rows hold ids only and decisions may name them: keep them, smaller.
    query = select(NetworkMember.network_id, func.count()).where(NetworkMember.ad_id.in_(ad_ids))
    for network_id, leaving in session.execute(query.group_by(NetworkMember.network_id)):
        network = session.get(Network, network_id)
        network.size = max(0, network.size - leaving)


def _delete_images(session: Session, versions: list[int], released: Released) -> Counter[str]:
    counts: Counter[str] = Counter()
    links = select(AdImage.image_id).where(AdImage.ad_version_id.in_(versions))
    image_ids = set(session.scalars(links))
    counts["ad_image"] = _delete(session, AdImage, AdImage.ad_version_id.in_(versions))
    used = set(session.scalars(select(AdImage.image_id).where(AdImage.image_id.in_(image_ids))))
    gone = sorted(image_ids - used)
    released.digests.update(session.scalars(select(Image.sha256).where(Image.id.in_(gone))))
    counts["image"] = _delete(session, Image, Image.id.in_(gone))
    return counts


def _delete_captures(session: Session, captures: list[Capture], released: Released) -> int:
    ids = [c.id for c in captures]
    for capture in captures:
        released.digests.add(capture.sha256)
        extras = (capture.screenshot_sha256, capture.dom_sha256, capture.wire_sha256)
        released.digests.update(d for d in (*extras, capture.request_body_sha256) if d)
    _repoint_images(session, ids)
    return _delete(session, Capture, Capture.id.in_(ids))


def _repoint_images(session: Session, capture_ids: list[int]) -> None:
    # An image another ad still shows may name a purged capture as its first one.
    for image in session.scalars(select(Image).where(Image.capture_id.in_(capture_ids))):
        other = select(Capture.id).where(
            Capture.sha256 == image.sha256, Capture.id.not_in(capture_ids)
        )
        image.capture_id = session.scalar(other.order_by(Capture.id).limit(1))
    session.flush()


def _redact_decisions(session: Session, ad_ids: list[int]) -> int:
    query = update(Decision).where(Decision.ad_id.in_(ad_ids), Decision.reason != REDACTED)
    result = session.execute(
        query.values(reason=REDACTED).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _delete_or_tombstone(session: Session, ad_ids: list[int]) -> Counter[str]:
    referenced = set(session.scalars(select(Decision.ad_id).where(Decision.ad_id.in_(ad_ids))))
    referenced |= set(session.scalars(select(LegalHold.ad_id).where(LegalHold.ad_id.in_(ad_ids))))
    plain = [ad_id for ad_id in ad_ids if ad_id not in referenced]
    counts: Counter[str] = Counter(ad=_delete(session, Ad, Ad.id.in_(plain)))
    for ad in session.scalars(select(Ad).where(Ad.id.in_(sorted(referenced)))):
        ad.url, ad.region, ad.source_ad_id = "", None, f"{TOMBSTONE_PREFIX}{ad.id}"
        counts["ad_tombstoned"] += 1
    session.flush()
    return counts


def remove_ads(
    instance: Instance,
    groups: dict[str, list[int]],
    rules: dict[str, str],
    *,
    actor: str,
    now: datetime,
    dry_run: bool = False,
    audit_action: str = "purge",
) -> PurgeReport:
    """Remove the ads of each category, record it, then clean the files they leave."""
    report = PurgeReport(dry_run=dry_run, ads={k: sorted(v) for k, v in groups.items() if v})
    released = Released()
    try:
        with instance.db.writing() as session:
            for category, ad_ids in report.ads.items():
                report.rows[category] = delete_ads(session, ad_ids, released)
                _deletion_record(session, actor, now, category, rules[category], report)
            keep, referenced = _file_plan(session)
            if report.ads:
                _audit(session, actor, now, audit_action, report)
            if audit_action == "purge":
                report.sessions = delete_dead_sessions(session, now)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    _clean_files(instance, keep, referenced, released, now, report)
    return report


def delete_dead_sessions(session: Session, now: datetime) -> int:
    """Remove the login sessions that ended, went idle or reached their maximum age: none can
    be used again, and who logged in when is in the audit log."""
    dead = or_(
        UserSession.ended_at.is_not(None),
        UserSession.last_seen_at <= now - SESSION_IDLE,
        UserSession.created_at <= now - SESSION_MAX,
    )
    return _delete(session, UserSession, dead)


def _deletion_record(
    session: Session, actor: str, now: datetime, category: str, rule: str, report: PurgeReport
) -> None:
    counts = dict(report.rows[category])
    session.add(
        DeletionRecord(
            at=now,
            actor=actor,
            category=category,
            rule=rule,
            ads=len(report.ads[category]),
            counts=counts,
        )
    )


def _audit(session: Session, actor: str, now: datetime, action: str, report: PurgeReport) -> None:
    ad_ids = sorted(ad_id for ids in report.ads.values() for ad_id in ids)
    details = {category: len(ids) for category, ids in report.ads.items()}
    append(
        session,
        AuditEvent,
        actor=actor,
        action=action,
        object_type="ad",
        object_ids=ad_ids,
        details=details,
        at=now,
    )


def _file_plan(session: Session) -> tuple[dict[str, set[str]], set[str]]:
    """Record ids to keep per WARC file, and every digest a row still refers to."""
    # Every run but a running one is checked, so records left by a crash (of a crawl or of an
    # earlier purge) or by a purge during a crawl are removed too.
    runs = session.execute(
        select(CrawlRun.id, CrawlRun.warc_file).where(
            CrawlRun.status != "running", CrawlRun.warc_file.is_not(None)
        )
    ).all()
    keep = {name: _record_ids(session, run_id) for run_id, name in runs}
    return keep, _referenced(session)


def _record_ids(session: Session, run_id: int) -> set[str]:
    query = select(Capture.warc_record_id).where(Capture.run_id == run_id)
    return {rid for rid in session.scalars(query) if rid}


def _referenced(session: Session) -> set[str]:
    found = set(session.scalars(select(Capture.sha256)))
    for column in (
        Capture.screenshot_sha256,
        Capture.dom_sha256,
        Capture.wire_sha256,
        Capture.request_body_sha256,
    ):
        found |= {d for d in session.scalars(select(column)) if d}
    found |= set(session.scalars(select(Image.sha256)))
    return found


def _clean_files(
    instance: Instance,
    keep: dict[str, set[str]],
    referenced: set[str],
    released: Released,
    now: datetime,
    report: PurgeReport,
) -> None:
    settings, dry_run, files = instance.settings, report.dry_run, report.files
    cutoff = grace_cutoff(as_utc(now), instance.app_config.retention.orphan_grace_hours)
    rewrite_runs(settings.warc_dir, keep, files, dry_run)
    remove_blobs(instance.blobs, referenced, released.digests, cutoff, files, dry_run)
    remove_temporaries(instance.blobs, settings.warc_dir, cutoff, files, dry_run)
    remove_scrapy_leftovers(settings.data_dir, files, dry_run)
    if not dry_run and any(files.as_dict().values()):
        with instance.db.writing() as session:
            session.add(
                DeletionRecord(
                    at=now,
                    actor=SYSTEM_ACTOR,
                    category="storage",
                    counts=files.as_dict(),
                    rule="files no record refers to any more (WARC records, blobs, leftovers)",
                )
            )


def rule_texts(instance: Instance) -> dict[str, str]:
    """Each rule's description followed by the configured terms."""
    terms = instance.app_config.retention.model_dump()
    named = ", ".join(f"{key}={value}" for key, value in terms.items())
    return {name: f"{text} ({named})" for name, text in RULES.items()}


def purge(instance: Instance, now: datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    """Apply the retention rules at `now` (default: the current time)."""
    now = as_utc(now) if now is not None else utcnow()
    with instance.db.reading() as session:
        facts = load_facts(session)
    groups = expired(facts, instance.app_config.retention, now)
    return remove_ads(
        instance, groups, rule_texts(instance), actor=SYSTEM_ACTOR, now=now, dry_run=dry_run
    )
