"""The sixth round's structure families, each with invented wordings and near misses: edited ads
read as they stand now, words spelled apart to dodge a filter, round-the-clock words that are not
about hours, emoji as clause breaks, newness idioms, and towns an edit takes back.
"""

from __future__ import annotations

import pytest

from scoring.corrections import retractions
from scoring.indicators import AdText


def _codes(scorer, text: str, title: str = "") -> set[str]:
    return {h.code for h in scorer.analyse(AdText(1, text, title)).hits}


# An edit takes an older line back: the signal it held is gone.
TAKEN_BACK = [
    ("always_available", "Bereikbaar ~~dag en nacht~~ ma t/m vr 10-18u. Houten."),
    ("always_available", "Update 4/11: 24/7 is voorbij, ik werk nu op afspraak. Houten."),
    ("always_available", "(oud) altijd bereikbaar\nNu alleen wo-za. Houten."),
    ("always_available", "Vroeger: rond de klok. Nu alleen overdag. Houten."),
    ("multiple_workers", "(oud) met z'n drieën in huis\nEDIT: ik ben nog de enige. Houten."),
    ("multiple_workers", "Wij waren met 2 meiden. Update: geen duo meer, alleen ik. Houten."),
    ("multiple_workers", "Was: 4 dames, nu alleen ik. Houten."),
    ("hotel_location", "Correctie: hotelbezoeken gestopt. Thuis in Houten."),
    ("hotel_location", "~~ook in een hotelkamer~~ alleen privé. Houten."),
    ("unsafe_services", "[oud] alles kan\nCORRECTIE: oude tekst, ik werk veilig. Houten."),
    ("third_party", "(was: Esmee en haar vriendin)\nEsmee is gestopt. Ik werk alleen. Houten."),
    ("multi_city", "Houten en ~~Bunnik~~. Groetjes, Ilse."),
    ("multi_city", "Edit: in Culemborg werk ik niet meer. Alleen Houten."),
    ("multi_city", "Niet langer in Zeist, vanaf nu Houten-Zuid."),
    ("multi_city", "Eerst: Houten + Vianen. Update: Vianen is gestopt, alleen Houten."),
]


@pytest.mark.parametrize(("code", "text"), TAKEN_BACK)
def test_an_edit_takes_the_signal_back(scorer, code: str, text: str) -> None:
    assert code not in _codes(scorer, text)


# A line that adds a signal adds it; an old note never takes back what is said now.
STILL_SAID = [
    ("always_available", "Update: baan opgezegd (oud: alleen weekend), nu dag en nacht te bellen."),
    ("always_available", "~~ma-vr 10-18~~ EDIT: nu 24/7 bereikbaar. Houten."),
    ("always_available", "24/7 was even voorbij, maar nu weer 24/7 bereikbaar. Houten."),
    ("multiple_workers", "(oud) alleen ik\nUPDATE: nu met 3 dames in huis. Houten."),
    ("multi_city", "~~alleen Houten~~ nu ook in Zeist en Houten."),
    ("multi_city", "Ik werk in Houten en Zeist, niet meer dan 2 uur per afspraak."),
    ("hotel_location", "Ik werk nu vanuit een hotelkamer in Houten, daarvoor thuis (oud adres)."),
]


@pytest.mark.parametrize(("code", "text"), STILL_SAID)
def test_what_the_ad_says_now_still_counts(scorer, code: str, text: str) -> None:
    assert code in _codes(scorer, text)


def test_a_retraction_is_shown_with_its_mark(scorer) -> None:
    analysis = scorer.analyse(AdText(1, "Bereikbaar ~~24/7~~ alleen overdag. Houten."))
    stopped = [s for s in analysis.stopped if s.code == "always_available"]
    assert stopped and stopped[0].reason == "retracted"
    assert stopped[0].cue is not None and stopped[0].cue.text == "~~"


