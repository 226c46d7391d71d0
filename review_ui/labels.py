"""Indicator labels for the UI: loaded by `adwatch.vocabulary` (the UI never imports scoring)."""

from __future__ import annotations


def label_of(labels: dict[str, str], code: str) -> str:
    """The label of a code, or the code itself when the configuration no longer knows it."""
    return labels.get(code, code)
