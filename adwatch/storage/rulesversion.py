"""Which rules version is current: the one `adwatch score` last ran with.

The queue, the dashboard, the yearly report and `adwatch score --compare` all read it from here,
so that reverting `config/indicators.yaml` to an older version shows that version's scores.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.storage.models import InstanceMeta, Score

KEY = "current_rules_version"


def record_rules_version(session: Session, version: str) -> None:
    """Note the version `adwatch score` just wrote (inside its transaction)."""
    row = session.get(InstanceMeta, KEY)
    if row is None:
        session.add(InstanceMeta(key=KEY, value=version))
    else:
        row.value = version


def current_rules_version(session: Session) -> str | None:
    """The recorded version; for databases scored before it was recorded, the newest score's."""
    recorded = session.scalar(select(InstanceMeta.value).where(InstanceMeta.key == KEY))
    if recorded:
        return recorded
    return session.scalar(select(Score.rules_version).order_by(Score.id.desc()).limit(1))
