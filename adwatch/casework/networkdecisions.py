"""A decision on a network reaches its members: one decision row per member ad (`via_network`).

The review queue and the yearly report both read an ad's own rows, so an ad counts as decided in
the report exactly when the queue leaves it out; an ad that joins the network later has no row
and comes back to the queue.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.storage.models import Decision, NetworkMember


def record_for_members(session: Session, decision: Decision) -> list[int]:
    """Write the member rows of a flushed network decision; returns the member ad ids."""
    members = list(
        session.scalars(
            select(NetworkMember.ad_id)
            .where(NetworkMember.network_id == decision.network_id)
            .order_by(NetworkMember.ad_id)
        )
    )
    session.add_all(
        Decision(
            ad_id=ad_id,
            via_network=decision.network_id,
            status=decision.status,
            partner=decision.partner,
            forwarded_on=decision.forwarded_on,
            reason=decision.reason,
            actor_id=decision.actor_id,
            municipality=decision.municipality,
            created_at=decision.created_at,
        )
        for ad_id in members
    )
    session.flush()
    return members
