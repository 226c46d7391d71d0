"""What one crawl run saw: counters, the ad ids its listings showed, and alarms."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_ALARMS_PER_KIND = 20


@dataclass
class CrawlReport:
    """Kept by the spider, read by the store pipeline when the run closes."""

    counters: Counter = field(default_factory=Counter)
    listed_ids: set[str] = field(default_factory=set)
    in_scope_listed_ids: set[str] = field(default_factory=set)
    gone_ids: set[str] = field(default_factory=set)
    alarms: list[dict[str, str]] = field(default_factory=list)

    def count(self, key: str, amount: int = 1) -> None:
        self.counters[key] += amount

    def listed(self, ad_id: str, *, in_scope_region: bool) -> None:
        """A listing showed this ad (on the municipality's own region page, or elsewhere)."""
        self.listed_ids.add(ad_id)
        if in_scope_region:
            self.in_scope_listed_ids.add(ad_id)

    def listed_in_scope(self, ad_id: str) -> bool:
        return ad_id in self.in_scope_listed_ids

    def gone(self, ad_id: str) -> None:
        self.gone_ids.add(ad_id)
        self.listed_ids.discard(ad_id)

    def alarm(self, kind: str, message: str) -> None:
        """Record an alarm for the run; repeats of one kind are counted, not all kept."""
        self.counters[f"alarm_{kind}"] += 1
        if self.counters[f"alarm_{kind}"] <= MAX_ALARMS_PER_KIND:
            self.alarms.append({"kind": kind, "message": message})
