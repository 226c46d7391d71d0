"""The sixth round's families for ages, minor cues and prices, each with invented wordings beyond
the corpus and near misses that must stay quiet (docs/scoring.md, "Sixth round: ages, minor cues
and prices").
"""

from __future__ import annotations

from datetime import date

import pytest

from scoring.ages import stated_ages
from scoring.indicators import AdText
from scoring.prices import hourly_prices, hourly_rate
from scoring.score import score_ad

TODAY = date(2026, 12, 7)


def _ages(text: str) -> list[int]:
    return [a.age for a in stated_ages(text, TODAY)]


def _analysis(scorer, text: str, title: str = ""):
    return scorer.analyse(AdText(1, text, title))


def _codes(scorer, text: str, title: str = "") -> set[str]:
    return {h.code for h in _analysis(scorer, text, title).hits}


AGES = [
    # worked out: differences, sums of several terms, products, halves, estimates
    ("Ze is twee jaar jonger dan twintig. Zeist.", 18),
    ("Mila is precies 1 jaar ouder dan achttien, Zeist.", 19),
    ("Mijn broer is 22 en ik ben drie jaar jonger. Zeist.", 19),
    ("Ik ben ruim een jaar over de 18, Zeist.", 19),
    ("Leeftijd: negentien min twee. Zeist.", 17),
    ("Leeftijd? 3 x 6, reken maar uit.", 18),
    ("Ik ben 2 keer 10 jaar jong.", 20),
    ("She's half of 38, Zeist.", 19),
    ("Mijn leeftijd: 5+5+5+4, raad maar", 19),
    ("Een jaar of zestien, stil en klein.", 16),
    # Roman numerals and binary in an age slot
    ("Fleur, XIX, Zeist.", 19),
    ("Leeftijd: XVII (Romeins)", 17),
    ("Age: X + VIII", 18),
    ("leeftijd: 10010", 18),
    # birth years as a kind of person, "van <year>", born on a named day, a date of birth
    ("Een echte 2008-er uit Zeist.", 18),
    ("Meisjes van 2009 en 2010 bij ons.", 17),
    ("Lentekindje uit 2007, Zeist.", 19),
    ("Geboren op Koningsdag 2008.", 18),
    ("Geboortedatum: 14-03-2009", 17),
    ("geb. 20/12/2008 in Utrecht", 17),
    ("DOB 2008-01-02", 18),
    # adulthood just reached, birthdays behind or ahead
    ("Sinds zondag legaal, Zeist.", 18),
    ("Drie dagen 18 en nu al hier.", 18),
    ("Net de 18 bereikt, Zeist.", 18),
    ("Mag sinds kort eindelijk stemmen.", 18),
    ("Ze vierde gisteren haar negentiende.", 19),
    ("Ze viert volgende maand haar zestiende.", 15),
    ("Vorige maand was ze nog 19.", 20),
    ("Not 17 yet, Zeist.", 16),
    ("Zij is 18 (nou ja, bijna)", 17),
    ("Ons nieuwe meisje is negentien.", 19),
    ("Onze aanwinst is 17, Zeist.", 17),
    # disguised spelling
    ("Ik ben Lea, n.e.g.e.n.t.i.e.n jaar.", 19),
    ("Kim, z3st13n, Zeist.", 16),
    ("Yara, 9tien lentes", 19),
    ("Vera, l8 jr, Zeist", 18),
    ("Lynn, t-w-i-n-t-i-g, Zeist", 20),
    # a first name with a diaeresis and a bare age, keycaps too
    ("Noëlle 19 ✨ Zeist", 19),
    ("Chloë 1️⃣8️⃣ Zeist", 18),
]


@pytest.mark.parametrize(("text", "age"), AGES)
def test_ages_in_the_sixth_rounds_forms(text: str, age: int) -> None:
    assert age in _ages(text)


NOT_AGES = [
    ("Al 19 jaar trouw aan mijn vaste klanten. Ik ben 44.", range(12, 21)),
    ("Mijn 20-jarig jubileum vier ik in mei.", range(12, 21)),
    ("Mijn fiets, bouwjaar 2008, rijdt nog prima.", range(12, 21)),
    ("Volkswagen Golf, bj 2009, 150.000 km, APK.", range(12, 21)),
    ("Een flesje wijn uit 2007 staat klaar.", range(12, 21)),
    ("Mijn zoon is net 18 geworden. Ik ben Lies, 47.", range(12, 21)),
    ("Mijn jongste is 17 en studeert. Ik ben Els, 45.", range(12, 21)),
    ("Puzzel: 9+9+9+9+9 = ?", range(12, 21)),
    ("17 december jarig, ik word 50!", range(12, 21)),
    ("Ik was 19 jaar lerares, nu ben ik 52.", range(19, 20)),
    ("18. Later vandaag vrij.", range(0)),  # an age, then a new thought: still read
    ("Geen 3 x 6 maar 4 x 6 meter kamer.", range(12, 21)),
]


@pytest.mark.parametrize(("text", "not_ages"), NOT_AGES)
def test_near_misses_are_no_young_ages(text: str, not_ages: range) -> None:
    assert not set(_ages(text)) & set(not_ages)


def test_an_age_before_a_new_thought_is_still_read() -> None:
    assert _ages("Lisa, 18. Samen of apart te boeken.") == [18]


def test_adulthood_just_reached_is_a_minor_cue_and_young(scorer) -> None:
    for text in (
        "Sinds dinsdag meerderjarig, Zeist. App 06 1234 5678",
        "Haar eerste stempas ligt sinds vorige week in de la. Zeist.",
        "Ze krijgt sinds maandag geen kinderbijslag meer. Zeist.",
        "My first legal beer was last week 🍺 Zeist.",
    ):
        analysis = _analysis(scorer, text)
        assert {"minor_cue", "young_age"} <= {h.code for h in analysis.hits}, text
        assert score_ad(analysis.hits, scorer.rules).tier == "hoog", text


