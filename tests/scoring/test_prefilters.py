"""The speed pre-filters change nothing: each is compared with the full computation it skips."""

from __future__ import annotations

import random
import re

import numpy as np
from spacy.matcher import Matcher

from scoring import extract, phones
from scoring.indicators import AdText, TextIndicators
from scoring.keyed import on_norm
from scoring.rules import Rules
from scoring.texttemplates import jaccard, shingles, similar_pairs
from tests.scoring.phone_scan import full_scan
from tests.scoring.quality import load_corpus

from .conftest import CORPUS_DIR

PIECES = [
    "06", "12", "34", "5678", "0612345678", "+31", "(0)", "6", "nul", "zes", "een", "twee",
    "vierendertig", "vieren dertig", "vier en dertig", "vier endertig", "tweeëntwintig",
    "thirty-four", "thirtyfour", "zero", "six", "Eén", "O6", "l2", "OO31", "oo", "OOO", "door",
    "geen", "1\ufe0f\u20e3", "\uff12", "\U0001d7d4", "wa.me/", "31612345678", "21:00",
    "12-05-2024", "€", "bel", "Tel:", "!", "\n", "\u017fix", "zes,", "twaalf", "Ik ben", "23",
    "jaar", "jr.", "y/o", "leeftijd:", "Lisa", "(19)", "net", "barely", "18+", "zij is",
    "zes06", "06zes", "_zes", "tweeën", "vierentwintig", "twintigste", "Thirty-Four", "meeen",
    "1 uur", "60 min", "EUR", "Euro", "150", "p/u", "per uur", "@", "a@b.nl", "T.ME/x",
    "api.whatsapp.com/send?phone=31612345678", "snapchat.com/add/x", "signal.me/#p",
]  # fmt: skip
SEPARATORS = [" ", "-", ".", " - ", "/", ", ", "", "  ", "_", "*", " en ", "x"]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    fuzz = [
        "".join(rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 14)))
        for _ in range(count)
    ]
    return fuzz + [f"{ad.title}\n\n{ad.text}" for ad in load_corpus(CORPUS_DIR)]


def test_phone_windows_find_what_the_full_scan_finds() -> None:
    for text in _texts(4000, 1):
        assert phones.find_phones(text) == full_scan(text), text


def test_email_messenger_filters_change_nothing() -> None:
    for text in _texts(3000, 4):
        assert [m.text for m in extract.emails(text)] == [
            m.group() for m in extract._EMAIL.finditer(text)
        ], text
        assert [m.text for m in extract.messenger_links(text)] == [
            m.group() for m in extract._MESSENGER.finditer(text)
        ], text


def test_keyed_patterns_match_like_the_whole_doc_matcher(rules: Rules) -> None:
    indicators = TextIndicators(rules)
    whole = Matcher(indicators.nlp.vocab)
    for code, rule in rules.indicators.items():
        if rule.patterns:
            whole.add(code, [on_norm(p) for p in rule.patterns])
    extra = [
        "fresh girl",
        "net 17",
        "schoolmeisje-look",
        "2 meiden",
        "nieuw in Houten",
        "hotel Ibis",
        "'officieel' 18",
        "ik ben “officieel” achttien, 'officieel 18'",
        "officieel 18 en op 'papier' 18",
        "'officially' eighteen '",
        "onze Lisa en onze houten vloer",
        "tot 04u, tot 05.00uur, tot 3 uur, tot 01",
        "24u service, 24 u open, 24/7",
        "net als, net 19, pas 18",
        "ONZE Mia",
    ]
    for text in _texts(1500, 3) + extra:
        doc = indicators.nlp.make_doc(text)
        toks = indicators.normaliser.tokens(doc, text)
        expected = sorted(whole(doc))
        assert sorted(indicators._pattern_matches(doc)) == expected, text
        # patterns without operators read from the token lists instead of the Matcher
        assert sorted(indicators._pattern_matches(doc, toks)) == expected, text
        indicators.pattern_spans(AdText(1, text))


