"""Schemas of the YAML files under `config/` and the functions that load them.

`adwatch.yaml` holds the instance settings, `locations.yaml` the municipality's scope, and one
file per ad platform lives in `sources/`. Every file is validated at load time; a wrong key or value
raises ConfigError naming the file, the key and the fix, so nothing starts half-configured.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from adwatch.config.loading import StrictModel, load_model
from adwatch.errors import ConfigError


class ScheduleConfig(StrictModel):
    """When the nightly job runs."""

    time: str = "02:30"
    timezone: str = "Europe/Amsterdam"

    @field_validator("time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("must be HH:MM, 24-hour clock, e.g. '02:30'")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA time zone such as 'Europe/Amsterdam'") from exc
        return value


class CrawlLimits(StrictModel):
    """Bounds that keep a crawl polite and a hostile site harmless."""

    download_timeout_s: float = Field(20.0, gt=0, le=300)
    max_response_bytes: int = Field(5_000_000, gt=1000, le=100_000_000)
    max_image_bytes: int = Field(15_000_000, gt=1000, le=100_000_000)
    max_image_pixels: int = Field(40_000_000, gt=1000, le=400_000_000)
    retry_times: int = Field(3, ge=0, le=10)
    max_retry_after_s: float = Field(300.0, ge=0, le=3600)
    # Names only the outbound proxy resolves; any other name that does not resolve is refused.
    proxy_resolved_hosts: list[str] = Field(default_factory=list)


class MonitorsConfig(StrictModel):
    """Thresholds of the crawl monitors (`crawler.monitors`, docs/sources.md#monitors)."""

    min_field_coverage: float = Field(0.5, ge=0, le=1)
    min_ads_for_coverage: int = Field(10, ge=1, le=100_000)
    max_empty_listing_pages: int = Field(0, ge=0, le=100_000)
    max_error_share: float = Field(0.25, ge=0, le=1)
    min_requests_for_error_share: int = Field(20, ge=1, le=100_000)
    min_listed_share: float = Field(0.0, ge=0, lt=1)


class ServeConfig(StrictModel):
    """How `adwatch serve` trusts what reaches it (issue 16, findings 2 and 8)."""

    # Addresses whose X-Forwarded-For/-Proto headers are believed: the reverse proxy's.
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    # Host names the UI answers to; empty: the address it listens on (and localhost).
    allowed_hosts: list[str] = Field(default_factory=list)


class RetentionConfig(StrictModel):
    """How long each category of ad is kept; `adwatch purge` enforces it (docs/dpia.md)."""

    unflagged_days: int = Field(30, ge=1, le=3650)
    no_signal_days: int = Field(90, ge=1, le=3650)
    closed_case_days: int = Field(365, ge=1, le=3650)
    orphan_grace_hours: int = Field(24, ge=1, le=720)


class SecondOpinionConfig(StrictModel):
    """The learned second opinion beside the rules (docs/scoring.md); off unless switched on."""

    enabled: bool = False
    words_shown: int = Field(5, ge=1, le=20)
    threshold: float | None = Field(None, gt=0, le=1)
    learn_from_decisions: bool = False


class DigestConfig(StrictModel):
    """The nightly e-mail digest: off unless enabled; credentials come from the environment."""

    enabled: bool = False
    smtp_host: str = "localhost"
    smtp_port: int = Field(587, ge=1, le=65535)
    starttls: bool = True
    sender: str = ""
    base_url: str = ""
    timeout_s: float = Field(30.0, gt=0, le=300)

    @model_validator(mode="after")
    def _sender_when_enabled(self) -> DigestConfig:
        if self.enabled and "@" not in self.sender:
            raise ValueError("digest.enabled needs digest.sender, the From address (x@example.nl)")
        return self


class AppConfig(StrictModel):
    """`config/adwatch.yaml`: who runs this instance and how the nightly job behaves."""

    municipality: str
    contact: str = Field(description="where a platform operator can reach the municipality")
    schedule: ScheduleConfig = ScheduleConfig()
    crawl: CrawlLimits = CrawlLimits()
    monitors: MonitorsConfig = MonitorsConfig()
    serve: ServeConfig = ServeConfig()
    retention: RetentionConfig = RetentionConfig()
    second_opinion: SecondOpinionConfig = SecondOpinionConfig()
    digest: DigestConfig = DigestConfig()

    def user_agent(self, version: str) -> str:
        """The user agent that names the municipality, as the politeness rules ask."""
        who = f"gemeente {self.municipality}; toezicht; contact: {self.contact}"
        return f"adwatch/{version} ({who})"


class AmbiguousName(StrictModel):
    """A place name that is also an ordinary word ("houten" = wooden)."""

    not_before: list[str] = Field(default_factory=list)
    not_after: list[str] = Field(default_factory=list)


class LocationsConfig(StrictModel):
    """`config/locations.yaml`: the places that put an ad in scope, and those that do not."""

    municipality: str
    places: list[str] = Field(min_length=1)
    villages: list[str] = Field(default_factory=list)
    neighbourhoods: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(default_factory=list)
    postcode_ranges: list[tuple[int, int]] = Field(default_factory=list)
    neighbour_towns: list[str] = Field(default_factory=list)
    other_towns: list[str] = Field(default_factory=list)
    gazetteer: Literal["nl"] | None = None
    aliases: dict[str, str] = Field(default_factory=dict)
    ambiguous: dict[str, AmbiguousName] = Field(default_factory=dict)

    @field_validator("postcode_ranges")
    @classmethod
    def _valid_ranges(cls, value: list[tuple[int, int]]) -> list[tuple[int, int]]:
        for low, high in value:
            if not (1000 <= low <= high <= 9999):
                raise ValueError("each range is [low, high] with 1000 <= low <= high <= 9999")
        return value


def load_app_config(config_dir: Path) -> AppConfig:
    """Load and validate `adwatch.yaml`."""
    return load_model(config_dir / "adwatch.yaml", AppConfig)


def load_locations(config_dir: Path) -> LocationsConfig:
    """Load and validate `locations.yaml`."""
    return load_model(config_dir / "locations.yaml", LocationsConfig)


def check_config_dir(config_dir: Path) -> None:
    """Fail fast when the configuration folder is missing."""
    if not config_dir.is_dir():
        raise ConfigError(
            f"{config_dir}: configuration folder not found. "
            "Fix: run from the project folder or set ADWATCH_CONFIG_DIR."
        )
