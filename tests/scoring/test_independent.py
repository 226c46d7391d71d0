"""The independent authors' development corpus: the goals of issue 13, kept as floors.

The held-out part (tests/scoring/independent/heldout) is never read here: it measures the rules
afterwards, through bench/quality.py, and only by whoever did not change them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.corpus import analyse_corpus
from tests.scoring.quality import QualityReport, evaluate, load_corpus

DEV_DIR = Path(__file__).resolve().parent / "independent" / "dev"

# Reached on authors a1-a4 when this test was written (0.980 / 0.953); with a5 and a6 added and
# the rules generalised, all six authors reach 0.980 / 0.970. With a7 and a8 added (0.962 /
# 0.864 before) the rule families of issue 13 reach 0.983 / 0.975 on all eight authors, and
# 0.981 / 0.977 after the fourth round's families. Raise them when the rules improve.
# With the fifth round's families: 0.985 / 0.977, also after a closing time stopped counting as
# always_available (seven old labels still mark one until they are relabelled).
PRECISION_FLOOR = 0.98
RECALL_FLOOR = 0.975
# The fourth round (a11 social-media posts, a12 compressed classifieds, a13 FAQ and field profiles)
# came in at 0.928 / 0.670 before any rule change for it; after one round of families 0.952 / 0.849,
# after the fifth round's families 0.966 / 0.887.
NEW_VOICES = ("a11-", "a12-", "a13-")
NEW_PRECISION_FLOOR = 0.96
NEW_RECALL_FLOOR = 0.88
# Minor cues of the fourth round still outside hoog: hints no rule reads yet (a look "not quite"
# 18, a child's health insurance, not allowed into town alone, hiding from parents with a curfew,
# a child's face: no rule may read faces). No other may join them.
NEW_MINORS_NOT_HOOG = frozenset({"a11-d-074", "a11-d-156", "a12-d-053", "a12-d-127", "a12-d-134"})
# The fifth round (a16 arrangement and sugar-dating ads, a18 male, trans, couple and mature
# scenes, a20 house line-ups and a21 extended metaphors) came in at 0.849 / 0.720, 0.914 / 0.702,
# 0.877 / 0.740 and 0.873 / 0.519 before any rule change for it; 0.939 / 0.804 together after.
FIFTH_VOICES = ("a16-", "a18-", "a20-", "a21-")
FIFTH_PRECISION_FLOOR = 0.935
FIFTH_RECALL_FLOOR = 0.80
# Its minor cues still outside hoog: "nog maar een kind" after an unrelated "nooit eerder", a
# birth year with "for the first time allowed to decide" (the age is read, the cue is not),
# braces beside "the youngest sister of the house", classmates "fourteen days ago", a summer camp,
# a car's build year "still in its original packaging". No other may join them.
FIFTH_MINORS_NOT_HOOG = frozenset(
    {"a16-d-132", "a18-d-131", "a21-d-019", "a21-d-024", "a21-d-038", "a21-d-133"}
)
# The sixth round (a23 filter-dodging spelling, a24 ads edited over weeks, a25 youth between the
# lines, a26 rate cards) is measured apart from the others.
SIXTH_VOICES = ("a23-", "a24-", "a25-", "a26-")
# Its ages, minor cues and prices came in at minor_cue 0.882 / 0.496, young_age 0.868 / 0.557 and
# low_price 0.949 / 0.712 with 8 negatives in hoog and 61 of 121 minor cues outside it; after the
# sixth round's families (scoring/agesums, ageyears, agerecent, agedisguise, minorcontext,
# pricewords, priceold) 1.000 / 0.942, 0.990 / 0.953 and 1.000 / 0.923. Floors per indicator:
SIXTH_AGE_FLOORS = {
    "minor_cue": (0.98, 0.90),
    "young_age": (0.97, 0.93),
    "low_price": (0.97, 0.90),
}
# Its minor cues still outside hoog: spelling the normaliser does not undo yet ("$chool",
# "p u b e r t j e", "k1ndvr0uwtje", "t‧e‧e‧n‧s" beside ages in words), "(1-6)", a diploma
# ceremony. No other may join them.
SIXTH_MINORS_NOT_HOOG = frozenset(
    {"a23-d-002", "a23-d-025", "a23-d-046", "a23-d-092", "a23-d-095", "a23-d-099", "a26-d-003"}
)


def _round_of(ad_id: str) -> object:
    if ad_id.startswith(SIXTH_VOICES):
        return "sixth"
    return "fifth" if ad_id.startswith(FIFTH_VOICES) else ad_id.startswith(NEW_VOICES)


@pytest.fixture(scope="module")
def reports(scorer) -> dict[object, QualityReport]:
    """The report on the first three rounds' authors (False), on the fourth round's (True), on
    the fifth round's ("fifth") and on the sixth's ("sixth"); the whole dev part is analysed
    together, so the price median is the same for all."""
    ads = load_corpus(DEV_DIR)
    analyses = analyse_corpus(ads, scorer)
    parts: dict[object, tuple[list, list]] = {
        False: ([], []), True: ([], []), "fifth": ([], []), "sixth": ([], [])
    }  # fmt: skip
    for ad, analysis in zip(ads, analyses, strict=True):
        part = parts[_round_of(ad.id)]
        part[0].append(ad)
        part[1].append(analysis)
    return {new: evaluate(a, x, scorer.rules) for new, (a, x) in parts.items()}


def test_the_dev_part_is_what_the_authors_wrote() -> None:
    ads = load_corpus(DEV_DIR)
    assert len(ads) >= 1300
    assert sum(ad.id.startswith(NEW_VOICES) for ad in ads) == 436
    assert sum(ad.hard_negative for ad in ads) >= 0.4 * len(ads)
    assert all(not ad.codes for ad in ads if ad.hard_negative)


def test_goals_on_the_dev_part(reports: dict[object, QualityReport]) -> None:
    report = reports[False]
    assert report.overall.precision >= PRECISION_FLOOR, report.mistakes
    assert report.overall.recall >= RECALL_FLOOR, report.mistakes


def test_floors_on_the_fourth_rounds_voices(reports: dict[object, QualityReport]) -> None:
    report = reports[True]
    assert report.overall.precision >= NEW_PRECISION_FLOOR, report.mistakes
    assert report.overall.recall >= NEW_RECALL_FLOOR, report.mistakes


def test_floors_on_the_fifth_rounds_voices(reports: dict[object, QualityReport]) -> None:
    report = reports["fifth"]
    assert report.overall.precision >= FIFTH_PRECISION_FLOOR, report.mistakes
    assert report.overall.recall >= FIFTH_RECALL_FLOOR, report.mistakes


def test_no_negative_in_hoog_and_every_minor_cue_in_hoog(
    reports: dict[object, QualityReport],
) -> None:
    assert reports[False].negatives_in_hoog == ()
    assert reports[True].negatives_in_hoog == ()
    assert reports["fifth"].negatives_in_hoog == ()
    assert set(reports["fifth"].minor_not_hoog) <= FIFTH_MINORS_NOT_HOOG
    assert reports[False].minor_not_hoog == ()
    assert set(reports[True].minor_not_hoog) <= NEW_MINORS_NOT_HOOG


# The sixth round's structure indicators (who writes, several workers, new, round the clock,
# unsafe services, hotel, several towns) came in at 0.878 / 0.910 over those seven codes before
# any rule change for the round (edits that take lines back, spelling that dodges filters,
# idioms of day and night); after the corrections, spelling and idiom families 0.972 / 0.958.
# The ages, minor cues and prices of the round are floored separately.
SIXTH_STRUCTURE_CODES = (
    "third_party", "multiple_workers", "new_arrival", "always_available", "unsafe_services",
    "hotel_location", "multi_city",
)  # fmt: skip
SIXTH_STRUCTURE_PRECISION_FLOOR = 0.96
SIXTH_STRUCTURE_RECALL_FLOOR = 0.95


def test_floors_on_the_sixth_rounds_structure(reports: dict[object, QualityReport]) -> None:
    report = reports["sixth"]
    counts = [report.per_code[code] for code in SIXTH_STRUCTURE_CODES]
    tp, fp, fn = (sum(getattr(c, f) for c in counts) for f in ("tp", "fp", "fn"))
    assert tp / (tp + fp) >= SIXTH_STRUCTURE_PRECISION_FLOOR, report.mistakes
    assert tp / (tp + fn) >= SIXTH_STRUCTURE_RECALL_FLOOR, report.mistakes


def test_floors_on_the_sixth_rounds_ages(reports: dict[object, QualityReport]) -> None:
    report = reports["sixth"]
    for code, (precision, recall) in SIXTH_AGE_FLOORS.items():
        counts = report.per_code[code]
        assert counts.precision >= precision, (code, report.mistakes)
        assert counts.recall >= recall, (code, report.mistakes)
    assert report.negatives_in_hoog == ()
    assert set(report.minor_not_hoog) <= SIXTH_MINORS_NOT_HOOG
