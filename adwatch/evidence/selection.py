"""Which ads a pack covers, whether the officer's decisions allow the export, and their captures.

Runs first in an export. Since migration 0007 every capture names its ad (`capture.ad_id`).
Rows written before it do not; for those, the store wrote one ad's captures together (page, phone
reveal, images) in one transaction, so an ad's captures are its page captures plus the captures
that follow each of them in the same run up to the next page, and an image capture only when its
URL is one of the ad's image URLs.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from adwatch.errors import AdwatchError
from adwatch.storage.models import Ad, AdImage, AdVersion, Capture, Decision, Network, NetworkMember
from adwatch.vocabulary import NO_SIGNAL


class ExportRefused(AdwatchError):
    """The export is not allowed or not possible; the message says why."""

    exit_code = 4


def ads_for_network(session: Session, network_id: str) -> list[int]:
    """The member ads of a network, or ExportRefused when it does not exist."""
    if session.get(Network, network_id) is None:
        raise ExportRefused(f"network {network_id} does not exist")
    query = select(NetworkMember.ad_id).where(NetworkMember.network_id == network_id)
    return sorted(session.scalars(query))


def load_ads(session: Session, ad_ids: Iterable[int]) -> list[Ad]:
    """The ads by id, or ExportRefused naming the ids that do not exist."""
    wanted = sorted(set(ad_ids))
    if not wanted:
        raise ExportRefused("no ads to export")
    ads = session.scalars(select(Ad).where(Ad.id.in_(wanted)).order_by(Ad.id)).all()
    missing = sorted(set(wanted) - {ad.id for ad in ads})
    if missing:
        raise ExportRefused(f"ad(s) {', '.join(map(str, missing))} do not exist")
    return list(ads)


def networks_of(session: Session, ad_id: int) -> list[str]:
    """The ids of the networks the ad belongs to."""
    query = select(NetworkMember.network_id).where(NetworkMember.ad_id == ad_id)
    return sorted(session.scalars(query))


def decisions_for(session: Session, ad_id: int) -> list[Decision]:
    """The decisions on the ad and on its networks, oldest first."""
    subject = or_(Decision.ad_id == ad_id, Decision.network_id.in_(networks_of(session, ad_id)))
    query = select(Decision).where(subject).order_by(Decision.created_at, Decision.id)
    return list(session.scalars(query))


def refusal(session: Session, ad: Ad) -> str | None:
    """Why the officer's decisions do not allow exporting the ad, or None when they do."""
    decisions = decisions_for(session, ad.id)
    if not decisions:
        return f"ad {ad.id} has no officer's decision yet"
    if decisions[-1].status == NO_SIGNAL:
        return f"ad {ad.id}: the officer's latest decision is {NO_SIGNAL}"
    return None


def require_exportable(session: Session, ads: list[Ad]) -> None:
    """ExportRefused unless the officer decided something other than geen_signaal for each ad."""
    reasons = [reason for ad in ads if (reason := refusal(session, ad))]
    if reasons:
        raise ExportRefused(
            "only ads with an officer's decision other than geen_signaal may be exported: "
            + "; ".join(reasons)
        )


def image_urls(ad: Ad) -> set[str]:
    """Every image URL any version of the ad showed."""
    return {link.source_url for version in ad.versions for link in version.images}


def captures_for(session: Session, ad: Ad) -> list[Capture]:
    """Every capture of the ad: recorded with its ad id since migration 0007; for older rows,
    its pages and what was fetched right after each page in the same run."""
    found: dict[int, Capture] = {
        c.id: c for c in session.scalars(select(Capture).where(Capture.ad_id == ad.id))
    }
    pages = session.scalars(
        select(Capture).where(
            Capture.ad_id.is_(None),
            Capture.kind == "ad_page",
            Capture.url.in_(_page_urls(session, ad)),
        )
    ).all()
    found.update((page.id, page) for page in pages)
    for page in pages:
        for capture in _following(session, page, image_urls(ad)):
            found[capture.id] = capture
    return [found[key] for key in sorted(found)]


def _page_urls(session: Session, ad: Ad) -> set[str]:
    version_pages = [session.get(Capture, v.capture_id) for v in ad.versions]
    return {ad.url, *(c.url for c in version_pages if c is not None)}


def _following(session: Session, page: Capture, urls: set[str]) -> list[Capture]:
    rows = session.scalars(
        select(Capture)
        .where(Capture.run_id == page.run_id, Capture.id > page.id, Capture.ad_id.is_(None))
        .order_by(Capture.id)
        .limit(200)
    )
    taken = []
    for capture in rows:
        if capture.kind == "ad_page":
            break
        if capture.kind == "phone_reveal" or capture.url in urls:
            taken.append(capture)
    return taken


def images_of(session: Session, ad: Ad) -> list[AdImage]:
    """The ad's image links across all versions, in version and position order."""
    query = (
        select(AdImage)
        .join(AdVersion, AdVersion.id == AdImage.ad_version_id)
        .where(AdVersion.ad_id == ad.id)
        .order_by(AdImage.ad_version_id, AdImage.position)
    )
    return list(session.scalars(query))
