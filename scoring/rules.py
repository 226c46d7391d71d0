"""Scoring's rules: the checked `config/indicators.yaml` from the core, and where scoring finds it.

The schema, its checks and the indicator codes live in the core (`adwatch.config.indicators`,
`adwatch.vocabulary`), so the UI and the reports read the same checked file; scoring compiles its
matchers from the `Rules` object `load_rules` returns.
"""

from __future__ import annotations

from pathlib import Path

from adwatch.config.indicators import Rules
from adwatch.config.indicators import load_indicators as load_rules
from adwatch.vocabulary import INDICATOR_CODES as ALL_CODES
from adwatch.vocabulary import TEXT_CODES

__all__ = ["ALL_CODES", "TEXT_CODES", "Rules", "default_rules_path", "load_rules"]


def default_rules_path() -> Path:
    """The repository's `config/indicators.yaml`."""
    return Path(__file__).resolve().parent.parent / "config" / "indicators.yaml"
