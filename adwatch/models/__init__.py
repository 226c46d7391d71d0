"""SQLAlchemy 2 models, one module per side: collection, scoring, review.

Import models from here; every module registers its tables on the one `Base.metadata`.
"""

from adwatch.models.base import Base, UTCDateTime
from adwatch.models.collection import Ad, AdImage, AdVersion, Capture, CrawlRun, Image, Source
from adwatch.models.scoring import (
    IndicatorFailure,
    IndicatorHit,
    Network,
    NetworkMember,
    PhoneLink,
    Score,
)

__all__ = [
    "Ad",
    "AdImage",
    "AdVersion",
    "Base",
    "Capture",
    "CrawlRun",
    "Image",
    "IndicatorFailure",
    "IndicatorHit",
    "Network",
    "NetworkMember",
    "PhoneLink",
    "Score",
    "Source",
    "UTCDateTime",
]
