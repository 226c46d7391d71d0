"""The second opinion: training on a small synthetic corpus, its reasons, the disagreement logic,
the threshold that keeps precision, and a model file that can only be data."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from scoring.pipeline import AdScorer
from scoring.rules import default_rules_path, load_rules
from scoring.second_opinion import Opinion, TrainingParams, disagrees, normalise, opinions
from scoring.second_opinion_eval import (
    Example,
    choose_threshold,
    compare,
    corpus_examples,
    cross_validate,
    load_labelled,
    train,
    worth_reading,
)
from scoring.second_opinion_file import ModelRefused, load_model, save_model
from tests.scoring.opinion_corpus import write_corpus


@pytest.fixture(scope="module")
def rules():
    return load_rules(default_rules_path())


@pytest.fixture(scope="module")
def examples(tmp_path_factory, rules) -> list[Example]:
    folder = write_corpus(tmp_path_factory.mktemp("corpus"))
    return corpus_examples(load_labelled(folder), AdScorer(rules))


@pytest.fixture(scope="module")
def trained(examples):
    return train(examples, TrainingParams())


def test_the_labels_follow_the_weights_of_the_labelled_codes(rules) -> None:
    assert worth_reading(["third_party", "multiple_workers"], rules)  # 2 + 2: middel
    assert worth_reading(["minor_cue"], rules)  # always hoog
    assert not worth_reading(["always_available"], rules)  # 1: laag
    assert not worth_reading([], rules)


def test_the_rules_leave_the_synthetic_wording_unflagged(examples) -> None:
    assert {e.rules_tier for e in examples} == {"geen"}
    assert sum(e.label for e in examples) == len(examples) // 2


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
    assert plain.reasons == ()
    words = [reason.word for reason in marked.reasons]
    assert {"blauwe", "deur"} & set(words)
    assert len(marked.reasons) <= 3 and all(len(r.ngram) >= 3 for r in marked.reasons)
    assert all(r.ngram in f" {r.word} " for r in marked.reasons)


@pytest.mark.parametrize(
    ("worth", "tier", "expected"),
    [
        (True, "geen", True),
        (True, "laag", True),
        (True, "middel", False),
        (True, "hoog", False),
        (False, "geen", False),
    ],
)
def test_it_disagrees_only_where_it_would_have_the_officer_read_a_quiet_ad(
    worth: bool, tier: str, expected: bool
) -> None:
    assert disagrees(Opinion(0.9 if worth else 0.1, worth, ()), tier) is expected


def _example(label: int, tier: str, n: int) -> Example:
    return Example(f"x{n}", "text", label, tier)


def test_compare_counts_the_extra_ads_the_officer_is_asked_to_read() -> None:
    examples = [
        _example(1, "middel", 0),  # rules right
        _example(0, "hoog", 1),  # rules wrong
        _example(1, "laag", 2),  # missed by rules, found by the opinion
        _example(0, "geen", 3),  # opinion wrong
        _example(1, "geen", 4),  # missed by both
    ]
    result = compare(examples, np.array([0.9, 0.1, 0.8, 0.7, 0.2]), 0.6)
    assert (result.rules.tp, result.rules.fp, result.rules.fn) == (1, 1, 2)
    assert (result.combined.tp, result.combined.fp, result.combined.fn) == (2, 2, 1)
    assert (result.extra_asked, result.extra_right) == (2, 1)


def test_the_threshold_keeps_the_extra_flags_at_the_rules_precision() -> None:
    # Rules: 3 right, 1 wrong (0.75). Below 0.9 the opinion's extra flags turn wrong.
    examples = [_example(1, "middel", i) for i in range(3)] + [_example(0, "hoog", 3)]
    examples += [_example(1, "geen", 4), _example(1, "geen", 5), _example(0, "geen", 6)]
    scores = np.array([0.5, 0.5, 0.5, 0.5, 0.95, 0.9, 0.7])
    threshold, target = choose_threshold(examples, scores, None)
    assert target == pytest.approx(0.8) and threshold == 0.9  # 0.75 + the margin
    assert choose_threshold(examples, np.array([0.1] * 4 + [0.6, 0.6, 0.6]), 1.0)[0] == 1.0


def test_cross_validation_judges_every_ad_by_a_model_that_did_not_see_it(examples) -> None:
    result = cross_validate(examples, TrainingParams(), folds=3)
    assert result.ads == len(examples)
    assert result.rules.tp == 0 and result.combined.recall > 0.9
    assert result.combined.precision > 0.9


def test_normalisation_keeps_no_phone_number_or_address() -> None:
    text = normalise("Bel 06-1234 5678 of mail lisa@example.nl, zij is heeeel lief")
    assert "1234" not in text and "5678" not in text and "example" not in text
    assert "heel lief" in text


def test_the_model_file_round_trips_and_a_changed_byte_is_refused(trained, tmp_path) -> None:
    model, _ = trained
    path = tmp_path / "model.json"
    sha256 = save_model(model, path)
    loaded = load_model(path, sha256)
    assert loaded.vocabulary == model.vocabulary and loaded.threshold == model.threshold
    assert np.allclose(loaded.coef, model.coef)
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
