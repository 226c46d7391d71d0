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
# 0.864 before) the rule families of issue 13 reach 0.983 / 0.975 on all eight authors.
# Raise them when the rules improve.
PRECISION_FLOOR = 0.975
RECALL_FLOOR = 0.97


@pytest.fixture(scope="module")
def report(scorer) -> QualityReport:
    ads = load_corpus(DEV_DIR)
    return evaluate(ads, analyse_corpus(ads, scorer), scorer.rules)


def test_the_dev_part_is_what_the_authors_wrote() -> None:
    ads = load_corpus(DEV_DIR)
    assert len(ads) >= 400
    assert sum(ad.hard_negative for ad in ads) >= 0.4 * len(ads)
    assert all(not ad.codes for ad in ads if ad.hard_negative)


def test_goals_on_the_dev_part(report: QualityReport) -> None:
    assert report.overall.precision >= PRECISION_FLOOR, report.mistakes
    assert report.overall.recall >= RECALL_FLOOR, report.mistakes


def test_no_negative_in_hoog_and_every_minor_cue_in_hoog(report: QualityReport) -> None:
    assert report.negatives_in_hoog == ()
    assert report.minor_not_hoog == ()
