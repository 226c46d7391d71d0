"""The database side of the second opinion: its model record, its inputs, its results.

Runs after `scoring.persist` has written the rules' scores: for every ad whose scored version
has no opinion yet from this model under these rules, the classifier's view is written to
`second_opinion` (one row per ad version). Scores and hits are only read, never written here.
The officer's decisions are read, for training, only when `learn_from_decisions` is on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from adwatch.adtext import analysed_text
from adwatch.storage.db import Database
from adwatch.storage.models import AdVersion, Decision, OpinionModel, Score, SecondOpinion
from adwatch.timeutil import utcnow
from adwatch.vocabulary import NO_SIGNAL
from scoring.second_opinion import MINOR_CUE, disagreement, opinions
from scoring.second_opinion import OpinionModel as Model
from scoring.second_opinion_file import load_model, save_model

CHUNK = 1000
# The officer's decisions as labels: "geen_signaal" says the ad was not worth reading; every
# other step (monitoring, preparing a control, forwarding, feedback) says it was.
NOT_WORTH_READING = frozenset({NO_SIGNAL})


@dataclass(frozen=True)
class LabelledText:
    """A stored ad version's text with the officer's label (1 = worth reading)."""

    ident: str
    text: str
    label: int


@dataclass(frozen=True)
class OpinionRun:
    """What one second-opinion run did."""

    considered: int
    written: int
    disagreements: int


def model_file(data_dir: Path, sha256: str) -> Path:
    """Where a model with this hash lives in the data folder."""
    return data_dir / "models" / f"second-opinion-{sha256.removeprefix('sha256:')[:16]}.json"


def install_model(db: Database, data_dir: Path, model: Model) -> str:
    """Save the model file, record its hash and provenance, and remove older model files."""
    staging = data_dir / "models" / "second-opinion.json.new"
    sha256 = save_model(model, staging)
    path = model_file(data_dir, sha256)
    staging.replace(path)
    with db.writing() as session:
        # Relative to the data folder, so a restored or moved instance still finds it.
        relative = str(path.relative_to(data_dir))
        session.add(OpinionModel(sha256=sha256, path=relative, provenance=model.provenance))
    for old in path.parent.glob("second-opinion-*.json"):
        if old != path:
            old.unlink()
    return sha256


def current_record(session: Session) -> OpinionModel | None:
    """The newest recorded model, or None when none was trained."""
    return session.scalars(select(OpinionModel).order_by(OpinionModel.id.desc()).limit(1)).first()


def load_current(db: Database, data_dir: Path) -> tuple[Model, str] | None:
    """The newest recorded model and its hash; its file must still match the recorded hash."""
    with db.reading() as session:
        record = current_record(session)
        if record is None:
            return None
        path, sha256 = data_dir / record.path, record.sha256
    return load_model(path, sha256), sha256


def version_text(title: str, text: str, prices, phone_text: str, stated_age: str, town: str):
    """What the classifier reads of a stored version: the title, then the analysed text."""
    body = analysed_text(text, tuple(prices or ()), phone_text, stated_age, town)
    return f"{title}\n\n{body}" if title else body


_TEXT_COLUMNS = (
    AdVersion.title,
    AdVersion.text,
    AdVersion.prices,
    AdVersion.phone_text,
    AdVersion.stated_age,
    AdVersion.town,
)


def decision_examples(session: Session) -> list[LabelledText]:
    """Each decided ad's latest decision as a label, on the version the officer had read."""
    latest = (
        select(Decision.ad_id, func.max(Decision.id).label("id"))
        .where(Decision.ad_id.is_not(None))
        .group_by(Decision.ad_id)
        .subquery()
    )
    decisions = session.execute(
        select(Decision.ad_id, Decision.status, Decision.created_at).join(
            latest, latest.c.id == Decision.id
        )
    ).all()
    found = []
    for ad_id, status, decided_at in decisions:
        row = session.execute(
            select(*_TEXT_COLUMNS)
            .where(AdVersion.ad_id == ad_id, AdVersion.seen_at <= decided_at)
            .order_by(AdVersion.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            label = int(status not in NOT_WORTH_READING)
            found.append(LabelledText(f"decision:{ad_id}", version_text(*row), label))
    return found


def run_opinions(
    db: Database, model: Model, sha256: str, rules_version: str, *, words: int, threshold=None
) -> OpinionRun:
    """The opinion on every scored ad version this model has not seen under these rules."""
    with db.reading() as session:
        pending = _pending(session, sha256, rules_version)
    written = disagreeing = 0
    for chunk in _chunks(pending):
        with db.writing() as session:
            rows = _opinion_rows(session, chunk, model, sha256, rules_version, words, threshold)
            session.execute(
                delete(SecondOpinion).where(
                    SecondOpinion.ad_version_id.in_([r["ad_version_id"] for r in rows])
                )
            )
            if rows:
                session.execute(SecondOpinion.__table__.insert(), rows)
        written += len(rows)
        disagreeing += sum(1 for row in rows if row["disagrees"])
    return OpinionRun(len(pending), written, disagreeing)


def _pending(session: Session, sha256: str, rules_version: str) -> list[tuple[int, int, str]]:
    """(ad id, scored version id, tier) of the ads without a current opinion."""
    done = select(SecondOpinion.ad_version_id).where(
        SecondOpinion.model_sha256 == sha256, SecondOpinion.rules_version == rules_version
    )
    query = (
        select(Score.ad_id, Score.ad_version_id, Score.tier)
        .where(Score.rules_version == rules_version, Score.ad_version_id.not_in(done))
        .order_by(Score.ad_id)
    )
    return [tuple(row) for row in session.execute(query)]


def _opinion_rows(session, chunk, model, sha256, rules_version, words, threshold) -> list[dict]:
    ids = [version_id for _, version_id, _ in chunk]
    texts = {
        version_id: version_text(*columns)
        for version_id, *columns in session.execute(
            select(AdVersion.id, *_TEXT_COLUMNS).where(AdVersion.id.in_(ids))
        )
    }
    present = [item for item in chunk if item[1] in texts]
    # Reasons are worked out only where they may be shown: where the rules stayed below hoog.
    lower = [tier != "hoog" for _, _, tier in present]
    found = opinions(
        model, [texts[v] for _, v, _ in present], words=words, threshold=threshold, explain=lower
    )
    now = utcnow()
    rows = []
    for (ad_id, version_id, tier), opinion in zip(present, found, strict=True):
        reason = disagreement(opinion, tier)
        shown = opinion.minor_reasons if reason == MINOR_CUE else opinion.reasons
        minor = opinion.minor_probability
        rows.append(
            {
                "ad_version_id": version_id,
                "ad_id": ad_id,
                "model_sha256": sha256,
                "rules_version": rules_version,
                "rules_tier": tier,
                "probability": round(opinion.probability, 4),
                "minor_probability": None if minor is None else round(minor, 4),
                "disagrees": reason is not None,
                "reason": reason,
                # Words are kept only where they are shown: beside a disagreement.
                "words": [r.to_json() for r in shown] if reason else [],
                "created_at": now,
            }
        )
    return rows


def clear_opinions(db: Database) -> int:
    """Remove every stored opinion (the feature was switched off); returns how many."""
    with db.writing() as session:
        return session.execute(delete(SecondOpinion)).rowcount or 0


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
