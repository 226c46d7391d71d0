"""The small-count rule: a count from 1 to 4 is shown as "< 5", so no person can be singled out.

Zero is shown as 0: it describes nobody. Derived figures over fewer than five ads (a median, a
percentile) are not shown at all.
"""

from __future__ import annotations

THRESHOLD = 5
SMALL = f"< {THRESHOLD}"


def is_small(count: int) -> bool:
    """Whether the count must be hidden behind "< 5"."""
    return 0 < count < THRESHOLD


def shown(count: int, *, suppress: bool = True) -> str:
    """The count as text: "< 5" for small counts when suppressing, Dutch thousands separator."""
    if suppress and is_small(count):
        return SMALL
    return f"{count:,}".replace(",", ".")


def enough(count: int) -> bool:
    """Whether a figure derived from `count` ads may be shown."""
    return count >= THRESHOLD
