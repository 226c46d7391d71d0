"""SQLAlchemy 2 models, one module per side: collection, scoring, review.

Import models from here; every module registers its tables on the one `Base.metadata`.
"""

from adwatch.models.base import Base, UTCDateTime
from adwatch.models.collection import Ad, AdImage, AdVersion, Capture, CrawlRun, Image, Source
from adwatch.models.logs import AuditEvent, CustodyEvent, EvidencePack
from adwatch.models.review import DECISIONS, PARTNERS, ROLES, Decision, Note, User, UserSession
from adwatch.models.scoring import (
    IndicatorFailure,
    IndicatorHit,
    Network,
    NetworkMember,
    PhoneLink,
    Score,
)

__all__ = [
    "DECISIONS",
    "PARTNERS",
    "ROLES",
    "Ad",
    "AdImage",
    "AdVersion",
    "AuditEvent",
    "Base",
    "Capture",
    "CrawlRun",
    "CustodyEvent",
    "Decision",
    "EvidencePack",
    "Image",
    "IndicatorFailure",
    "IndicatorHit",
    "Network",
    "NetworkMember",
    "Note",
    "PhoneLink",
    "Score",
    "Source",
    "UTCDateTime",
    "User",
    "UserSession",
]
