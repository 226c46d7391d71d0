"""What one crawl run saw: counters, the ad ids its listings showed, and alarms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_ALARMS_PER_KIND = 20


def region_key(municipality: str, ad_id: str) -> str:
    """One entry of the set of ads listed on a municipality's own region page."""
    return f"{municipality}/{ad_id}"


@dataclass
class CrawlReport:
    """Kept by the spider, read by the store pipeline when the run closes."""

    counters: Counter = field(default_factory=Counter)
    listed_ids: set[str] = field(default_factory=set)
    in_scope_listed_ids: set[str] = field(default_factory=set)  # region_key values
    gone_ids: set[str] = field(default_factory=set)
    alarms: list[dict[str, str]] = field(default_factory=list)

    def count(self, key: str, amount: int = 1) -> None:
        self.counters[key] += amount

    def listed(self, ad_id: str, *, municipality: str | None) -> None:
        """A listing showed this ad: on `municipality`'s own region page, or elsewhere (None)."""
        self.listed_ids.add(ad_id)
        if municipality is not None:
            self.in_scope_listed_ids.add(region_key(municipality, ad_id))

    def listed_by(self, ad_id: str, municipalities: Iterable[str]) -> set[str]:
        """The municipalities whose own region pages listed this ad."""
        return {m for m in municipalities if region_key(m, ad_id) in self.in_scope_listed_ids}

    def gone(self, ad_id: str) -> None:
        self.gone_ids.add(ad_id)
        self.listed_ids.discard(ad_id)

    def alarm(self, kind: str, message: str) -> None:
        """Record an alarm for the run; repeats of one kind are counted, not all kept."""
        self.counters[f"alarm_{kind}"] += 1
        if self.counters[f"alarm_{kind}"] <= MAX_ALARMS_PER_KIND:
            self.alarms.append({"kind": kind, "message": message})
