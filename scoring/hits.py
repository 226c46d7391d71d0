"""Indicator hits, their evidence, and recorded failures: the plain results every step returns.

Every hit carries evidence the officer can read: a text span with offsets, a stated value, the
linked ad ids, a photo pair with its Hamming distance, or a shared template with its varying parts.
`to_json()` gives the dict stored in `IndicatorHit.evidence` and printed by `adwatch hits --json`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger("adwatch.scoring")
AdId = int
T = TypeVar("T")


@dataclass(frozen=True)
class SpanEvidence:
    """Matched text: `field` is "title" or "text"; offsets are into that field."""

    text: str
    start: int
    end: int
    field: str = "text"
    kind: str = "span"


@dataclass(frozen=True)
class ValueEvidence:
    """A stated or computed value, e.g. a stated age, a price beside the median, towns named."""

    name: str
    value: Any
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)
    span: SpanEvidence | None = None
    kind: str = "value"


@dataclass(frozen=True)
class LinkEvidence:
    """Other ads linked to this one, and through what (`via`: phone, photo, text, versions).

    At most MAX_LINKED ids are kept per ad; `total` says how many there are (the network page
    lists them all), so a large group costs each ad a bounded amount, not the whole group."""

    ad_ids: tuple[AdId, ...]
    via: str
    key: str | None = None
    kind: str = "link"
    total: int = 0


@dataclass(frozen=True)
class PhotoEvidence:
    """A pair of photos in two ads whose perceptual hashes lie within the threshold."""

    image_id: int
    other_ad_id: AdId
    other_image_id: int
    distance: int
    kind: str = "photo"


@dataclass(frozen=True)
class TemplateEvidence:
    """A text template shared by several ads, with the parts that vary per ad.

    Per ad: this ad first, then up to MAX_LINKED - 1 other members with their varying parts;
    `group_size` is the whole group's size."""

    ad_ids: tuple[AdId, ...]
    template: str
    varying: dict[AdId, tuple[str, ...]]
    similarity: float
    kind: str = "template"
    group_size: int = 0


@dataclass(frozen=True)
class Stopped:
    """A match that does not count, and why: for `--explain` and the officer's details.

    `reason` is "negation" (with the denying word in `cue` and its form in `detail`), "unit"
    (a number with its unit, e.g. "18 km"), "quoted" (a client's words), "about_other" (a pet,
    an object or a relative) or "self" (the worker talks of herself)."""

    code: str
    span: SpanEvidence
    reason: str
    cue: SpanEvidence | None = None
    detail: str = ""
    kind: str = "stopped"


MAX_LINKED = 25


Evidence = SpanEvidence | ValueEvidence | LinkEvidence | PhotoEvidence | TemplateEvidence


@dataclass(frozen=True)
class Hit:
    """One indicator found on one ad, with its configured weight and evidence."""

    code: str
    weight: float
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready form: code, weight and a list of evidence dicts."""
        return {
            "code": self.code,
            "weight": self.weight,
            "evidence": [dataclasses.asdict(item) for item in self.evidence],
        }


@dataclass(frozen=True)
class Failure:
    """An indicator that raised on an ad; recorded so the run goes on and the gap is visible."""

    code: str
    ad_id: AdId | None
    error: str


def guarded(
    code: str, ad_id: AdId | None, failures: list[Failure], run: Callable[[], T]
) -> T | None:
    """Run one indicator; on an exception log it with ad and code, record a Failure, return None."""
    try:
        return run()
    except Exception as exc:  # one broken indicator must not stop the others
        log.exception("indicator %s failed on ad %s", code, ad_id)
        failures.append(Failure(code=code, ad_id=ad_id, error=f"{type(exc).__name__}: {exc}"))
        return None
