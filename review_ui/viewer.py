"""Who a request comes from: the logged-in viewer and the client's address.

Both the security checks and the audit log need them; kept apart from either so neither has to
import the other's module late.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from adwatch.vocabulary import OFFICER


@dataclass(frozen=True)
class Viewer:
    """The logged-in person behind a request."""

    user_id: int
    username: str
    role: str
    csrf: str
    session_id: str
    municipalities: frozenset[str] = frozenset()  # the codes the user is granted

    @property
    def can_decide(self) -> bool:
        return self.role == OFFICER


def origin_of(request: Request) -> str:
    """The client address for the audit log and the rate limit."""
    return request.client.host if request.client else ""
