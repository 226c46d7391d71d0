"""Indicator labels for the UI (from `adwatch.vocabulary`; the UI never imports scoring)."""

from __future__ import annotations

from adwatch.vocabulary import indicator_labels

load_indicator_labels = indicator_labels


def label_of(labels: dict[str, str], code: str) -> str:
    """The label of a code, or the code itself when the configuration no longer knows it."""
    return labels.get(code, code)
