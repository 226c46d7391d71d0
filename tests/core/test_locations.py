"""The location scope: Houten the place, not houten the adjective."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from adwatch.config.scope import LocationMatcher, _drop_overlaps
from adwatch.config.scope import tokenizer_nlp as locations_nlp

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


def _full(matcher: LocationMatcher, text: str) -> list:
    """find_places without its pre-filter: tokenize every text whole."""
    found = [*matcher._phrase_mentions(matcher.nlp.make_doc(text)), *matcher._postcodes(text)]
    return _drop_overlaps(sorted(found, key=lambda m: (m.start, -(m.end - m.start))))


PIECES = [
    "Houten", "houten", "HOUTEN", "houten bed", "een houten", "Houten,", "(Houten)", "Houten-Zuid",
    "Tull en 't Waal", "Tull  en   't Waal", "'t Goy", "Schalkwijk.", "Houtense", "Utrecht",
    "Wijk bij Duurstede", "bij", "en", "de", "mooie", "vloer", "\n", "  ", "\t", "ik", "woon",
    "in", "kom", "uit", ",", "!", "06-12345678", "3992 AB", "café", "Ünïcode", "x" * 40,
]  # fmt: skip


def test_the_pre_filter_finds_exactly_what_the_whole_text_does(matcher: LocationMatcher) -> None:
    from application.demo.server import DemoPlatform

    texts = [ad.text for ad in DemoPlatform(seed=2026).ads_for_day(1)]
    rng = random.Random(7)
    for _ in range(3000):
        glue = [rng.choice([" ", "  ", "\n", "", "/", "-"]) for _ in range(12)]
        words = [rng.choice(PIECES) for _ in range(12)]
        texts.append("".join(w + g for w, g in zip(words, glue, strict=True)))
    for text in texts:
        assert matcher.find_places(text) == _full(matcher, text), text


@pytest.mark.parametrize(
    ("text", "towns"),
    [
        ("Houten/Zeist/Amersfoort", ["Houten", "Zeist", "Amersfoort"]),
        ("deze week Dbosch-Tilburg-Houten!", ["'s-Hertogenbosch", "Tilburg", "Houten"]),
        ("Utrecht|Houten", ["Utrecht", "Houten"]),
        ("Utrecht–Houten", ["Utrecht", "Houten"]),
        ("Houten-Zuid/Zeist", ["Houten-Zuid", "Zeist"]),
        ("Tilburg/'s-Hertogenbosch", ["Tilburg", "'s-Hertogenbosch"]),
        ("Etten-Leur/Breda", ["Etten-Leur", "Breda"]),
    ],
)
def test_towns_written_as_one_list_word_are_each_a_place(
    matcher: LocationMatcher, text: str, towns: list[str]
) -> None:
    found = matcher.find_places(text)
    assert [p.canonical for p in found] == towns
    assert all(text[p.start : p.end] == p.text for p in found)


@pytest.mark.parametrize(
    ("text", "towns"),
    [
        ("Wijk bij Duurstede", ["Wijk bij Duurstede"]),
        ("'s-Hertogenbosch", ["'s-Hertogenbosch"]),
        ("Houten-Zuid", ["Houten-Zuid"]),
        ("Etten-Leur", ["Etten-Leur"]),
        ("Zeist-West", []),
        ("Utrecht/omgeving", []),
        ("Jan-Pieterszoon-Coenstraat", []),
        ("een eiken/houten bed", []),
        ("24/7 en/of 06-12345678", []),
    ],
)
def test_dashed_names_and_words_stay_what_they_were(
    matcher: LocationMatcher, text: str, towns: list[str]
) -> None:
    assert [p.canonical for p in matcher.find_places(text)] == towns


def test_the_tokenizer_without_its_line_break_special_cases_gives_the_same_docs() -> None:
    import numpy as np
    import spacy
    from spacy.attrs import IDX, IS_SPACE, LOWER, NORM, ORTH, PREFIX, SHAPE, SPACY, SUFFIX

    stock, ours = spacy.blank("nl"), locations_nlp()
    attrs = [ORTH, NORM, LOWER, SPACY, IDX, IS_SPACE, SHAPE, PREFIX, SUFFIX]
    rng = random.Random(11)
    pieces = ["\n", "\n\n", " \n", "\t", "\xa0", "\r\n", " ", "  ", "Houten", "(", ".", "'s",
              "-", "\u2028", "a.s.", "o.a.", "'t", "Goy", "€", "50", ":", "😀", "x\n"]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 15)))
        expected, got = stock.make_doc(text), ours.make_doc(text)
        assert np.array_equal(expected.to_array(attrs), got.to_array(attrs)), repr(text)


def test_list_words_are_found_from_their_separators_as_from_every_token(
    matcher: LocationMatcher,
) -> None:
    from adwatch.config.placelists import LISTED, list_tokens

    rng = random.Random(5)
    pieces = ["a", "Houten", "/", "-", "|", "–", " ", "\n", "(", ")", "24/7", "x-y/z", "é"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        doc = matcher.nlp.make_doc(text)
        every = [i for i, token in enumerate(doc) if LISTED.search(token.text)]
        assert list(list_tokens(doc, text, set())) == every, repr(text)
