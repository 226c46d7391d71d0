"""Score and tier from the configured weights; minor_cue always hoog; version recorded."""

from __future__ import annotations

from scoring.hits import Hit, ValueEvidence
from scoring.score import score_ad


def _hit(code: str, rules) -> Hit:
    return Hit(code, rules.weight(code), (ValueEvidence("x", 1),))


def test_no_hits_is_geen(rules) -> None:
    score = score_ad([], rules)
    assert (score.value, score.tier, score.rules_version) == (0, "geen", rules.version)


def test_each_code_counts_once(rules) -> None:
    score = score_ad([_hit("hotel_location", rules), _hit("hotel_location", rules)], rules)
    assert score.value == rules.weight("hotel_location") and score.tier == "laag"


def test_tiers_follow_thresholds(rules) -> None:
    codes = ["third_party", "multiple_workers", "unsafe_services"]
    value = sum(rules.weight(c) for c in codes)
    expected = "hoog" if value >= rules.tiers.hoog else "middel"
    assert score_ad([_hit(c, rules) for c in codes], rules).tier == expected


def test_any_minor_cue_is_hoog(rules) -> None:
    light = rules.indicators["minor_cue"].model_copy(update={"weight": 0.1})
    low = rules.model_copy(update={"indicators": {**rules.indicators, "minor_cue": light}})
    assert score_ad([_hit("minor_cue", low)], low).tier == "hoog"
