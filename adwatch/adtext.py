"""The text of an ad version as scoring reads it, shared with the UI that highlights evidence.

Evidence offsets with `field: "text"` point into `analysed_text(...)`: the ad's body, then its
town, stated age, price list and revealed phone number on lines of their own. The body comes
first, so an offset that falls inside the body is an offset into the body as stored.
"""

from __future__ import annotations

from collections.abc import Sequence

SEPARATOR = "\n\n"


def analysed_text(
    text: str, prices: Sequence[str], phone_text: str, stated_age: str = "", town: str = ""
) -> str:
    """Body, town, stated age, price list and phone number as one text."""
    parts = [text]
    if town:
        parts.append(f"Plaats: {town}")
    if stated_age:
        parts.append(f"Leeftijd: {stated_age}")
    if prices:
        parts.append("\n".join(prices))
    if phone_text:
        parts.append(f"Telefoon: {phone_text}")
    return SEPARATOR.join(parts)
