"""The Dutch names of tiers, decisions, partners and funnel stages in the dashboard and report."""

from __future__ import annotations

from pathlib import Path

import yaml

from adwatch.errors import ConfigError

TIERS = {"hoog": "Hoog", "middel": "Middel", "laag": "Laag", "geen": "Geen"}
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
    "onbekend": "Onbekend",
}
FUNNEL = {
    "seen": "Advertenties gezien",
    "with_hits": "Met signalen",
    "decided": "Beoordeeld",
    "forwarded": "Doorgezet",
    "feedback": "Terugkoppeling ontvangen",
}


def indicator_labels(config_dir: Path) -> dict[str, str]:
    """Code → Dutch label from `indicators.yaml`."""
    path = config_dir / "indicators.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the indicator labels ({exc})") from exc
    indicators = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(indicators, dict):
        raise ConfigError(f"{path}: key `indicators` is missing. Fix: restore the file.")
    return {str(code): str(spec.get("label", code)) for code, spec in indicators.items()}
