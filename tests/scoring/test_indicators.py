"""Per-ad indicators: evidence with offsets, title vs text, functions, and failure isolation."""

from __future__ import annotations

import logging

from scoring.hits import SpanEvidence, ValueEvidence
from scoring.indicators import AdContext, AdText
from scoring.score import score_ad


def _codes(analysis) -> set[str]:
    return {h.code for h in analysis.hits}


def test_span_evidence_points_into_the_right_field(scorer) -> None:
    ad = AdText(ad_id=7, title="Nieuw in Houten", text="Zij is lief. Bel 06 1234 0001.")
    analysis = scorer.analyse(ad)
    hits = {h.code: h for h in analysis.hits}
    arrival = hits["new_arrival"].evidence[0]
    assert arrival == SpanEvidence("Nieuw in Houten", 0, 15, field="title")
    third = hits["third_party"].evidence[0]
    assert (third.field, ad.text[third.start : third.end]) == ("text", "Zij is")


def test_stated_age_evidence(scorer) -> None:
    analysis = scorer.analyse(AdText(1, "Ik ben Anna, 17 jaar, in Houten."))
    minor = next(h for h in analysis.hits if h.code == "minor_cue")
    assert isinstance(minor.evidence[0], ValueEvidence) and minor.evidence[0].value == 17
    assert score_ad(analysis.hits, scorer.rules).tier == "hoog"


def test_low_price_is_at_most_the_ceiling_and_below_the_median_fraction(scorer) -> None:
    ad = AdText(1, "Houten, half uur 25 euro.")
    hit = next(h for h in scorer.analyse(ad).hits if h.code == "low_price")
    assert hit.evidence[0].value == 50 and hit.evidence[0].detail["minutes"] == 30
    # In a cheap market the median lowers the limit: 0.5 x 80 = 40 < 50.
    assert "low_price" not in _codes(scorer.analyse(ad, AdContext(median_price=80)))
    assert "low_price" not in _codes(scorer.analyse(AdText(1, "Houten, 1 uur 90 euro.")))


def test_multi_city_across_versions(scorer) -> None:
    ad = AdText(1, "Ik ontvang in Houten.")
    assert "multi_city" not in _codes(scorer.analyse(ad))
    earlier = AdContext(previous_towns=frozenset({"Amersfoort"}))
    assert "multi_city" in _codes(scorer.analyse(ad, earlier))


def test_near_a_town_is_not_multi_city(scorer) -> None:
    assert "multi_city" not in _codes(scorer.analyse(AdText(1, "Houten, vlakbij Utrecht.")))


def test_one_failing_indicator_is_recorded_and_the_others_run(scorer, monkeypatch, caplog) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(scorer.indicators, "_price_hit", broken)
    with caplog.at_level(logging.ERROR, logger="adwatch.scoring"):
        analysis = scorer.analyse(
            AdText(42, "Zij is net aangekomen, 1 uur 50 euro."), AdContext(150)
        )
    assert [(f.code, f.ad_id) for f in analysis.failures] == [("low_price", 42)]
    assert "RuntimeError: boom" in analysis.failures[0].error
    assert {"third_party", "new_arrival"} <= _codes(analysis)
    assert "low_price" in caplog.text and "42" in caplog.text


def test_hit_json_is_plain(scorer) -> None:
    analysis = scorer.analyse(AdText(1, "Onze dames, 24/7 in Houten."))
    payload = [h.to_json() for h in analysis.hits]
    assert {p["code"] for p in payload} >= {"always_available", "multiple_workers"}
    assert all(isinstance(e, dict) and "kind" in e for p in payload for e in p["evidence"])