def test_retracted_parts_are_where_the_marks_say() -> None:
    text = "Zeist (oud). Nu Houten. (oud) drie dames\nEerst: Bunnik. was 2 meiden, nu ik"
    parts = [text[r.start : r.end] for r in retractions(text)]
    assert "Zeist " in parts
    assert "drie dames" in " ".join(parts)
    assert "Bunnik" in " ".join(parts)
    assert "2 meiden" in parts
    assert not any("Houten" in p for p in parts)
    assert retractions("Houd het oud en vertrouwd? Nee, gewoon Houten.") == ()


# Words written apart to dodge a filter, read as the word the rules use.
SPELLED = [
    ("new_arrival", "n i e u w in Houten, bel snel"),
    ("new_arrival", "N.I.E.U.W in de regio, kom langs"),
    ("new_arrival", "nieu🌸w in Houten, kom langs"),
    ("new_arrival", "n!euw in Houten deze week"),
    ("hotel_location", "Ontvang in een h.o.t.e.l in Houten"),
    ("hotel_location", "ik zit in een h 0 t e l in Houten"),
    ("unsafe_services", "Alles kan, ook z-o-n-d-e-r. Houten"),
    ("always_available", "Bereikbaar 2 4 / 7 in Houten"),
]


@pytest.mark.parametrize(("code", "text"), SPELLED)
def test_spelled_out_words_are_read(scorer, code: str, text: str) -> None:
    assert code in _codes(scorer, text)


def test_a_spelled_out_denial_denies(scorer) -> None:
    assert "always_available" not in _codes(scorer, "Ik ben n.i.e.t 24/7 bereikbaar. Houten")
    assert "unsafe_services" not in _codes(scorer, "Z.o.n.d.e.r? N-o-o-i-t. Houten")


def test_numbers_quotes_and_marks_are_not_joined(scorer) -> None:
    analysis = scorer.analyse(AdText(1, 'Bel 0 6 1 2 3 4 5 6 7 8 of "Zij is lief" zegt een klant'))
    assert analysis.extraction.e164_phones == ("+31612345678",)
    assert "third_party" not in {h.code for h in analysis.hits}
    assert "always_available" in _codes(scorer, "dag&nacht open in Houten")
    doc = scorer.indicators.nlp.make_doc("1.8 m, €1.950, 10.00-22.00, o.a. i.p.v.")
    toks = scorer.indicators.normaliser.tokens(doc)
    assert toks.norm[0] == "1.8" and "10.00-22.00" in toks.norm


def test_spelled_evidence_quotes_the_ad(scorer) -> None:
    hit = next(
        h for h in scorer.analyse(AdText(1, "n i e u w in Houten")).hits if h.code == "new_arrival"
    )
    assert hit.evidence[0].text.startswith("n i e u w")


# Round-the-clock words that are not about her hours.
NOT_HOURS = [
    "Na een massage voel je het dag en nacht verschil. Open di-za 11-20u. Houten.",
    "Het verschil met elders is als dag en nacht. Ma-vr 12-20u. Houten.",
    "Ik droom dag en nacht van de zee. Afspraak wo-vr. Houten.",
    "I think about my garden day and night. Tue-Fri only. Houten.",
    "Bewaakte parkeerplaats met 24/7 camera. Ma-za 12-22u. Houten.",
    "Het gebouw heeft 24/7 beveiliging. Ik werk di-do. Houten.",
    "Non-stop kletsen en lachen, op afspraak do-za. Houten.",
    "Bij elk uur een gratis drankje. Uur 170. Houten.",
    "Per mail altijd bereikbaar, afspraken di-za. Houten.",
    "Altijd open voor een grapje, maar afspraken alleen ma-vr 10-18u. Houten.",
    "Op vrijdag ook 's nachts open. Rest van de week 12-22. Houten.",
]


@pytest.mark.parametrize("text", NOT_HOURS)
def test_round_the_clock_words_about_something_else(scorer, text: str) -> None:
    assert "always_available" not in _codes(scorer, text)


