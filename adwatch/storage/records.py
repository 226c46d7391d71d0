"""Plain records the crawler hands to the store: no ORM, no Scrapy, only values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FetchedResponse:
    """One HTTP response as fetched, with what evidence needs to know about it."""

    kind: str  # "ad_page", "phone_reveal", "image" or "resource" (fetched by the browser)
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    user_agent: str
    redirects: tuple[str, ...] = ()
    rendered: bool = False
    screenshot: bytes | None = None
    # The raw exchange, for the WARC request and response records (see adwatch.storage.warc).
    method: str = "GET"
    request_headers: tuple[tuple[str, str], ...] = ()
    request_body: bytes = b""
    http_version: str = "HTTP/1.1"
    reason: str = ""
    header_list: tuple[tuple[str, str], ...] = ()  # as received, repeated headers kept
    wire_body: bytes | None = None  # the entity as received when it differs from `body`
    content_decoded: bool = False  # `body` had its content coding removed and no wire copy
    ip_address: str = ""
    dom: bytes | None = None  # a rendered page: the DOM after JavaScript ran
    resources: tuple[FetchedResponse, ...] = ()  # what the browser fetched for the page

    def received_headers(self) -> tuple[tuple[str, str], ...]:
        """The headers in the order received; the joined dict for responses without a list."""
        return self.header_list or tuple(self.headers.items())


@dataclass(frozen=True)
class ImageRecord:
    """A downloaded image that decoded safely, with its perceptual hashes."""

    source_url: str
    response: FetchedResponse
    format: str
    width: int
    height: int
    phash: str
    dhash: str
    crop_phashes: tuple[str, ...]
    hash_pipeline: str


@dataclass(frozen=True)
class AdRecord:
    """An in-scope ad as read from its detail page."""

    source_ad_id: str
    url: str
    region: str
    fields: dict[str, object]
    places: list[dict[str, object]]
    page: FetchedResponse
    phone_response: FetchedResponse | None = None
    images: list[ImageRecord] = field(default_factory=list)
    municipality: str = ""  # the code of the municipality whose copy of the ad this is

    CONTENT_FIELDS = ("title", "name", "age", "text", "prices", "town", "posted", "phone")


@dataclass(frozen=True)
class SaveOutcome:
    """What storing one ad did: `new`, `changed` (a new version) or `unchanged`."""

    ad_id: int
    status: str
