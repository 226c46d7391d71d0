"""What the spider yields: one in-scope ad page with the responses that belong to it."""

from __future__ import annotations

from dataclasses import dataclass, field

from adwatch.storage.records import FetchedResponse


@dataclass
class AdPageItem:
    """An in-scope ad before its images are decoded and it is stored."""

    source_ad_id: str
    url: str
    region: str
    fields: dict[str, object]
    places: list[dict[str, object]]
    page: FetchedResponse
    municipality: str
    phone_response: FetchedResponse | None = None
    image_responses: list[FetchedResponse] = field(default_factory=list)
