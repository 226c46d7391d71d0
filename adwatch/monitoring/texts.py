"""The Dutch names of tiers, decisions, partners and funnel stages in the dashboard and report."""

from __future__ import annotations

from adwatch import labels

DECISIONS = labels.DECISIONS
TIERS = labels.TIERS
PARTNERS = {**labels.PARTNERS, "onbekend": "Onbekend"}
FUNNEL = {
    "seen": "Advertenties gezien",
    "with_hits": "Met signalen",
    "decided": "Beoordeeld",
    "forwarded": "Doorgezet",
    "feedback": "Terugkoppeling ontvangen",
}


indicator_labels = labels.indicator_labels
