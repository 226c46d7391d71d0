"""Hypothesis fuzzing of phone parsing (issue 16): any text, hostile Unicode included, gives
valid E.164 numbers (or, marked unlisted, a Dutch mobile form) whose spans lie inside the text
and hold the digits they claim."""

from __future__ import annotations

import re

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.phones import e164_numbers, find_phones

PIECES = st.sampled_from(
    ["06", "0612345678", "+31", " 6 ", "-", ".", "(0)", "nul", "zes", "O", "l", "٠٦", "０６",
     "\u200b", "\u202e", "12", "345", "678", "tel:", "\n", "Houten", "x" * 30]
)  # fmt: skip
HOSTILE = st.lists(PIECES | st.text(max_size=10), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_found_numbers_are_valid_and_inside_the_text(text: str) -> None:
    found = find_phones(text)
    for match in found:
        assert 0 <= match.start < match.end <= len(text)
        assert match.text == text[match.start : match.end]
        if match.listed:
            assert phonenumbers.is_valid_number(phonenumbers.parse(match.e164, None)), match
        else:  # kept in Dutch mobile form although its block is not listed (issue 13)
            assert re.fullmatch(r"\+316\d{8}", match.e164), match
        assert match.e164.startswith("+")
    assert e164_numbers(text) == list(dict.fromkeys(m.e164 for m in found))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_is_parsed_without_error(text: str) -> None:
    assert isinstance(find_phones(text), list)
