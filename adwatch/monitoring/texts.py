"""The Dutch names of the dashboard's own figures (tiers and decisions: `adwatch.vocabulary`)."""

from __future__ import annotations

from adwatch import vocabulary

# A forward recorded without a partner counts under "onbekend".
FORWARD_PARTNERS = {**vocabulary.PARTNERS, "onbekend": "Onbekend"}
FUNNEL = {
    "seen": "Advertenties gezien",
    "with_hits": "Met signalen",
    "decided": "Beoordeeld",
    "forwarded": "Doorgezet",
    "feedback": "Terugkoppeling ontvangen",
}
