"""The vocabulary every room shares: each code list with its Dutch label, spelled once.

Tiers, indicator and link codes, decisions, partners, roles, run statuses, crawl alarms, capture
kinds, case steps and events, and the lengths of the officer's free texts. One place for scoring,
the UI, the dashboard and the reports; the database's CHECK constraints are built from these lists.
Indicator labels come from `config/indicators.yaml`, so the municipality can word them without code.
A test (tests/core/test_vocabulary.py) fails when a room spells one of these lists again.
"""

from __future__ import annotations

from typing import Literal, get_args

Tier = Literal["hoog", "middel", "laag", "geen"]
TIER_ORDER: tuple[Tier, ...] = get_args(Tier)  # most urgent first
TIERS: dict[Tier, str] = dict(zip(TIER_ORDER, ("Hoog", "Middel", "Laag", "Geen"), strict=True))
NO_TIER: Tier = TIER_ORDER[-1]  # an ad without indicators
SHOWN_TIERS = TIER_ORDER[:-1]  # the queue never lists NO_TIER
LOUD_TIERS = frozenset(TIER_ORDER[:2])  # hoog and middel: the tiers worth an officer's reading
QUIET_TIERS = frozenset(TIER_ORDER) - LOUD_TIERS

# The indicators that read one ad's text (their labels are in config/indicators.yaml).
TEXT_CODES = (
    "minor_cue",
    "young_age",
    "third_party",
    "multiple_workers",
    "new_arrival",
    "always_available",
    "unsafe_services",
    "low_price",
    "hotel_location",
    "multi_city",
)
# The codes of links between ads: they join ads into networks, never flag one ad alone.
LINK_CODES = ("phone_shared", "phone_rotation", "photo_reuse", "text_template")
INDICATOR_CODES = TEXT_CODES + LINK_CODES

MAX_REASON = 2000  # characters of a decision's reason
MAX_NOTE = 5000  # characters of a note, a case text or a partner's feedback

DECISIONS = {
    "geen_signaal": "Geen signaal",
    "monitoren": "Monitoren",
    "controle_voorbereiden": "Controle voorbereiden",
    "doorzetten": "Doorgezet",
    "terugkoppeling_ontvangen": "Terugkoppeling ontvangen",
    "teruggekoppeld_aan_melder": "Teruggekoppeld aan melder",
}
NO_SIGNAL = "geen_signaal"  # the officer read the ad and found nothing worth following
FORWARDED = "doorzetten"
CLOSING_DECISIONS = frozenset({NO_SIGNAL, "teruggekoppeld_aan_melder"})
OPEN_DECISIONS = frozenset(DECISIONS) - CLOSING_DECISIONS

PARTNERS = {
    "avim_politie": "AVIM / politie",
    "nla": "Nederlandse Arbeidsinspectie",
    "veilig_thuis": "Veilig Thuis",
    "zorgcoordinator_moviera": "Zorgcoördinator (Moviera)",
    "riec": "RIEC",
}

OFFICER, VIEWER, ADMIN = "officer", "viewer", "admin"
ROLES = {OFFICER: "Aandachtsfunctionaris", VIEWER: "Meelezer", ADMIN: "Beheerder"}

RUN_STATUSES = {
    "running": "bezig",
    "finished": "gelukt",
    "failed": "mislukt",
    "interrupted": "afgebroken",
}
FAILED_RUNS = ("failed", "interrupted")
ENDED_RUNS = ("finished", "failed")  # ran to an end of their own, so their WARC file is complete

STORAGE_FULL = "storage_full"
# What a crawl run raises the alarm about (crawler.runreport).
ALARM_KINDS = {
    "listing_empty": "Lijstpagina zonder advertenties",
    "ad_id_missing": "Link zonder advertentienummer",
    "blocked": "Geblokkeerd of CAPTCHA",
    "consent_wall": "Toestemmingsmuur niet gepasseerd",
    "field_truncated": "Veld ingekort tot de limiet",
    "required_missing": "Verplicht veld ontbreekt",
    "low_coverage": "Velden te vaak leeg (layout veranderd?)",
    "error_rate": "Te veel mislukte verzoeken",
    "listing_shrunk": "Lijstpagina's tonen geen advertenties meer",
    STORAGE_FULL: "Opslag vol",
    "storage_error": "Opslagfout",
}

# What a capture in an evidence pack is.
CAPTURE_KINDS = {
    "ad_page": "advertentiepagina",
    "phone_reveal": "opgevraagd telefoonnummer",
    "image": "foto",
    "resource": "onderdeel van de pagina (opgehaald door de browser)",
}

CASE_CLOSED = "afgesloten"
# The meldroute steps a case passes through, in order.
CASE_STEPS = {
    "open": "Geopend",
    "controle_voorbereiden": "Controle voorbereiden",
    "in_overleg": "In overleg met partners",
    "doorgezet": "Doorgezet, wacht op terugkoppeling",
    "terugkoppeling_ontvangen": "Terugkoppeling ontvangen",
    CASE_CLOSED: "Afgesloten",
}
# What can happen in a case; some kinds move the case to a step (notes and follow-ups do not).
CASE_EVENTS = {
    "notitie": "Notitie",
    "overleg": "Overleg met partners",
    "doorzetting": "Doorgezet",
    "terugkoppeling": "Terugkoppeling ontvangen",
    "opvolging": "Opvolgdatum gezet",
    "stap": "Stap gewijzigd",
}
STEP_OF_EVENT = {
    "overleg": "in_overleg",
    "doorzetting": "doorgezet",
    "terugkoppeling": "terugkoppeling_ontvangen",
}
