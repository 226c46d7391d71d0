"""Quality of the rules on a labelled corpus: precision and recall per indicator, phone counts,
and the tiers of negatives and minors.

Used by `bench/quality.py` and the tests; after tuning `config/indicators.yaml` run
`python bench/quality.py` to see what changed. The corpus format is `scoring.corpus.CorpusAd`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from adwatch.config.loading import StrictModel, load_model, read_yaml
from scoring.corpus import CorpusAd, Counts
from scoring.pipeline import AdAnalysis
from scoring.rules import TEXT_CODES, Rules
from scoring.score import score_ad


class CorpusFile(StrictModel):
    """A corpus file is a list of ads."""

    ads: list[CorpusAd] = Field(min_length=1)


@dataclass(frozen=True)
class QualityReport:
    """Per-indicator and overall counts, phone counts, and the ads that disagree with labels."""

    per_code: dict[str, Counts]
    overall: Counts
    phones: Counts
    mistakes: tuple[str, ...]
    ads: int
    negatives_in_hoog: tuple[str, ...] = ()  # ids of ads labelled with no codes, scored hoog
    minor_not_hoog: tuple[str, ...] = ()  # ids of ads labelled minor_cue, scored below hoog
    negatives: int = 0
    minors: int = 0


def load_corpus(directory: Path) -> list[CorpusAd]:
    """Every ad of every `*.yaml` file in `directory`, ids unique."""
    ads: list[CorpusAd] = []
    for path in sorted(directory.glob("*.yaml")):
        ads.extend(load_model(path, CorpusFile, data={"ads": _read_list(path)}).ads)
    ids = Counter(ad.id for ad in ads)
    duplicates = [i for i, n in ids.items() if n > 1]
    if duplicates:
        raise ValueError(f"duplicate corpus ids: {duplicates}")
    return ads


def _read_list(path: Path) -> object:
    return read_yaml(path)


def evaluate(
    ads: Sequence[CorpusAd], analyses: Sequence[AdAnalysis], rules: Rules | None = None
) -> QualityReport:
    """Compare analyses with the labels; with `rules`, also the tiers of negatives and minors."""
    per_code = {code: _code_counts(code, ads, analyses) for code in TEXT_CODES}
    overall = Counts(*(sum(getattr(c, f) for c in per_code.values()) for f in ("tp", "fp", "fn")))
    phones = _set_counts(
        (set(ad.phones), set(a.extraction.e164_phones)) for ad, a in zip(ads, analyses, strict=True)
    )
    tiers = [score_ad(a.hits, rules).tier if rules else None for a in analyses]
    negatives = [ad.id for ad in ads if not ad.codes]
    minors = [ad.id for ad in ads if "minor_cue" in ad.codes]
    by_id = {ad.id: tier for ad, tier in zip(ads, tiers, strict=True)}
    return QualityReport(
        per_code,
        overall,
        phones,
        tuple(_mistakes(ads, analyses)),
        len(ads),
        negatives_in_hoog=tuple(i for i in negatives if by_id[i] == "hoog"),
        minor_not_hoog=tuple(i for i in minors if rules and by_id[i] != "hoog"),
        negatives=len(negatives),
        minors=len(minors),
    )


def _code_counts(code: str, ads: Sequence[CorpusAd], analyses: Sequence[AdAnalysis]) -> Counts:
    pairs = (
        ({code} & set(ad.codes), {code} & {h.code for h in a.hits})
        for ad, a in zip(ads, analyses, strict=True)
    )
    return _set_counts(pairs)


def _set_counts(pairs: Iterable[tuple[set[str], set[str]]]) -> Counts:
    tp = fp = fn = 0
    for expected, found in pairs:
        tp += len(expected & found)
        fp += len(found - expected)
        fn += len(expected - found)
    return Counts(tp, fp, fn)


def _mistakes(ads: Sequence[CorpusAd], analyses: Sequence[AdAnalysis]) -> list[str]:
    lines = []
    for ad, analysis in zip(ads, analyses, strict=True):
        found = {h.code for h in analysis.hits}
        extra, missed = found - set(ad.codes), set(ad.codes) - found
        phones_found = set(analysis.extraction.e164_phones)
        if extra or missed or phones_found != set(ad.phones):
            lines.append(
                f"{ad.id}: extra {sorted(extra)} missed {sorted(missed)} "
                f"phones extra {sorted(phones_found - set(ad.phones))} "
                f"missed {sorted(set(ad.phones) - phones_found)}"
            )
    return lines
