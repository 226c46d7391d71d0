"""The Dutch names of tiers, decisions, partners and funnel stages in the dashboard and report."""

from __future__ import annotations

from adwatch import vocabulary

DECISIONS = vocabulary.DECISIONS
TIERS = vocabulary.TIERS
PARTNERS = {**vocabulary.PARTNERS, "onbekend": "Onbekend"}
FUNNEL = {
    "seen": "Advertenties gezien",
    "with_hits": "Met signalen",
    "decided": "Beoordeeld",
    "forwarded": "Doorgezet",
    "feedback": "Terugkoppeling ontvangen",
}


indicator_labels = vocabulary.indicator_labels
