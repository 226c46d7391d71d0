"""The network graph drawn on the server: member ads on a circle, a line per link.

Every node is a link to its ad (reachable with the keyboard); the members table on the same page is
the graph's text equivalent. Large networks are drawn up to MAX_NODES members.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.orm import Session

from adwatch.vocabulary import LINK_CODES
from review_ui.views import NetworkDetail

MAX_NODES = 60
# A network of n ads can have n² links; past this many the drawing says no more than the table.
MAX_LINES = 240
SIZE = 520
RADIUS = 200


@dataclass(frozen=True)
class Node:
    """A member ad at its place on the circle."""

    ad_id: int
    label: str
    tier: str
    x: float
    y: float


@dataclass(frozen=True)
class Line:
    """A link between two drawn members, with its strongest kind."""

    x1: float
    y1: float
    x2: float
    y2: float
    kind: str
    title: str


@dataclass(frozen=True)
class Graph:
    """What the template draws."""

    size: int
    nodes: list[Node]
    lines: list[Line]
    hidden: int
    lines_hidden: int = 0


def network_graph(_session: Session, network: NetworkDetail) -> Graph:
    """Nodes on a circle in first-seen order and one line per linked pair."""
    members = network.members[:MAX_NODES]
    centre, count = SIZE / 2, max(len(members), 1)
    nodes: dict[int, Node] = {}
    for index, member in enumerate(members):
        angle = 2 * math.pi * index / count - math.pi / 2
        nodes[member.ad.id] = Node(
            member.ad.id,
            f"#{member.ad.id}" + (f" {member.ad.name}" if member.ad.name else ""),
            member.ad.tier,
            round(centre + RADIUS * math.cos(angle), 1),
            round(centre + RADIUS * math.sin(angle), 1),
        )
    lines = []
    for member in members:
        for other, codes in member.linked_to.items():
            if other <= member.ad.id or other not in nodes:
                continue
            a, b = nodes[member.ad.id], nodes[other]
            # One line style per kind, so the legend can tell them apart without colour alone;
            # a line with several kinds shows the first in LINK_CODES' order.
            kind = next((k for k in LINK_CODES if k in codes), codes[0] if codes else "")
            title = f"#{a.ad_id} en #{b.ad_id}"
            lines.append(Line(a.x, a.y, b.x, b.y, kind, title))
    hidden = len(network.members) - len(members)
    return Graph(
        SIZE, list(nodes.values()), lines[:MAX_LINES], hidden, max(0, len(lines) - MAX_LINES)
    )