def test_minhash_pairs_are_estimates_of_true_similar_pairs() -> None:
    rng = random.Random(4)
    words = [f"w{i}" for i in range(400)]
    texts = []
    for _ in range(60):
        base = rng.choices(words, k=60)
        for _ in range(3):
            text = list(base)
            for _ in range(rng.randint(0, 6)):
                text[rng.randrange(len(text))] = rng.choice(words)
            texts.append(" ".join(text))
    texts += ["", "een", "twee woorden"]
    sets = [shingles(t, 3) for t in texts]
    found = {(i, j): s for i, j, s in similar_pairs(texts, 0.6)}
    truth = {
        (i, j)
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if jaccard(sets[i], sets[j]) >= 0.7
    }
    assert len(truth & set(found)) >= 0.95 * len(truth)
    errors = [abs(s - jaccard(sets[i], sets[j])) for (i, j), s in found.items()]
    assert np.median(errors) < 0.1
    assert all(i < j for i, j in found)


def test_the_age_word_filter_changes_no_stated_age(monkeypatch) -> None:
    from scoring import ages

    words = [
        "tiener", "negentien", "Twintig", "eenentwintig", "een en dertig", "twenty-one",
        "twentyone", "TWELVE", "twaalf", "achttien", "jaar", "years", "ik ben", "canteen",
        "eighteen", "zeventig", "tachtig", "eenentachtig", "ſeventeen", "Lisa,", "(", ")",
        "negen tien", "zeven-tien", "achtien", "zestin", "zeventienjarige", "negentienjarig",
    ]  # fmt: skip
    rng = random.Random(9)
    texts = _texts(1500, 4) + [
        " ".join(rng.choice(words + PIECES) for _ in range(rng.randint(1, 12))) for _ in range(3000)
    ]
    fast = [ages.stated_ages(t) for t in texts]
    monkeypatch.setattr(ages, "may_state_age_in_words", lambda low: True)
    assert [ages.stated_ages(t) for t in texts] == fast


def test_word_led_age_patterns_tried_at_their_words_find_what_the_full_scan_finds(
    monkeypatch,
) -> None:
    from scoring import ageforms, ages, agestarts

    words = [
        "ik ben", "I'm", "Im", "ben", "leeftijd", "Age:", "lftd", "zijn allebei", "are both", "net",
        "Pas", "sinds kort", "recently", "freshly", "nog maar", "werd", "Turned", "became", "Lisa",
        "zij is", "She", "ZE", "is", "ben", "de jongste", "the oldest", "meisje van", "girl aged",
        "negentien", "Twintig", "eenentwintig", "een en dertig", "twenty-one", "ſix", "\u212aim",
        "achtien", "negen tien", "jaar", "geworden", "verjaardag", "bijna", "nog geen", "not yet",
        "almost", "nog 1 jaar tot de", "wordt", "gaat", "turning", "will be", "Leeftijden:",
        "t/m", "•", "XIX", "officieel", "geboren", "bj.", "bouwjaar", "model", "voorjaar", "Dec",
        "'07", "2007", "jarig", "12-05-2007", "bwjr", "(2006)", "Mia", "\n", "İk", "19", "20",
        "2oo9", "x2O07", "19o7", "2o1o", "\uff12\uff10", "lft:", "massage", "|",
        "Mon", "Ma", "Tel", "Maat", "xAnna", "Nikki", "Lina,", "(2007)", "Anna_", "negentien)",
    ]  # fmt: skip
    rng = random.Random(11)
    seps = [" ", ", ", "\n", "", " - ", ". "]
    texts = _texts(1500, 5) + [
        "".join(rng.choice(words + PIECES) + rng.choice(seps) for _ in range(rng.randint(1, 14)))
        for _ in range(4000)
    ]
    fast = [ages.stated_ages(t) for t in texts]
    monkeypatch.setattr(agestarts.WordStarts, "of", lambda self, heads: None)
    assert [ages.stated_ages(t) for t in texts] == fast
    unanchored = [
        (ages._PATTERNS[3], ages._SPLIT_PATTERNS[3][0]),
        (ages._PATTERNS[4], ages._SPLIT_PATTERNS[4][0]),
        (ages._BIRTH_YEAR[1], ages._BIRTH_YEAR_FAST[1]),
        (re.compile("\\b" + ages._NAME_AGE.pattern), ages._NAME_AGE),
    ]
    for text in texts:
        for anchored, fast in unanchored:
            assert [m.span() for m in anchored.finditer(text)] == [
                m.span() for m in fast.finditer(text) if ages._at_word_start(text, m)
            ], text
        year = ages._LOOKALIKE_YEAR_FAST.finditer(text)
        assert any(ages._at_word_start(text, m) for m in year) == bool(
            ages._LOOKALIKE_YEAR.search(text)
        ), text
        assert ageforms._may_hold_field(text.lower()) == bool(
            ageforms._FIELD_GATE.search(text.lower())
        ), text


