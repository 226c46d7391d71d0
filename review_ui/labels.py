"""Indicator labels in the UI (read by `adwatch.config.indicators`, never by scoring)."""

from __future__ import annotations


def label_of(labels: dict[str, str], code: str) -> str:
    """The label of a code, or the code itself when the configuration no longer knows it."""
    return labels.get(code, code)
