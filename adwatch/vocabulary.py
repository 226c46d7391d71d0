"""The vocabulary every room shares: each code list with its Dutch label, spelled once.

Tiers, decisions, partners, roles, run statuses, case steps and events, link codes and the lengths
of the officer's free texts. One place for scoring, the UI, the dashboard and the reports.
Indicator labels come from `config/indicators.yaml`, so the municipality can word them without code.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from adwatch.errors import ConfigError

TIERS = {"hoog": "Hoog", "middel": "Middel", "laag": "Laag", "geen": "Geen"}
TIER_ORDER = tuple(TIERS)  # most urgent first
SHOWN_TIERS = ("hoog", "middel", "laag")  # the queue never lists "geen"
LOUD_TIERS = frozenset({"hoog", "middel"})  # the tiers worth an officer's reading
# The codes of links between ads: they join ads into networks, never flag one ad alone.
LINK_CODES = ("phone_shared", "phone_rotation", "photo_reuse", "text_template")
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
PARTNERS = {
    "avim_politie": "AVIM / politie",
    "nla": "Nederlandse Arbeidsinspectie",
    "veilig_thuis": "Veilig Thuis",
    "zorgcoordinator_moviera": "Zorgcoördinator (Moviera)",
    "riec": "RIEC",
}
ROLES = {"officer": "Aandachtsfunctionaris", "viewer": "Meelezer", "admin": "Beheerder"}
RUN_STATUSES = {
    "running": "bezig",
    "finished": "gelukt",
    "failed": "mislukt",
    "interrupted": "afgebroken",
}
CASE_STEPS = {
    "open": "Geopend",
    "controle_voorbereiden": "Controle voorbereiden",
    "in_overleg": "In overleg met partners",
    "doorgezet": "Doorgezet, wacht op terugkoppeling",
    "terugkoppeling_ontvangen": "Terugkoppeling ontvangen",
    "afgesloten": "Afgesloten",
}
CASE_EVENTS = {
    "notitie": "Notitie",
    "overleg": "Overleg met partners",
    "doorzetting": "Doorgezet",
    "terugkoppeling": "Terugkoppeling ontvangen",
    "opvolging": "Opvolgdatum gezet",
    "stap": "Stap gewijzigd",
}


def indicator_labels(config_dir: Path) -> dict[str, str]:
    """Code → Dutch label, in the order `indicators.yaml` lists the indicators."""
    path = config_dir / "indicators.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the indicator labels ({exc})") from exc
    indicators = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(indicators, dict):
        raise ConfigError(f"{path}: key `indicators` is missing. Fix: restore the file.")
    return {str(code): str(spec.get("label", code)) for code, spec in indicators.items()}