def test_working_apart_gate_finds_what_the_whole_text_search_finds() -> None:
    from scoring import contextcues
    from scoring.tokens import Tokens

    words = [
        "ik", "we werken LOS VAN ELKAAR", "apart van elkaar", "Independently of each other",
        "doet niet mee", "doen hier niet mee", "doet dit werk niet", "not involved",
        "ſeparately from",
        "geen afspraken voor haar", "\u212aim", "İk", "ı", "Van Elkaar", "mee", "niet", "from",
    ]  # fmt: skip
    rng = random.Random(12)
    for text in [
        " ".join(rng.choice(words + PIECES) for _ in range(rng.randint(1, 10))) for _ in range(3000)
    ]:
        doc = Tokens([], ["ik"], [], [], [], [], [], text)
        found = contextcues._WORKING_APART.search(text)
        expected = None if found is None else found.span()
        assert contextcues.working_apart(doc) == expected, text


def test_recent_stated_ages_are_the_stated_ages() -> None:
    from scoring import ages

    texts = [f"{ad.title}\n\n{ad.text}" for ad in load_corpus(CORPUS_DIR)]
    for first, second in zip(texts, texts[1:] + texts[:1], strict=True):
        ages.stated_ages(first)
        assert ages.recent_stated_ages(first) == ages.stated_ages(first)
        assert ages.recent_stated_ages(second) == ages.stated_ages(second)


def test_split_word_hint_answers_like_the_one_regex() -> None:
    from scoring import splitwords

    rng = random.Random(7)
    alphabet = list("ab Z1_ \t\n.$@!|¡€😀\u2190\ufe0f\u200dé²Ⓐ-")
    samples = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20000)
    ]
    samples += ["n i e u w", "met u bij", "$chool", "nieu🌸w", "n!euw", "a@b.nl", "2 4 / 7"]
    for text in samples:
        assert splitwords._hinted(text) == bool(splitwords._HINT.search(text)), text


def test_sharper_recent_age_gates_change_nothing(monkeypatch) -> None:
    from scoring import agerecent

    phrases = ["18 sinds gisteren", "Legaal since last week", "twee weken oud 18", "a few days 18",
               "de 18 aangetikt", "19 sinds begin maart", "ik ben 18 ſinds 2 dagen", "ſince",
               "net 18 for two days", "Zoë is 18 sinds kort"]  # fmt: skip
    rng = random.Random(11)
    samples = [" ".join(rng.choice(phrases) for _ in range(rng.randint(1, 4))) for _ in range(400)]
    samples += _texts(200, 12)
    fast = [[(a, m.span(), j) for a, m, j in agerecent.recent_ages(t)] for t in samples]
    match_all = re.compile("")
    monkeypatch.setattr(agerecent, "_REACHED_SHARP", match_all)
    monkeypatch.setattr(agerecent, "_JUST", tuple((g, match_all, p) for g, _, p in agerecent._JUST))
    full = [[(a, m.span(), j) for a, m, j in agerecent.recent_ages(t)] for t in samples]
    assert fast == full
    assert any(fast)


def test_hyphened_number_gate_changes_no_amount(monkeypatch) -> None:
    from scoring import pricewords

    phrases = ["vijf-en-dertig euro", "Twee-ËN-Twintig eur", "vier-en-veertig per uur", "1 uur",
               "drie-en-vijftig", "honderd euro", "-EN-", "zes-ën-zestig €"]  # fmt: skip
    rng = random.Random(13)
    samples = [" ".join(rng.choice(phrases) for _ in range(rng.randint(1, 4))) for _ in range(300)]
    fast = [pricewords.spelled_amounts(t) for t in samples]
    monkeypatch.setattr(pricewords, "_HYPHEN_EN", re.compile(""))
    assert fast == [pricewords.spelled_amounts(t) for t in samples]
    assert fast != samples
