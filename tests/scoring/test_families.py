"""Rule families written for wording the rules had not seen: each with invented examples.

Every family is tested with more than one wording and with a near miss that must stay quiet,
so a rule that only matches one ad's words fails here.
"""

from __future__ import annotations

import pytest

from scoring.ages import stated_ages
from scoring.indicators import AdText


def _codes(scorer, text: str, title: str = "") -> set[str]:
    return {h.code for h in scorer.analyse(AdText(1, text, title)).hits}


@pytest.mark.parametrize(
    "text",
    [
        "Roos, bijna achttien, wacht op je in Houten.",
        "Nog geen 18 maar wel nieuwsgierig. Houten.",
        "Leeftijd: 17+ · Houten",
        "Ze is pas sinds de zomer meerderjarig. Houten.",
        "Nog maar net volwassen, lief en verlegen. Houten.",
        "Leeftijd: 18 sinds gisteren! Houten.",
        "Zit nog op de middelbare, houdt van dansen. Houten.",
        "Piepjong en nog helemaal onervaren. Houten.",
        "Mijn tienerlijfje wacht op je. Houten.",
        "Officieel 18 😉 Houten.",
        "Ze wordt in april 18. Houten.",
    ],
)
def test_minor_cue_families(scorer, text: str) -> None:
    assert "minor_cue" in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Mijn tienerjaren liggen ver achter me, ik ben 45. Houten.",
        "Overdag ben ik docent op een middelbare school, 's avonds masseuse. Ik ben 39. Houten.",
        "Net als elke volwassen vrouw weet ik wat ik wil. Ik ben 41. Houten.",
        "Ik ben 33 en word in mei 34. Houten.",
    ],
)
def test_minor_cue_near_misses_stay_quiet(scorer, text: str) -> None:
    assert "minor_cue" not in _codes(scorer, text)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Ze wordt in maart 18.", 17),
        ("I'm turning 18 next week.", 17),
        ("Twee zussen, allebei 20.", 20),
        ("De oudste is 27, de jongste 19.", 19),
        ("Een meisje van negentien uit de buurt.", 19),
        ("Mijn vriendin is 20 maar lijkt jonger.", 20),
    ],
)
def test_ages_of_the_coming_birthday_and_of_others(text: str, age: int) -> None:
    assert age in {a.age for a in stated_ages(text)}


@pytest.mark.parametrize("text", ["Morgen wordt het 19 graden.", "Dames van 30 tot 45 jaar."])
def test_degrees_and_ranges_are_no_age(text: str) -> None:
    assert not [a for a in stated_ages(text) if a.age < 21]


