"""Networks, the fourth scoring step: connected components of linked ads, with a stable id.

`networks(edges)` groups ads joined by any link (same phone, photo, template, rotating numbers).
A network's id is derived from its smallest member ad id, so it stays the same while that ad stays
in the network, and every member knows through which links it joined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from scoring.hits import AdId


@dataclass(frozen=True, order=True, slots=True)
class Edge:
    """A link between two ads, and the indicator code that made it."""

    a: AdId
    b: AdId
    via: str


@dataclass(frozen=True)
class Network:
    """A connected group of linked ads."""

    network_id: str
    ad_ids: tuple[AdId, ...]
    via: tuple[str, ...]


def components(edges: Iterable[Edge]) -> list[tuple[AdId, ...]]:
    """Connected components of the edges, each sorted, ordered by their smallest member."""
    parent: dict[AdId, AdId] = {}

    def find(x: AdId) -> AdId:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for edge in edges:
        root_a, root_b = find(edge.a), find(edge.b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[AdId, list[AdId]] = defaultdict(list)
    for node in list(parent):
        groups[find(node)].append(node)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def network_id(members: Iterable[AdId]) -> str:
    """The stable id of a network: "net-<smallest member ad id>"."""
    return f"net-{min(members)}"


def networks(edges: Iterable[Edge]) -> list[Network]:
    """Networks (components of two or more ads) with their ids and the link kinds inside them."""
    edges = list(edges)
    groups = components(edges)
    # Link kinds per group in one pass over the edges, not one pass per group.
    group_of = {ad_id: number for number, group in enumerate(groups) for ad_id in group}
    kinds: list[set[str]] = [set() for _ in groups]
    for edge in edges:
        if edge.a in group_of:  # an edge of an ad to itself makes no group
            kinds[group_of[edge.a]].add(edge.via)
    return [
        Network(network_id(group), group, tuple(sorted(via)))
        for group, via in zip(groups, kinds, strict=True)
    ]
