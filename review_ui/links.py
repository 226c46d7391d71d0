"""Which other ads an ad's evidence points to, and through which indicator."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def ids_in(item: dict[str, Any]) -> list[int]:
    """The ad ids one evidence item names."""
    found = [int(i) for i in item.get("ad_ids") or []]
    if item.get("other_ad_id") is not None:
        found.append(int(item["other_ad_id"]))
    return found


def links_by_ad(hits: Iterable[Any], own_id: int) -> dict[int, list[str]]:
    """Other ad id → the indicator codes linking it, in the order the hits come."""
    links: dict[int, list[str]] = {}
    for hit in hits:
        for item in hit.evidence:
            for other in ids_in(item):
                codes = links.setdefault(other, [])
                if other != own_id and hit.code not in codes:
                    codes.append(hit.code)
    links.pop(own_id, None)
    return links
