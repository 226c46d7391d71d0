"""The reference the windowed phone search is checked against: every digit run of the text."""

from __future__ import annotations

from scoring import phones


def full_scan(text: str) -> list[phones.PhoneMatch]:
    """What `phones.find_phones` must find, without its windows and prefilters."""
    plain = text.translate(phones._FANCY_DIGITS)
    found = []
    for run in phones._runs_in(plain, 0, None):
        found.extend(phones._numbers_in_run(run, text, plain, "NL"))
    if "06" in plain:
        found.extend(phones._split_numbers(text, plain, found))
    return sorted(phones._dedupe(found), key=lambda m: m.start)