def test_an_age_of_18_beside_a_birthday_just_past_is_just_18() -> None:
    for text in (
        "Lentekindje van 2008, verjaardag gisteren gevierd.",
        "Ik ben 18 en was afgelopen zaterdag jarig.",
    ):
        assert [(a.age, a.just) for a in stated_ages(text, TODAY)] == [(18, True)], text
    (age,) = stated_ages("Ik ben 18, verjaardag vorig jaar gevierd.", TODAY)
    assert not age.just


MINOR_CUES = [
    "Ze heeft morgen het 2e en 3e uur vrij. Zeist.",
    "Na het 7e uur kan ze langskomen. Zeist.",
    "Druk met haar profielwerkstuk, dus alleen in het weekend. Zeist.",
    "Heeft les tot half vier, daarna vrij. Zeist.",
    "Komt direct na de les. Zeist.",
    "Spijbelt soms voor een afspraak. Zeist.",
    "Zolang er geen school is, kan ze overdag. Zeist.",
    "Twee vriendinnen uit de 3e klas. Zeist.",
    "Ze gaat dinsdag naar bijles, dus dan niet. Zeist.",
    "Ze woont nog bij haar ouders, dus alleen overdag. Zeist.",
    "Daarna moet ze binnen zijn van haar ouders. Zeist.",
    "Ze moet om 23 uur binnen zijn. Zeist.",
    "Mag van haar moeder nog niet uit logeren. Zeist.",
    "Haar vader denkt dat ze aan het sporten is. Zeist.",
    "Mama denkt dat ik bij Sanne ben 🙊 Zeist.",
    "She still has a curfew, so early evenings only. Zeist.",
    "Ze mag pas volgend jaar op rijles. Zeist.",
]


@pytest.mark.parametrize("text", MINOR_CUES)
def test_school_life_and_parents_rules_are_minor_cues(scorer, text: str) -> None:
    analysis = _analysis(scorer, text)
    assert "minor_cue" in {h.code for h in analysis.hits}
    assert score_ad(analysis.hits, scorer.rules).tier == "hoog"


NOT_MINOR_CUES = [
    # her own children's school life, a worker's child, a cherry that is wood, colour or name
    "Tijdens de schoolvakanties ben ik dicht, mijn kinderen zijn dan thuis. Ik ben Eva, 41.",
    "Alleen onder schooltijd, want ik haal mijn kids om 15u. Ik ben Mira, 38.",
    "Mijn jongste is net 18 en gaat studeren. Ik ben Ans, 51. Zeist.",
    "Een tafel van kersenhout 🍒 in mijn studio. Ik ben 44.",
    "Mijn werknaam is Cherry 🍒 en ik ben 39. Zeist.",
    # a list refused at its end, a teacher's past, an adult's course
    "Rollenspel met schooluniform of een tienerthema doe ik niet. Ik ben 35.",
    "Ik geef les tot 15u en ontvang daarna. Ik ben Joke, 48.",
    "Het 2e uur is goedkoper: 1e uur 150, 2e uur 120. Zeist.",
]


@pytest.mark.parametrize("text", NOT_MINOR_CUES)
def test_someone_elses_youth_is_no_minor_cue(scorer, text: str) -> None:
    assert "minor_cue" not in _codes(scorer, text)


PRICES = [
    ("veertig euro het uur, Zeist", 40),
    ("Uurtje: vijfenveertig euro", 45),
    ("Per uur maar vijf-en-vijftig pieken.", 55),
    ("thirty bucks an hour", 30),
    ("Een uur = 3 briefjes van tien.", 30),
    ("Uurtje kost 4 tientjes.", 40),
    ("2 vijfjes per kwartier", 40),
    ("halfje 20, hele uur 150", 150),
    ("3 kwartier 45", 60),
    ("Half uurtje kennismaken voor 25 euro", 50),
    ("Een uurtje bij mij kost slechts 50 euro.", 50),
    ("Uurtje = 5O euro", 50),
    ("€ 45,- p.u.", 45),
    ("Prijs: 35 pu", 35),
    ("Tweeuurtje voor €110", 55),
    ("fifty euro for the whole hour", 50),
    ("€60 per half uur", 120),
]


@pytest.mark.parametrize(("text", "rate"), PRICES)
def test_hourly_rates_from_running_text(text: str, rate: int) -> None:
    found = hourly_rate(hourly_prices(text))
    assert found is not None and found.euro == rate


NOT_RATES = [
    ("Was 160 per uur, nu 120 per uur.", 160),
    ("Eerder stond hier 50 p/u, dat was een typfout: 150 p/u.", 50),
    ("Ik vraag geen €50 per uur zoals sommige clubs; mijn uur is €150.", 50),
    ("Parkeren €3,50 per uur om de hoek. Uur 170.", 50),
    ("Kamerhuur per tijdslot van 4 uur: €60.", 15),
    ("Uur 150, na 22u +€40 per uur.", 40),
    ("Castellum + regio. 160 p/u.", None),
]


@pytest.mark.parametrize(("text", "not_rate"), NOT_RATES)
def test_old_refused_and_extra_prices_are_not_the_rate(text: str, not_rate: int | None) -> None:
    rates = [p.euro for p in hourly_prices(text)]
    if not_rate is None:
        assert rates and rates[0] == 160
    else:
        assert not_rate not in rates


def test_a_written_out_amount_is_quoted_as_written() -> None:
    (price,) = hourly_prices("Uur = 2 briefjes van 20, ja echt")
    assert price.euro == 40
    assert price.text == "Uur = 2 briefjes van 20"
