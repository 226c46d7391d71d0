"""scoring.phones: de-obfuscation, spans, and what must never be read as a phone number."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from scoring import phones
from scoring.phones import find_phones, phone_key
from tests.scoring.phone_scan import full_scan

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
    ("zero six twelve thirty\nfour zero zero zero one", "+31612340001"),
    ("zero six twelve thirty\u00a0four zero zero zero two", "+31612340002"),
    ("nul zes twaalf vier\u00a0en\u00a0dertig nul nul nul drie", "+31612340003"),
    ("bel OO31612340015!", "+31612340015"),
    ("NUL ZES TWAALF VIERENDERTIG NUL NUL NUL ACHT", "+31612340008"),
    ("nul zes één twee drie vier nul nul nul negen", "+31612340009"),
    ("\U0001f4de0612340012\U0001f618", "+31612340012"),
    ("Bel me: 06 \u2013 1234 \u2013 0017 \u20ac150", "+31612340017"),
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


# Pieces the pre-filter's one-byte-per-character shadow must not get wrong: characters beyond
# Latin-1 (dashes, emoji, NBSP, odd case folding), accents, upper case, look-alikes.
SHADOW_PIECES = [
    "06", "1234", "5678", "0612345678", "+31", "(0)6", "OO31", "O6", "l2", "ll2345678x", "oo",
    "OOO", "door", "nul", "ZES", "Een", "één", "tweeëntwintig", "vier en dertig", "Thirty-Four",
    "thirty\nfour", "\u00a0", "\x85", "\u2013", "\u2014", "\U0001f618", "\u20ac", "\u017fix",
    "\u0130", "\uff10\uff16", "\u0663\u0664", "1\ufe0f\u20e3", "caf\u00e9", "\u00e0zes",
    "zes\u00e0", "?", "#", "=", "21:00", "12-05-2024", "wa.me/", "|", "I",
]  # fmt: skip
SHADOW_SEPARATORS = [" ", "", "-", ".", "/", ", ", " en ", "\n", "\u00a0", "\u2013", "x"]


def test_windows_find_what_the_full_scan_finds_beyond_latin1() -> None:
    rng = random.Random(11)
    for _ in range(6000):
        text = "".join(
            rng.choice(SHADOW_PIECES) + rng.choice(SHADOW_SEPARATORS)
            for _ in range(rng.randint(1, 16))
        )
        assert find_phones(text) == full_scan(text), text


def test_window_reaches_back_over_look_alikes_before_a_late_digit() -> None:
    # Nine look-alikes and one digit: the chain from the digit alone is too short to be kept.
    assert phones._windows("x OlOllOOll9 y") == [(2, 12)]
