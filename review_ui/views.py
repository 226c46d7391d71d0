"""Plain view models the pages render; built by `review_ui.queries`, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class QueueFilter:
    """What the officer filters the queue on; empty strings mean "all"."""

    tier: str = ""
    indicator: str = ""
    source: str = ""
    place: str = ""
    status: str = "open"
    seen_from: date | None = None
    seen_to: date | None = None
    page: int = 1
    # Set by the route from the viewer's grants, never from the query string; empty when the
    # viewer is granted every municipality in the database (no restriction needed).
    municipalities: tuple[str, ...] = ()

    def audit_details(self) -> dict[str, Any]:
        """The filter for the audit log: codes and dates, the typed place only as present/absent."""
        return {
            "tier": self.tier,
            "indicator": self.indicator,
            "source": self.source,
            "place": bool(self.place),
            "status": self.status,
            "from": self.seen_from.isoformat() if self.seen_from else "",
            "to": self.seen_to.isoformat() if self.seen_to else "",
            "page": self.page,
        }


@dataclass(frozen=True)
class AdSummary:
    """An ad as one line: in the queue, among links and in a network."""

    id: int
    title: str
    name: str
    town: str
    source: str
    tier: str
    score: float
    first_seen: datetime | None
    last_seen: datetime | None
    gone_at: datetime | None
    status: str
    codes: tuple[str, ...] = ()
    changed_since_monitoring: bool = False
    # Why a decided ad is back in the queue: "changed" (after its decision) or "new_member" (of a
    # network decided on before it joined); `network` is then (network id, that decision).
    reason: str = ""
    network: tuple[str, str] | None = None


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, with the counts the officer needs."""

    rows: list[AdSummary]
    total: int
    waiting: int
    page: int
    pages: int


@dataclass(frozen=True)
class ImageView:
    """An image of a version: its id for the re-encoding route, and its place."""

    id: int
    position: int
    width: int
    height: int


@dataclass(frozen=True)
class VersionView:
    """One version of an ad's content."""

    id: int
    seen_at: datetime
    fields: dict[str, str]
    images: list[ImageView]


@dataclass(frozen=True)
class HitView:
    """An indicator hit with its evidence as stored (a list of JSON dicts)."""

    code: str
    weight: float
    version_id: int | None
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class DecisionView:
    """A decision in the history."""

    status: str
    partner: str | None
    forwarded_on: date | None
    reason: str
    actor: str
    created_at: datetime
    via_network: str | None = None


@dataclass(frozen=True)
class NoteView:
    """A note with its author and time."""

    text: str
    author: str
    created_at: datetime


@dataclass
class AdDetail:
    """Everything the ad page shows."""

    summary: AdSummary
    url: str
    versions: list[VersionView]
    hits: list[HitView]
    decisions: list[DecisionView]
    notes: list[NoteView]
    network_id: str | None
    network_size: int
    linked: dict[int, AdSummary] = field(default_factory=dict)
    image_owner: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberView:
    """A network member: the ad, the link codes that joined it, and the members it links to."""

    ad: AdSummary
    links: tuple[str, ...]
    linked_to: dict[int, tuple[str, ...]]


@dataclass
class NetworkDetail:
    """Everything the network page shows."""

    id: str
    size: int
    first_seen: datetime
    updated_at: datetime
    members: list[MemberView]
    decisions: list[DecisionView]
    notes: list[NoteView]


@dataclass(frozen=True)
class SourceHealth:
    """A source's last successful crawl and last attempt."""

    name: str
    title: str
    last_ok: datetime | None
    last_run: datetime | None
    last_status: str
    stale: bool


@dataclass(frozen=True)
class AlarmView:
    """One alarm a crawl run raised."""

    run_id: int
    source: str
    started_at: datetime
    kind: str
    message: str
