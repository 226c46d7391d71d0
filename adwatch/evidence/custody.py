"""Checking the chain of custody: the hash chain itself, and that every pack has its export entry.

The chain alone cannot show that its newest entries were cut off; every EvidencePack row must
therefore be matched by an `export` entry carrying the same manifest digest.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.chain import ChainReport, verify_chain
from adwatch.models import CustodyEvent, EvidencePack


def verify_custody(session: Session) -> ChainReport:
    """Check the custody chain and its agreement with the recorded packs."""
    report = verify_chain(session, CustodyEvent)
    exports = {
        (entry.details or {}).get("pack_id"): entry.manifest_digest
        for entry in session.scalars(select(CustodyEvent).where(CustodyEvent.action == "export"))
    }
    for pack in session.scalars(select(EvidencePack).order_by(EvidencePack.id)):
        if exports.get(pack.id) != pack.manifest_digest:
            report.problems.append(
                f"evidence pack {pack.id} ({pack.file_name}) has no matching export entry"
            )
    return report