@pytest.mark.parametrize(
    "text",
    [
        "Open van 12 tot 4 uur 's nachts, ook zondag. Houten.",
        "Bellen kan van 's middags tot 's ochtends. Houten.",
        "Geopend van 11 tot 05u. Houten.",
        "Geen sluitingstijd hier in Houten.",
        "Er is er altijd wel eentje wakker. Houten.",
        "Ze kan eigenlijk wel altijd. Houten.",
        "Dag of nacht, het maakt niet uit. Houten.",
        "Van vroeg tot laat, ook in het weekend. Houten.",
    ],
)
def test_always_available_families(scorer, text: str) -> None:
    assert "always_available" in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Open tot 1 uur 's nachts. Houten.",
        "Condoom is altijd verplicht. Houten.",
        "Niet 's nachts, alleen overdag. Houten.",
    ],
)
def test_always_available_near_misses_stay_quiet(scorer, text: str) -> None:
    assert "always_available" not in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ze is lief en rustig. Afspraken gaan via mij. Houten.",
        "Ze woont bij mij. Ik regel haar afspraken. Houten.",
        "Ik ben haar zwager en ik plan alles. Houten.",
        "Boeken kan via Lotte, 06 1234 0000. Houten.",
        "Contact alleen via vriendin. Houten.",
        "Receptie 06 1234 0000\nHouten",
        "Wij nemen de telefoon op en zeggen wie er is. Houten.",
        "Sandra, 34, ontvangt in Houten.",
    ],
)
def test_third_party_families(scorer, text: str) -> None:
    assert "third_party" in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben Sandra, 34, trans vrouw uit Houten. Bel mij.",
        "Mijn oude Volvo, ze staat in de garage. Ik ben Mia, 40, Houten. Bel mij.",
        "Ik ben nog steeds Ellen, 45, Houten.",
        "Ik regel alles zelf, geen tussenpersoon. Houten.",
    ],
)
def test_third_party_near_misses_stay_quiet(scorer, text: str) -> None:
    assert "third_party" not in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ze is gisteren met de trein aangekomen. Houten.",
        "Sinds dinsdag in Nederland. Houten.",
        "Ze is hier tijdelijk, daarna weer weg. Houten.",
        "Ze is deze maand in Houten.",
        "Woont sinds kort bij ons in Houten.",
    ],
)
def test_new_arrival_families(scorer, text: str) -> None:
    assert "new_arrival" in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Mannen denken soms dat ik net ben aangekomen, maar ik woon hier al 20 jaar. Houten.",
        "Leeftijd: 18 sinds maandag. Houten.",
        "Deze maand toert ze langs verschillende steden. Houten.",
        "Nieuwe advertentie, zelfde Mia. Houten.",
    ],
)
def test_new_arrival_near_misses_stay_quiet(scorer, text: str) -> None:
    assert "new_arrival" not in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Drie collega's, één nummer. Houten.",
        "Je kiest bij binnenkomst. Houten.",
        "Bel en vraag wie er vandaag is. Houten.",
        "De groep wisselt elke week. Houten.",
        "Andere dames ook aanwezig. Houten.",
    ],
)
def test_multiple_workers_families(scorer, text: str) -> None:
    assert "multiple_workers" in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ik huur een kamer in een pand waar ook andere dames werken, maar ik werk zelfstandig.",
        "Ook stellen welkom, of twee vriendinnen samen. Ik werk alleen. Houten.",
    ],
)
def test_multiple_workers_near_misses_stay_quiet(scorer, text: str) -> None:
    assert "multiple_workers" not in _codes(scorer, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Alles kan, ook zonder. Houten.", "unsafe_services"),
        ("Bij mij mag alles. Houten.", "unsafe_services"),
        ("Locatie: hotel, kamer 4. Houten.", "hotel_location"),
        ("Ze ontvangt in een hotelletje bij Houten.", "hotel_location"),
    ],
)
def test_unsafe_and_hotel_families(scorer, text: str, code: str) -> None:
    assert code in _codes(scorer, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ook zonder afspraak welkom. Houten.", "unsafe_services"),
        ("We ontmoeten elkaar in de lobby van hotel Houten voor een drankje.", "hotel_location"),
    ],
)
def test_unsafe_and_hotel_near_misses_stay_quiet(scorer, text: str, code: str) -> None:
    assert code not in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Born in 2001 and proud. Houten. Bel 06 1234 0000",
        "Vroeger werkte ik in Utrecht, nu alleen in Houten.",
        "Houten, vlak bij de grens Nieuwegein.",
    ],
)
def test_multi_city_near_misses_stay_quiet(scorer, text: str) -> None:
    assert "multi_city" not in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Vandaag aanwezig: Sanne, Eva & Noor. Houten.",
        "Ik plan de week voor Demi en Joyce. Houten.",
        "Wo: Iris + Femke\nHouten",
    ],
)
def test_a_list_of_names_is_several_workers(scorer, text: str) -> None:
    assert "multiple_workers" in _codes(scorer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben Sanne uit Houten. Groetjes, Sanne",
        '"Eva en Noor raadden je aan," schreef een klant. Ik ben Lotte, Houten.',
    ],
)
def test_one_name_or_a_quoted_list_is_not(scorer, text: str) -> None:
    assert "multiple_workers" not in _codes(scorer, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Alles zonder? Nee. Altijd met condoom. Houten.", "unsafe_services"),
        ("Zonder bescherming doe ik niks. Houten.", "unsafe_services"),
        ("Mijn oude profiel is weg, dus hier een nieuwe. Houten.", "new_arrival"),
        ("Ik ben een paar dagen weg op familiebezoek. Houten.", "new_arrival"),
    ],
)
def test_denials_after_a_mark_and_new_things(scorer, text: str, code: str) -> None:
    assert code not in _codes(scorer, text)


def test_a_denial_in_the_next_clause_is_not_about_the_match(scorer) -> None:
    text = "Ze kan eigenlijk wel altijd, ze doet niks. Houten."
    assert "always_available" in _codes(scorer, text)
