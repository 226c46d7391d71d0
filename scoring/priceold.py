"""Prices that are not the ad's rate now: an old price replaced ("Was 150 per uur, nu 55"), a
typo taken back ("in de vorige versie stond '60 p/u', dat was een typfout"), or a price the
writer does not ask ("waarom ik geen €60 per uur vraag zoals sommige clubs").
"""

from __future__ import annotations

import re

_BEFORE = re.compile(
    r"\b(?:was|waren|eerst|vroeger|voorheen|previously|formerly|used\s+to\s+be|oude?\s+prijs|"
    r"old\s+price|stond(?:\s+er)?|geen|not|no|instead\s+of|in\s+plaats\s+van|i\.p\.v\.?|ipv)"
    r"[\s'\"‘’“”:]*$",
    re.I,
)
_AFTER = re.compile(
    r"^[^.!?\n]{0,40}?\b(?:typfout|typo|tikfout|vergissing|foutje|was\s+fout|klopte\s+niet|"
    r"zoals\s+(?:sommige|andere)|like\s+(?:some|other))",
    re.I,
)


def superseded(text: str, start: int, end: int) -> bool:
    """Whether the price at text[start:end] is an old, mistaken or refused one."""
    line_start = max(text.rfind("\n", 0, start), text.rfind(".", 0, start - 1), start - 30)
    return bool(_BEFORE.search(text, max(0, line_start + 1), start) or _AFTER.match(text[end:]))
