"""multi_city sees towns written as one list word ("Houten/Zeist/Amersfoort"), invented examples."""

from __future__ import annotations

import pytest

from scoring.indicators import AdText
from scoring.pipeline import AdScorer

FOUND = [
    "Ik werk deze week in Houten/Zeist/Amersfoort.",
    "Tour: Dbosch-Tilburg-Houten",
    "Ontvangst Utrecht|Houten, bel gerust",
    "Houten-Zuid/Nieuwegein, ook hotel",
]
QUIET = [
    "Ik ontvang in Houten-Zuid, vlakbij het station.",
    "Rustig adres in Houten, mooi eiken/houten bed.",
    "Ik woon in Houten, op 10 min van Utrecht/Zeist.",
    "Ik ontvang in Houten. Mijn oma woont in Zeist-West.",
    "Ontvangst in Wijk bij Duurstede.",
]


@pytest.fixture(scope="module")
def codes(scorer: AdScorer):
    return lambda text: {h.code for h in scorer.analyse(AdText(1, text)).hits}


@pytest.mark.parametrize("text", FOUND)
def test_a_list_of_towns_is_several_towns(codes, text: str) -> None:
    assert "multi_city" in codes(text)


@pytest.mark.parametrize("text", QUIET)
def test_one_town_with_a_dash_or_a_landmark_list_is_not(codes, text: str) -> None:
    assert "multi_city" not in codes(text)
