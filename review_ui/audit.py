"""Audit entries for every view and action: who, what, which ids, result, from where.

Entries hold ids and codes only, never ad text, phone numbers or images.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from adwatch.storage.chain import append
from adwatch.storage.models import AuditEvent
from review_ui.viewer import Viewer, origin_of


def actor_of(viewer: Viewer | None, fallback: str = "anoniem") -> str:
    """The actor as the log names it: `user:<id>:<username>`."""
    return f"user:{viewer.user_id}:{viewer.username}" if viewer else fallback


def add_entry(
    session: Session,
    request: Request,
    actor: str,
    action: str,
    object_type: str,
    object_ids: list[Any],
    result: str = "ok",
    details: dict[str, Any] | None = None,
) -> None:
    """Append an entry inside the caller's write transaction."""
    append(
        session,
        AuditEvent,
        actor=actor,
        action=action,
        object_type=object_type,
        object_ids=list(object_ids),
        details=details or {},
        result=result,
        origin=origin_of(request),
    )


def record(
    request: Request,
    viewer: Viewer | None,
    action: str,
    object_type: str,
    object_ids: list[Any],
    result: str = "ok",
    details: dict[str, Any] | None = None,
) -> None:
    """Append an entry in its own transaction (views and refusals; see `Database.logging`)."""
    if result != "ok":
        request.state.refusal_audited = True  # the error handler need not record it again
    with request.app.state.instance.db.logging() as session:
        add_entry(
            session, request, actor_of(viewer), action, object_type, object_ids, result, details
        )
