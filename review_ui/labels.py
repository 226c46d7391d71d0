"""Dutch labels of indicator codes from config/indicators.yaml (the UI never imports scoring)."""

from __future__ import annotations

from pathlib import Path

import yaml

from adwatch.errors import ConfigError


def load_indicator_labels(config_dir: Path) -> dict[str, str]:
    """Code → Dutch label, in the order the file lists the indicators."""
    path = config_dir / "indicators.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the indicator labels ({exc})") from exc
    indicators = data.get("indicators")
    if not isinstance(indicators, dict):
        raise ConfigError(f"{path}: key `indicators` is missing. Fix: restore the file.")
    return {str(code): str(spec.get("label", code)) for code, spec in indicators.items()}


def label_of(labels: dict[str, str], code: str) -> str:
    """The label of a code, or the code itself when the configuration no longer knows it."""
    return labels.get(code, code)
