"""A phone number typed by an officer, in any notation, as the keyed hash scoring stores.

Phone numbers are kept only as keyed hashes (HMAC-SHA256 of the E.164 form with the instance
secret); a search hashes the typed number the same way and looks the hash up, so no index of plain
numbers exists anywhere. `tests/ui` checks that this agrees with `scoring.phones.phone_key`.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import phonenumbers

PHONE_KEY_PREFIX = "hmac-sha256:"
# Leading "00" (international prefix) and "(0)" after a country code are common in typed numbers.
_TRUNK_IN_BRACKETS = re.compile(r"\(0\)")


def e164_of(typed: str, region: str = "NL") -> str | None:
    """The E.164 form of one typed number: "06-12 34 56 78", "+31 (0)6 1234 5678", "0031 6 …"."""
    cleaned = _TRUNK_IN_BRACKETS.sub("", typed.strip())
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def search_key(typed: str, secret: str) -> str | None:
    """The keyed hash of a typed number, or None when it is not one valid number."""
    e164 = e164_of(typed)
    if e164 is None or not secret:
        return None
    digest = hmac.new(secret.encode(), e164.encode("ascii"), hashlib.sha256).hexdigest()
    return PHONE_KEY_PREFIX + digest
