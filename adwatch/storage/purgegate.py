"""Opening the purge gate: the only way past the append-only triggers (see migration 0004)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete
from sqlalchemy.orm import Session

from adwatch.storage.models import PurgeGate

GATE = "open"


@contextmanager
def purge_gate(session: Session) -> Iterator[None]:
    """Within the session's transaction, let evidence and version rows be deleted."""
    session.add(PurgeGate(name=GATE))
    session.flush()
    try:
        yield
    finally:
        session.execute(delete(PurgeGate).where(PurgeGate.name == GATE))
