"""Reading the second opinion: where the learned classifier disagrees with the rules, and why.

Two heads can disagree: "worth reading" where the rules left an ad in `geen` or `laag`, and
"minor cue" where they left it below `hoog`; the row says which, with that head's words.

The review UI reads it from here (it never imports `scoring`). Only an opinion about the version
the current rules scored, under those rules, is shown: an ad edited since, or a change of rules,
waits for the next `adwatch score`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from adwatch.storage.models import Score, SecondOpinion
from adwatch.storage.rulesversion import current_rules_version


@dataclass(frozen=True)
class Word:
    """A word of the ad and the n-gram in it that pushed the opinion up."""

    word: str
    ngram: str


# What the officer reads, per head that disagrees with the rules (docs/scoring.md).
HEADLINES = {
    "worth_reading": "tweede mening: lees deze advertentie",
    "minor_cue": "tweede mening: mogelijk minderjarig — lees deze advertentie",
}


@dataclass(frozen=True)
class ShownOpinion:
    """A disagreement to show: which head, its probability, the rules' tier and the words."""

    ad_id: int
    probability: float
    rules_tier: str
    words: tuple[Word, ...]
    reason: str = "worth_reading"

    @property
    def headline(self) -> str:
        """The line the queue and the ad page show."""
        return HEADLINES[self.reason]

    @property
    def minor(self) -> bool:
        """The minor-cue head disagrees (the rules stayed below `hoog`)."""
        return self.reason == "minor_cue"


def disagreements(session: Session, ad_ids: Iterable[int]) -> dict[int, ShownOpinion]:
    """Per ad id (of those given), the second opinion that disagrees with its current tier."""
    ids = sorted(set(ad_ids))
    rules = current_rules_version(session)
    if not ids or rules is None:
        return {}
    same_version = and_(
        Score.ad_id == SecondOpinion.ad_id,
        Score.ad_version_id == SecondOpinion.ad_version_id,
        Score.rules_version == SecondOpinion.rules_version,
    )
    query = (
        select(SecondOpinion)
        .join(Score, same_version)
        .where(
            SecondOpinion.ad_id.in_(ids),
            SecondOpinion.rules_version == rules,
            SecondOpinion.disagrees.is_(True),
        )
    )
    return {row.ad_id: _shown(row) for row in session.scalars(query)}


def _shown(row: SecondOpinion) -> ShownOpinion:
    words = tuple(
        Word(str(item.get("word", "")), str(item.get("ngram", "")))
        for item in row.words
        if isinstance(item, dict)
    )
    # Rows from before the minor-cue head have no reason: the worth-reading head wrote them.
    if row.reason == "minor_cue" and row.minor_probability is not None:
        return ShownOpinion(row.ad_id, row.minor_probability, row.rules_tier, words, "minor_cue")
    return ShownOpinion(row.ad_id, row.probability, row.rules_tier, words)
