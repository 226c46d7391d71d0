"""The signal engine: negation, numbers with units, voice, normalisation, places, tiers."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.ages import stated_ages
from scoring.indicators import AdText
from scoring.prices import hourly_prices, hourly_rate
from scoring.score import score_ad


def _codes(scorer, text: str, title: str = "") -> set[str]:
    return {h.code for h in scorer.analyse(AdText(1, text, title)).hits}


def _stopped(scorer, text: str) -> list[tuple[str, str, str]]:
    return [(s.code, s.reason, s.detail) for s in scorer.analyse(AdText(1, text)).stopped]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("24/7? Nee, alleen op afspraak. Houten.", "always_available"),
        ("Bareback doe ik niet. Houten.", "unsafe_services"),
        ("No bareback, never. Houten.", "unsafe_services"),
        ("Zonder condoom? NOOIT. Houten.", "unsafe_services"),
        ("Ik werk nooit zonder condoom in Houten.", "unsafe_services"),
        ("Niet mogelijk: bareback, zonder condoom. Houten.", "unsafe_services"),
        ("Ik krijg vaak de vraag of ik in een hotel werk. Nee, thuis in Houten.", "hotel_location"),
        ("Geen hotelbezoek, alleen bij mij thuis in Houten.", "hotel_location"),
        ("I am not available 24/7 in Houten.", "always_available"),
        ("Nieuw in Houten? Nee, ik woon hier al jaren.", "new_arrival"),
    ],
)
def test_denials_in_every_form_stop_the_match(scorer, text: str, code: str) -> None:
    assert code not in _codes(scorer, text)
    assert any(c == code and reason == "negation" for c, reason, _ in _stopped(scorer, text))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Geen haast, maar wel 24/7 bereikbaar in Houten.", "always_available"),
        ("24/7? Ja! Bel me in Houten.", "always_available"),
        ("Geen probleem, ook zonder condoom in Houten.", "unsafe_services"),
        ("Ontvang in mijn hotelkamer in Houten.", "hotel_location"),
    ],
)
def test_what_is_not_denied_stands(scorer, text: str, code: str) -> None:
    assert code in _codes(scorer, text)


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("Ik ben Jade, negentien jaar", [19]),
        ("Fleur 2\ufe0f\u20e30\ufe0f\u20e3 jaar", [20]),
        ("vorige week 18 geworden", [18]),
        ("Yara vierde haar twintigste verjaardag", [20]),
        ("geboren 2007, Houten", [19]),
        ("bj. 2008", [18]),
        ("Mira (22), Ines (24)", [22, 24]),
        ("Iris, twenty, tiny", [20]),
        ("17 min lopen van het station, 18 km van Utrecht", []),
        ("1.70 m, maat 38, 64 kg, €180", []),
        ("Alleen 18+, vanaf 18 jaar", []),
        ("al 18 jaar in het vak, 20 years experience", []),
        ("voel me weer 18!", []),
        ("Wed–Sat, 12–20h", []),
        ("Sara. XIX jaar. Houten.", [19]),
        ("Daisy, achttien lentes, Houten", [18]),
        ("Nw. 18. dag/nacht.", [18]),
        ("Elke (twintig), Jasmijn en Bo", [20]),
        ("Ik ben al lang geen 19 meer, haha", []),
        ("'Nieuw' zoals mijn auto nieuw is: 14 jaar oud", []),
        ("Open tot. 18. Bel", []),
    ],
)
def test_ages_carry_their_form_and_numbers_their_unit(text: str, ages: list[int]) -> None:
    found = [a.age for a in stated_ages(text, date(2026, 12, 1))]
    assert found == ages


def test_a_number_with_a_unit_never_sends_an_ad_to_hoog(scorer) -> None:
    analysis = scorer.analyse(AdText(1, "Ik kom naar je toe tot 17 km rond Houten. Ik ben 41."))
    assert score_ad(analysis.hits, scorer.rules).tier != "hoog"
    stopped = scorer.analyse(AdText(1, "Masseuse, net 18 jaar in het vak, Houten."))
    assert "minor_cue" not in {h.code for h in stopped.hits}
    assert ("minor_cue", "unit", "not an age") in [
        (s.code, s.reason, s.detail) for s in stopped.stopped
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Mila ontvangt je graag in haar appartement in Houten.",
        "Haar zus neemt de telefoon op en maakt de afspraken. Houten.",
        "Reserveren via de receptie, Houten.",
        "Receptie: 06 1234 0001, Houten",
        "Our driver brings her to you in Houten.",
        "She (22) meets men in Houten.",
    ],
)
def test_third_party_voice(scorer, text: str) -> None:
    assert "third_party" in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Kiki, 19. Afspr. via manager: 06 9700 1120.",
        "Hello sir, I am the manager of Kira and Luna, in Houten.",
        "For booking call the office, Houten.",
        "Ik plaats deze advertentie voor mijn zus, zij woont in Houten.",
        "Voor mijn vriendin Yara, want zij is zelf te verlegen 🙈 ik regel haar agenda, Houten",
    ],
)
def test_go_betweens_beside_contact_words(scorer, text: str) -> None:
    assert "third_party" in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        'Ik ben Eva. "Zij is echt een schat" - Jeroen. Houten.',
        "Ik woon met mijn kat Pip in Houten, zij is de baas.",
        "Ik rijd in mijn oude auto naar je toe; ze is traag maar komt er. Houten.",
        "Geen receptie, geen chauffeur: je belt gewoon mij. Houten.",
        "Ik regel mijn afspraken zelf, geen manager. Houten.",
    ],
)
def test_quotes_pets_objects_and_independence_are_not_third_party(scorer, text: str) -> None:
    assert "third_party" not in _codes(scorer, text)


def test_normalised_spelling_matches_and_evidence_quotes_the_ad(scorer) -> None:
    ad = AdText(1, "Altijd beschikbar en z0nder condoom, heeeel lief. Houten.")
    hits = {h.code: h for h in scorer.analyse(ad).hits}
    assert hits["always_available"].evidence[0].text == "Altijd beschikbar"
    assert hits["unsafe_services"].evidence[0].text == "z0nder condoom"
    assert "minor_cue" not in _codes(scorer, "Muziek uit mijn teenage jaren. Houten.")


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("½u 90 | 1u 160", 160),
        ("kwartier 20 / half uur 30", 60),
        ("Half uur 30 uur 50.", 50),
        ("50 p/u, geen gedoe", 50),
        ("1u 180 ➕ reistoeslag €25", 180),
        ("+€30 per uur reistoeslag", None),
        ("30min 70 / 1hour 120", 120),
        ("Price 25 euro half hour.", 50),
    ],
)
def test_hourly_prices_from_shorthand(text: str, rate: int | None) -> None:
    found = hourly_rate(hourly_prices(text))
    assert (found.euro if found else None) == rate


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Just turned eighteen last month, very shy. Houten", {"minor_cue", "young_age"}),
        ("Daisy, achttien lentes, nét. Houten.", {"minor_cue", "young_age"}),
        ("Nw! Hout. 19j. dag/nacht.", {"new_arrival", "young_age", "always_available"}),
        ("She is new in the Netherlands, she came last week. Houten", {"new_arrival"}),
        ("In Houten from Friday to Monday only.", {"new_arrival"}),
        ("Wij hebben deze maand drie dames in Houten.", {"third_party", "multiple_workers"}),
    ],
)
def test_translated_and_telegram_wording(scorer, text: str, codes: set[str]) -> None:
    found = _codes(scorer, text)
    assert codes <= found, found
    if "minor_cue" in codes:
        analysis = scorer.analyse(AdText(1, text))
        assert score_ad(analysis.hits, scorer.rules).tier == "hoog"


def test_a_count_or_a_past_life_is_no_landmark(scorer) -> None:
    assert "multi_city" in _codes(
        scorer, "Wij brengen onze dames 24/7 naar Houten, Utrecht en Zeist."
    )
    assert "multi_city" not in _codes(scorer, "Opgegroeid in Nieuwegein, woon nu in Houten.")
    assert "multi_city" not in _codes(scorer, "Studeerde ooit in Leuven, nu al jaren in Houten.")


def test_places_see_every_town_and_landmarks_do_not_count(scorer) -> None:
    schedule = "ma: Houten\ndi: Zwolle\nwo: A'dam\ndo: Dbosch"
    city = next(h for h in scorer.analyse(AdText(1, schedule)).hits if h.code == "multi_city")
    assert set(city.evidence[0].value) == {
        "(gemeente)",
        "Zwolle",
        "Amsterdam",
        "'s-Hertogenbosch",
    }
    for text in (
        "In Houten, tussen Utrecht en Culemborg in.",
        "Houten, 10 min van Utrecht, vlakbij Nieuwegein en Bunnik.",
        "Kom je ook naar Utrecht of Zeist? Nee, alleen Houten.",
        "Houten, Schalkwijk, 't Goy en Tull en 't Waal.",
    ):
        assert "multi_city" not in _codes(scorer, text), text


def test_postcode_with_context_is_in_scope(places) -> None:
    assert places.in_scope("Ik ontvang bij postcode 3994, rustig gelegen.")
    assert not places.in_scope("Een groot houten bed en een houten vloer.")


def test_tiers_mean_urgency(scorer) -> None:
    rules = scorer.rules
    minor = scorer.analyse(AdText(1, "Net 18 \U0001f352 Houten."))
    assert score_ad(minor.hits, rules).tier == "hoog"
    one = scorer.analyse(AdText(1, "Zonder condoom, alles mag. Houten."))
    assert score_ad(one.hits, rules).tier != "hoog"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x" * 1_000_000,
        "\U0001f352" * 5000,
        "Привет 你好 مرحبا Houten 24/7 ❤️",
        "broken \udcff\ud800 surrogates \x00 nul",
        "0" * 10_000,
        "06 " * 20_000,
    ],
)
def test_bad_input_gets_a_result(scorer, text: str) -> None:
    analysis = scorer.analyse(AdText(1, text, title=text[:100]))
    assert analysis.failures == ()
    assert score_ad(analysis.hits, scorer.rules).tier in {"hoog", "middel", "laag", "geen"}
