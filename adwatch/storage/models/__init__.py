"""SQLAlchemy 2 models, one module per side: collection, scoring, review.

Import models from here; every module registers its tables on the one `Base.metadata`.
"""

from adwatch.storage.models.base import Base, UTCDateTime
from adwatch.storage.models.cases import (
    CASE_EVENTS,
    CASE_STEPS,
    CaseEvent,
    CaseFile,
    CaseItem,
    DigestSubscription,
    SavedFilter,
)
from adwatch.storage.models.collection import (
    Ad,
    AdImage,
    AdVersion,
    Capture,
    CrawlRun,
    Image,
    Source,
)
from adwatch.storage.models.logs import AuditEvent, CustodyEvent, EvidencePack, Seal
from adwatch.storage.models.opinion import OpinionModel, SecondOpinion
from adwatch.storage.models.privacy import (
    APPEND_ONLY_TABLES,
    DeletionRecord,
    InstanceMeta,
    LegalHold,
    PurgeGate,
)
from adwatch.storage.models.review import (
    DECISIONS,
    PARTNERS,
    ROLES,
    Decision,
    Note,
    User,
    UserGrant,
    UserSession,
)
from adwatch.storage.models.scoring import (
    IndicatorFailure,
    IndicatorHit,
    Network,
    NetworkMember,
    PhoneLink,
    Score,
)

__all__ = [
    "APPEND_ONLY_TABLES",
    "CASE_EVENTS",
    "CASE_STEPS",
    "DECISIONS",
    "PARTNERS",
    "ROLES",
    "Ad",
    "AdImage",
    "AdVersion",
    "AuditEvent",
    "Base",
    "Capture",
    "CaseEvent",
    "CaseFile",
    "CaseItem",
    "CrawlRun",
    "CustodyEvent",
    "Decision",
    "DeletionRecord",
    "DigestSubscription",
    "EvidencePack",
    "Image",
    "IndicatorFailure",
    "IndicatorHit",
    "InstanceMeta",
    "LegalHold",
    "Network",
    "NetworkMember",
    "Note",
    "OpinionModel",
    "PhoneLink",
    "PurgeGate",
    "SavedFilter",
    "Score",
    "Seal",
    "SecondOpinion",
    "Source",
    "UTCDateTime",
    "User",
    "UserGrant",
    "UserSession",
]

# Registers the insert hooks that give decisions, notes and packs their subject's municipality.
from adwatch.storage.models import ownership  # noqa: F401
