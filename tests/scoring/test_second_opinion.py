"""The second opinion: training on a small synthetic corpus, its reasons, its two heads (worth
reading, minor cue), the disagreement logic, the thresholds that keep precision, leaving one
author out, and a model file that can only be data."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from scoring.pipeline import AdScorer
from scoring.rules import default_rules_path, load_rules
from scoring.second_opinion import (
    MINOR_CUE,
    WORTH_READING,
    Opinion,
    TrainingParams,
    disagreement,
    disagrees,
    is_word_feature,
    normalise,
    opinions,
)
from scoring.second_opinion_eval import (
    Example,
    compare,
    folder_examples,
    worth_reading,
)
from scoring.second_opinion_file import ModelRefused, load_model, save_model
from scoring.second_opinion_train import (
    choose_minor_threshold,
    choose_threshold,
    cross_validate,
    splits,
    train,
)
from tests.scoring.opinion_corpus import write_corpus


@pytest.fixture(scope="module")
def rules():
    return load_rules(default_rules_path())


@pytest.fixture(scope="module")
def examples(tmp_path_factory, rules) -> list[Example]:
    folder = write_corpus(tmp_path_factory.mktemp("corpus"))
    return folder_examples(folder, AdScorer(rules))


@pytest.fixture(scope="module")
def trained(examples):
    return train(examples, TrainingParams())


def test_the_labels_follow_the_weights_of_the_labelled_codes(rules) -> None:
    assert worth_reading(["third_party", "multiple_workers"], rules)  # 2 + 2: middel
    assert worth_reading(["minor_cue"], rules)  # always hoog
    assert not worth_reading(["always_available"], rules)  # 1: laag
    assert not worth_reading([], rules)


@pytest.fixture(scope="module")
def with_minor(tmp_path_factory, rules) -> list[Example]:
    folder = write_corpus(tmp_path_factory.mktemp("minor"), minor=16)
    return folder_examples(folder, AdScorer(rules))


def test_the_rules_leave_the_synthetic_wording_unflagged(examples, with_minor) -> None:
    assert {e.rules_tier for e in examples} == {"geen"}
    assert sum(e.label for e in examples) == len(examples) // 2
    minors = [e for e in with_minor if e.minor]
    # The name in the third person is a weak third-party cue: laag, never hoog.
    assert len(minors) == 16 and {e.rules_tier for e in minors} <= {"geen", "laag"}
    assert all(e.label == 1 and not e.rules_minor for e in minors)
    assert {e.group for e in with_minor} == {"syn", "syn-minor"}


def test_a_model_trained_on_the_corpus_reads_unseen_ads_and_says_why(trained) -> None:
    model, stats = trained
    assert 0.5 <= model.threshold < 1.0
    assert stats["out_of_fold"]["rules_plus_opinion"]["recall"] > 0.9
    marked, plain = opinions(
        model,
        ["Mila komt via de blauwe deur, bel ons.", "Ik ben Mila, zelfstandig, in mijn studio."],
        words=3,
    )
    assert marked.worth_reading and not plain.worth_reading
    assert plain.reasons == () and marked.minor_probability is None  # no minor cues to learn
    assert set(model.heads) == {WORTH_READING}
    words = [reason.word for reason in marked.reasons]
    assert {"blauwe", "deur"} & set(words)
    assert len(marked.reasons) <= 3 and all(len(r.ngram) >= 3 for r in marked.reasons)
    assert all(r.ngram in f" {r.word} " for r in marked.reasons)


def test_a_minor_head_learns_a_minor_cue_the_rules_never_saw_and_says_why(with_minor) -> None:
    model, stats = train(with_minor, TrainingParams())
    assert set(model.heads) == {WORTH_READING, MINOR_CUE}
    assert 0.5 <= model.heads[MINOR_CUE].threshold < 1.0
    assert stats["out_of_fold"]["minor_cues"]["caught_by_opinion"] >= 14
    minor, other, plain = opinions(
        model,
        [
            "Het rode lint hoort bij Fleur; ze ontvangt je in Houten.",
            "Via de blauwe deur maak je een afspraak met Fleur.",
            "Ik ben Fleur, zelfstandig, in mijn eigen studio.",
        ],
        words=3,
    )
    assert minor.minor and not other.minor and not plain.minor
    assert {"rode", "lint", "rode lint"} & {r.word for r in minor.minor_reasons}
    assert other.minor_reasons == () and plain.minor_probability < minor.minor_probability
    assert any(is_word_feature(gram) for gram in model.vocabulary)


@pytest.mark.parametrize(
    ("worth", "minor", "tier", "expected"),
    [
        (True, False, "geen", WORTH_READING),
        (True, False, "laag", WORTH_READING),
        (True, False, "middel", None),
        (True, False, "hoog", None),
        (False, False, "geen", None),
        (False, True, "middel", MINOR_CUE),  # a minor cue below hoog: more urgent
        (True, True, "laag", MINOR_CUE),
        (False, True, "hoog", None),  # the rules already put it first
    ],
)
def test_it_disagrees_only_where_it_would_have_the_officer_read_an_ad_sooner(
    worth: bool, minor: bool, tier: str, expected: str | None
) -> None:
    opinion = Opinion(0.9 if worth else 0.1, worth, (), 0.9 if minor else 0.1, minor, ())
    assert disagreement(opinion, tier) == expected
    assert disagrees(opinion, tier) is (expected is not None)


def _example(label: int, tier: str, n: int, minor: int = 0, rules_minor: bool = False) -> Example:
    return Example(f"x{n}", "text", label, tier, minor, rules_minor, f"a{n % 3}")


def test_compare_counts_the_extra_ads_the_officer_is_asked_to_read() -> None:
    examples = [
        _example(1, "middel", 0),  # rules right
        _example(0, "hoog", 1),  # rules wrong
        _example(1, "laag", 2),  # missed by rules, found by the opinion
        _example(0, "geen", 3),  # opinion wrong
        _example(1, "geen", 4),  # missed by both
    ]
    result = compare(examples, np.array([0.9, 0.1, 0.8, 0.7, 0.2]) >= 0.6)
    assert (result.rules.tp, result.rules.fp, result.rules.fn) == (1, 1, 2)
    assert (result.combined.tp, result.combined.fp, result.combined.fn) == (2, 2, 1)
    assert (result.extra_asked, result.extra_right) == (2, 1)


def test_compare_counts_the_minor_cues_the_opinion_catches_below_hoog() -> None:
    examples = [
        _example(1, "hoog", 0, minor=1, rules_minor=True),  # the rules found it
        _example(1, "middel", 1, minor=1),  # caught: middel, minor head says so
        _example(1, "geen", 2, minor=1),  # caught, and an extra read
        _example(1, "laag", 3, minor=1),  # missed by both
        _example(0, "geen", 4),  # a wrong minor flag
    ]
    minor = np.array([True, True, True, False, True])
    result = compare(examples, np.zeros(5, dtype=bool), minor)
    figures = result.as_json()["minor_cues"]
    assert figures == {
        "labelled": 4,
        "rules_below_hoog": 3,
        "caught_by_opinion": 2,
        "opinion_flags_below_hoog": 3,
        "of_which_worth_reading": 2,
    }
    assert (result.extra_asked, result.extra_right) == (2, 1)


def test_the_threshold_keeps_the_extra_flags_at_the_rules_precision() -> None:
    # Rules: 3 right, 1 wrong (0.75). Below 0.9 the opinion's extra flags turn wrong.
    examples = [_example(1, "middel", i) for i in range(3)] + [_example(0, "hoog", 3)]
    examples += [_example(1, "geen", 4), _example(1, "geen", 5), _example(0, "geen", 6)]
    scores = np.array([0.5, 0.5, 0.5, 0.5, 0.95, 0.9, 0.7])
    threshold, target = choose_threshold(examples, scores, None)
    assert target == pytest.approx(0.8) and threshold == 0.9  # 0.75 + the margin
    assert choose_threshold(examples, np.array([0.1] * 4 + [0.6, 0.6, 0.6]), 1.0)[0] == 1.0


def test_the_minor_threshold_is_the_lowest_as_precise_as_the_rules_minor_cues() -> None:
    # The rules' minor cues: 3 right, 1 wrong (0.75). Ads with unknown minor cue do not count.
    examples = [_example(1, "hoog", i, minor=1, rules_minor=True) for i in range(3)]
    examples += [_example(0, "hoog", 3, minor=0, rules_minor=True)]
    examples += [_example(1, "geen", 4, minor=0), _example(1, "geen", 5, minor=1)]
    examples += [Example("d", "text", 1, "geen", None, False, "decisions")]
    scores = np.array([0.9, 0.8, 0.7, 0.1, 0.6, 0.55, 0.99])
    threshold, target = choose_minor_threshold(examples, scores, None)
    # 4 of 5 right from 0.55 up; midway to the next lower score (0.1), but at least 0.5.
    assert target == 0.75 and threshold == 0.5
    assert choose_minor_threshold(examples, scores, 1.0) == (pytest.approx(0.65), 1.0)
    assert choose_minor_threshold(examples, np.zeros(7), None)[0] == 1.0


def test_with_three_authors_or_more_each_fold_leaves_one_author_out() -> None:
    examples = [_example(n % 2, "geen", n) for n in range(12)]
    folds = list(splits(examples, None))
    assert [sorted({examples[i].group for i in test}) for _, test in folds] == [
        ["a0"],
        ["a1"],
        ["a2"],
    ]
    for fit, test in folds:
        assert not {examples[i].group for i in fit} & {examples[i].group for i in test}
    assert len(list(splits(examples, 4))) == 4  # a number of folds: stratified, by ad


def test_cross_validation_judges_every_ad_by_a_model_that_did_not_see_it(examples) -> None:
    result, per_author = cross_validate(examples, TrainingParams(), folds=3)
    assert result.ads == len(examples)
    assert result.rules.tp == 0 and result.combined.recall > 0.9
    assert result.combined.precision > 0.9
    assert list(per_author) == ["syn"] and per_author["syn"]["ads"] == len(examples)


def test_normalisation_keeps_no_phone_number_or_address() -> None:
    text = normalise("Bel 06-1234 5678 of mail lisa@example.nl, zij is heeeel lief")
    assert "1234" not in text and "5678" not in text and "example" not in text
    assert "heel lief" in text


def test_training_twice_on_the_same_ads_gives_the_same_file(with_minor) -> None:
    from scoring.second_opinion_file import model_bytes

    first, second = (train(with_minor, TrainingParams())[0] for _ in range(2))
    assert model_bytes(first) == model_bytes(second)


def test_the_model_file_round_trips_and_a_changed_byte_is_refused(trained, tmp_path) -> None:
    model, _ = trained
    path = tmp_path / "model.json"
    sha256 = save_model(model, path)
    loaded = load_model(path, sha256)
    assert loaded.vocabulary == model.vocabulary and loaded.threshold == model.threshold
    assert np.allclose(loaded.heads[WORTH_READING].coef, model.heads[WORTH_READING].coef)
    data = bytearray(path.read_bytes())
    data[data.index(b'"threshold"') + 13] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ModelRefused, match="changed or replaced"):
        load_model(path, sha256)


class _Planted:
    """Unpickling this creates a marker file: what a swapped pickle model could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickle_is_never_loaded_even_with_a_matching_hash(tmp_path) -> None:
    from scoring.second_opinion_file import sha256_hex

    marker = tmp_path / "code-ran"
    path = tmp_path / "model.json"
    path.write_bytes(pickle.dumps(_Planted(marker)))
    with pytest.raises(ModelRefused, match="not a second-opinion model"):
        load_model(path, sha256_hex(path.read_bytes()))
    assert not marker.exists()


def test_words_about_who_someone_is_never_reach_the_model() -> None:
    text = normalise("Poolse dame, spreek Engels en Duits; Oost-Europese vriendin. Nieuwe meiden!")
    for word in ("pool", "spreek", "engels", "duits", "europ"):
        assert word not in text
    assert "vriendin" in text and "nieuwe meiden" in text