HOURS = [
    "Dag en nacht bereikbaar in Houten.",
    "Altijd open, ook in het weekend. Houten.",
    "Bel op elk uur, elke dag. Houten.",
    "Elke dag open, ook 's nachts. Houten.",
    "Overdag en ook 's nachts te boeken. Houten.",
    "24/7 bereikbaar, ook via mail. Houten.",
    "Non-stop open in Houten.",
]


@pytest.mark.parametrize("text", HOURS)
def test_round_the_clock_hours_still_count(scorer, text: str) -> None:
    assert "always_available" in _codes(scorer, text)


def test_an_emoji_ends_the_clause_of_a_negation(scorer) -> None:
    assert "new_arrival" in _codes(scorer, "Net aangekomen 🐣 niet eens moe. Houten")
    assert "new_arrival" in _codes(scorer, "Just arrived ✈️ not tired at all. Houten")
    assert "unsafe_services" not in _codes(scorer, "🚫 bareback. Houten")
    assert "new_arrival" not in _codes(scorer, "Net aangekomen? Nee 🙂 al jaren hier. Houten")


NEW_FACES = [
    "Een nieuw gezicht in Houten, kom kennismaken.",
    "Verse gezichten deze week in ons huis in Houten.",
    "New face in town! Houten.",
]


@pytest.mark.parametrize("text", NEW_FACES)
def test_a_new_face_is_new(scorer, text: str) -> None:
    assert "new_arrival" in _codes(scorer, text)


def test_a_face_alone_is_never_read(scorer) -> None:
    assert "new_arrival" not in _codes(scorer, "Lief gezicht, al jaren in Houten.")


# Towns that are no work towns: travel times, a grown child's town.
def test_travel_times_and_a_childs_town_are_no_work_towns(scorer) -> None:
    assert "multi_city" not in _codes(scorer, "Zeist 10 min, Bunnik 5 min: ik zit in Houten.")
    assert "multi_city" not in _codes(
        scorer, "Mijn oudste gaat op kamers in Groningen. Ik ontvang in Houten."
    )
    assert "multi_city" in _codes(scorer, "Ik werk in Houten en in Zeist, 10 min van elkaar.")


# New-arrival and several-worker words about something else; the arrivals that still count.
NOT_NEW = [
    "Sinds zaterdag mag het officieel 😇 Houten.",
    "Since Monday I'm finally legal. Houten.",
    "Sinds vorige week geen handtekening van mijn ouders meer nodig. Houten.",
    "Deze week alleen dinsdagmiddag, daarna weer gewoon. Houten.",
    "Open tussen kerst en oud & nieuw. Houten.",
    "Net verhuisd, maar niet ver: drie straten verderop. Houten.",
    "Tarieven 2027 (nieuw!) 1u 180. Houten.",
]


@pytest.mark.parametrize("text", NOT_NEW)
def test_new_words_about_something_else(scorer, text: str) -> None:
    assert "new_arrival" not in _codes(scorer, text)


NEW = [
    "Over een week ben ik weer weg. Houten.",
    "Ik ben er maar even, daarna vertrek ik naar het zuiden. Houten.",
    "Vorige week mijn intrek genomen in Houten, ik ken hier nog niemand.",
    "Sinds vanochtend in Houten, net overgekomen.",
    "She's only here this week. Houten.",
    "Onze nieuwste aanwinst Kiki, Houten.",
    "Net verhuisd naar Houten, kom kennismaken.",
]


@pytest.mark.parametrize("text", NEW)
def test_new_arrivals_still_count(scorer, text: str) -> None:
    assert "new_arrival" in _codes(scorer, text)


def test_children_counted_are_no_workers(scorer) -> None:
    assert "multiple_workers" not in _codes(scorer, "Ik ben oma van drie kleintjes. Houten.")
    assert "multiple_workers" not in _codes(scorer, "Mijn twee kids zijn het huis uit. Houten.")
    assert "multiple_workers" in _codes(scorer, "Bij ons in huis: twee meiden. Houten.")


