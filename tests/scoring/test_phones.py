"""scoring.phones: de-obfuscation, spans, and what must never be read as a phone number."""

from __future__ import annotations

import phonenumbers
import pytest

from scoring.phones import find_phones, phone_key

FOUND = [
    ("bel 06-1234 5601!", "+31612345601"),
    ("tel:0612340002", "+31612340002"),
    ("06.123.400.10", "+31612340010"),
    ("06 12 34 00 04", "+31612340004"),
    ("+31 (0)6 1234 0007", "+31612340007"),
    ("+31 6 12340008", "+31612340008"),
    ("+31-6-1234-0227", "+31612340227"),
    ("0031 6 1234 0009", "+31612340009"),
    ("nul zes twaalf vierendertig nul nul nul zeven", "+31612340007"),
    ("nul zes, een twee, drie vier, nul nul, nul een", "+31612340001"),
    ("zero six one two three four zero zero zero four", "+31612340004"),
    ("zero six, twelve, thirty-four, zero one, thirty-nine", "+31612340139"),
    ("O6 l2 34 OO O5", "+31612340005"),
    ("O6-1234-O22O", "+31612340220"),
    ("0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣0️⃣0️⃣0️⃣6️⃣", "+31612340006"),
    ("０６１２３４００１４", "+31612340014"),
    ("wa.me/31612340011", "+31612340011"),
    ("06/12/34/02/26", "+31612340226"),
]

NOT_PHONES = [
    "prijzen: 15 min 40, 30 min 70, 1 uur 120 - open 06.00-23.00",
    "datum 06-12-2024 10:00",
    "3991 AB Houten, 21:00",
    "ik ben 19 jaar, 172 cm, 60 kg",
    "KvK 12345678, referentie 20240612 3456",
    "geboren 02-06-1996",
    "Tarieven: 06 min nvt | 15 min 45 | 30 min 75 | 1 uur 140",
    "een twee drie vier vijf",
    "zes een twee drie vier nul nul vier een",
]


@pytest.mark.parametrize(("text", "e164"), FOUND)
def test_obfuscated_and_plain_numbers_are_found(text: str, e164: str) -> None:
    matches = find_phones(text)
    assert [m.e164 for m in matches] == [e164]
    assert text[matches[0].start : matches[0].end] == matches[0].text


@pytest.mark.parametrize("text", NOT_PHONES)
def test_prices_dates_postcodes_ages_times_are_not_phones(text: str) -> None:
    assert find_phones(text) == []


def test_two_numbers_and_a_price_beside_them() -> None:
    text = "prijs 100 0612340013 of 06 1234 0014, 150 p/u"
    assert [m.e164 for m in find_phones(text)] == ["+31612340013", "+31612340014"]


def test_obfuscation_is_flagged() -> None:
    assert not find_phones("06 1234 0001")[0].obfuscated
    assert find_phones("nul zes twaalf vierendertig nul nul nul een")[0].obfuscated


def test_placeholder_block_is_valid_nl_mobile() -> None:
    number = phonenumbers.parse("0612349999", "NL")
    assert phonenumbers.is_valid_number(number)
    assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def test_phone_key_is_keyed_and_prefixed() -> None:
    key = phone_key("+31612340001", b"secret-a")
    assert key.startswith("hmac-sha256:") and len(key) == len("hmac-sha256:") + 64
    assert key == phone_key("+31612340001", "secret-a")
    assert key != phone_key("+31612340001", b"secret-b")
    with pytest.raises(ValueError, match="secret"):
        phone_key("+31612340001", b"")
