"""The location scope: Houten the place, not houten the adjective."""

from __future__ import annotations

from pathlib import Path

import pytest

from adwatch.locations import LocationMatcher

CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.fixture(scope="module")
def matcher() -> LocationMatcher:
    return LocationMatcher.from_config_dir(CONFIG)


@pytest.mark.parametrize(
    "text",
    [
        "Nieuw in Houten, bel snel",
        "nieuw in houten!",
        "Ontvangst in Schalkwijk",
        "Discreet adres in 't Goy",
        "Tull en 't Waal, rustig gelegen",
        "Vlakbij station Houten-Zuid",
        "Een Houtense dame",
        "Privé adres, postcode 3992 AB",
        "postcode 3995DB",
        "Bij het Castellum",
    ],
)
def test_in_scope(matcher: LocationMatcher, text: str) -> None:
    assert matcher.in_scope(text)


@pytest.mark.parametrize(
    "text",
    [
        "Lekker slapen op mijn houten bed",
        "Houten bed en een warme douche",
        "Een mooie houten vloer in Utrecht",
        "Ontvangst in Nieuwegein",
        "Wijk bij Duurstede en Culemborg",
        "Prijs 3995 euro",
        "Postcode 3511 AB Utrecht",
        "Bel 06 1234 3992",
        "",
    ],
)
def test_out_of_scope(matcher: LocationMatcher, text: str) -> None:
    assert not matcher.in_scope(text)


def test_mentions_carry_offsets_and_kinds(matcher: LocationMatcher) -> None:
    text = "Ik werk in Utrecht en Houten."
    mentions = matcher.find_places(text)
    assert [(m.canonical, m.kind, m.in_scope) for m in mentions] == [
        ("Utrecht", "neighbour_town", False),
        ("Houten", "place", True),
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_a_neighbour_town_with_a_houten_place_is_in_scope(matcher: LocationMatcher) -> None:
    assert matcher.in_scope("Nieuwegein of Schalkwijk, jij kiest")