def test_towns_she_goes_round_between_are_work_towns(scorer) -> None:
    assert "multi_city" in _codes(scorer, "Ik pendel tussen Houten, Zeist en Bunnik.")
    assert "multi_city" in _codes(scorer, "I travel between Houten and Zeist every week.")
    assert "multi_city" not in _codes(scorer, "Mijn huis ligt tussen Houten en Bunnik in.")
    assert "multi_city" in _codes(scorer, "Ma Houten, wo N-gein, vr Utr.")


def test_a_hamlet_that_is_a_first_name_is_a_person_in_a_list(scorer) -> None:
    assert "multi_city" not in _codes(scorer, "Bij ons: Lies, Kaat en Roxy. Houten.")
    assert "multi_city" not in _codes(scorer, "Groetjes, Jet, 41, Houten.")


# Go-betweens no role list names: a person noun after a contact word, or opening a sentence
# with an arranging verb.
UNNAMED_GO_BETWEENS = [
    "Drie dames in ons kasteel. Afspraken via de hofdame: 06 1234 5678.",
    "Reserveren bij de kamermeester, Houten.",
    "Bel de tuinier en hij brengt Roos langs. Houten.",
    "De schipper regelt de afspraken. Houten.",
    "Alleen via de oude wachter, Houten.",
]


@pytest.mark.parametrize("text", UNNAMED_GO_BETWEENS)
def test_unnamed_go_betweens(scorer, text: str) -> None:
    assert "third_party" in _codes(scorer, text)


NOT_GO_BETWEENS = [
    "Je belt het huisnummer en ik doe open. Houten.",
    "Ik parkeer bij de bakker om de hoek. Houten.",
    "Afspraak? Even langs bij de kapper eerst 😉 Ik ben Roos, Houten.",
    "Via de achteringang kom je binnen. Ik ben Roos, Houten.",
    "De computer regelt niks, ik wel. Ik ben Roos, Houten.",
]


@pytest.mark.parametrize("text", NOT_GO_BETWEENS)
def test_things_and_trades_are_no_go_betweens(scorer, text: str) -> None:
    assert "third_party" not in _codes(scorer, text)


def test_the_houses_ranked_workers_are_several(scorer) -> None:
    assert "multiple_workers" in _codes(scorer, "Vanavond de liefste meiden van Houten, bel ons.")
    assert "multiple_workers" in _codes(scorer, "Kies uit de ladies of the house. Houten.")
    assert "multiple_workers" not in _codes(scorer, "De meeste dames die ik ken werken thuis.")
    assert "multiple_workers" not in _codes(scorer, "Beste dames en heren, ik ben Ilse. Houten.")


def test_the_same_claim_denied_once_is_denied_again(scorer) -> None:
    text = "People ask if I'm always open. Nope! Tue and Thu only. Houten."
    assert "always_available" not in _codes(scorer, text, title="Always open?")
    assert "always_available" in _codes(scorer, "Geen 24/7 drama, wel dag en nacht bereikbaar.")


def test_his_go_between_and_her_own_name(scorer) -> None:
    assert "third_party" in _codes(scorer, "Jonge jongen, alleen via zijn coach. Houten.")
    assert "third_party" in _codes(scorer, "Book only through their driver. Houten.")
    assert "third_party" not in _codes(scorer, "I'm Tamara, 38, discreet and calm. Houten.")
    assert "third_party" in _codes(scorer, "Tamara, 38, ontvangt je in Houten.")


def test_a_spouse_who_arranges(scorer) -> None:
    assert "third_party" in _codes(scorer, "Wij zijn met drie, mijn man neemt op.")
    assert "third_party" in _codes(scorer, "Haar vent regelt de afspraken. Houten.")
    assert "third_party" not in _codes(scorer, "Mijn man weet ervan. Ik ben Ria, Houten.")


def test_a_refused_trip_names_no_work_town(scorer) -> None:
    assert "multi_city" not in _codes(scorer, "Houten. Geen outcall naar Zeist of verder.")
    assert "multi_city" in _codes(scorer, "Niet alleen in Houten, ook in Zeist.")
