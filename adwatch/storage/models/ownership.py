"""Which municipality a decision, note or evidence pack belongs to: that of its subject.

Filled in as the row is inserted, so every writer (the review UI, the CLI, a test) gets it right
without repeating the lookup; a subject that belongs to no municipality cannot be written about.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from adwatch.storage.models.collection import Ad
from adwatch.storage.models.logs import EvidencePack
from adwatch.storage.models.review import Decision, Note
from adwatch.storage.models.scoring import NetworkMember


def ad_municipality(connection: Any, ad_id: int) -> str | None:
    return connection.scalar(select(Ad.municipality).where(Ad.id == ad_id))


def network_municipality(connection: Any, network_id: str) -> str | None:
    """A network's municipality: its members all belong to one (scoring never links across)."""
    query = (
        select(Ad.municipality)
        .join(NetworkMember, NetworkMember.ad_id == Ad.id)
        .where(NetworkMember.network_id == network_id)
        .limit(1)
    )
    return connection.scalar(query)


def subject_municipality(connection: Any, ad_id: int | None, network_id: str | None) -> str | None:
    """The municipality of an ad or of a network, or None when it is not stored."""
    if ad_id is not None:
        return ad_municipality(connection, ad_id)
    if network_id is not None:
        return network_municipality(connection, network_id)
    return None


def _owner(connection: Any, target: Any) -> str:
    if isinstance(target, EvidencePack):
        ad_id, network_id = (target.ad_ids or [None])[0], target.network_id
    else:
        ad_id, network_id = target.ad_id, target.network_id
    found = subject_municipality(connection, ad_id, network_id)
    if found is None:
        raise ValueError(f"{type(target).__name__}: its subject belongs to no municipality")
    return found


def _fill_municipality(_mapper: Any, connection: Any, target: Any) -> None:
    if not target.municipality:
        target.municipality = _owner(connection, target)


for _model in (Decision, Note, EvidencePack):
    event.listen(_model, "before_insert", _fill_municipality)
