"""Ad platform sources: one YAML file per platform in `config/sources/`.

YAML says what, where and when; the crawler's Python says how. Selectors are compiled at load time
so that a typo fails before a crawl starts, naming the file and the key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from parsel import Selector
from pydantic import Field, field_validator, model_validator

from adwatch.config.loading import StrictModel, load_model
from adwatch.config.schemas import MonitorsConfig
from adwatch.errors import ConfigError

SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
AD_FIELDS = ("title", "name", "age", "text", "prices", "town", "posted", "phone", "images")
_PROBE = Selector(text="<html><body></body></html>")


def check_selector(value: str) -> str:
    """Compile a CSS selector, or an XPath one written `xpath:<expr>`; ValueError if bad."""
    try:
        if value.startswith("xpath:"):
            _PROBE.xpath(value.removeprefix("xpath:"))
        else:
            _PROBE.css(value)
    except Exception as exc:  # parsel raises several unrelated types for a bad expression
        raise ValueError(f"selector {value!r} does not compile: {exc}") from exc
    return value


def select(node: Selector, selector: str):
    """Apply a selector written in the source YAML (CSS, or `xpath:` prefixed)."""
    if selector.startswith("xpath:"):
        return node.xpath(selector.removeprefix("xpath:"))
    return node.css(selector)


class Consent(StrictModel):
    """How to pass the platform's 18+ consent wall."""

    cookie_name: str | None = None
    cookie_value: str = "1"
    click: str | None = Field(None, description="CSS selector of the consent button (browser)")
    wall_marker: str | None = Field(None, description="CSS selector present only on the wall")

    @field_validator("click", "wall_marker")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return check_selector(value) if value else value


class Region(StrictModel):
    """A listing page to start from. `municipality` names the municipality (its code) whose own
    region page this is; `in_scope: true` says the same where only one municipality is set up."""

    name: str
    path: str
    in_scope: bool = False
    municipality: str | None = None


class Listing(StrictModel):
    """Where the ad links and the next-page link are on a listing page."""

    ad_links: str
    next_page: str | None = None
    wait_for: str | None = Field(None, description="selector to wait for when rendered")

    @field_validator("ad_links", "next_page", "wait_for")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return check_selector(value) if value else value


class PhoneReveal(StrictModel):
    """The 'toon nummer' step: a click in the browser, or the JSON endpoint the button calls."""

    click: str | None = None
    wait_for: str | None = None
    fetch: str | None = Field(None, description="path template with {id}, answering JSON")
    json_key: str = "phone"

    @field_validator("click", "wait_for")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return check_selector(value) if value else value


class AdPage(StrictModel):
    """How to read one ad's detail page."""

    id_from_url: str = Field(description="regular expression with a group named 'id'")
    fields: dict[str, str]
    required: list[str] = Field(default_factory=lambda: ["title", "text"])
    phone_reveal: PhoneReveal | None = None

    @field_validator("id_from_url")
    @classmethod
    def _has_id_group(cls, value: str) -> str:
        try:
            pattern = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        if "id" not in pattern.groupindex:
            raise ValueError("needs a named group (?P<id>...)")
        return value

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        for name, selector in value.items():
            if name not in AD_FIELDS:
                raise ValueError(f"unknown field {name!r}; known fields: {', '.join(AD_FIELDS)}")
            check_selector(selector)
        return value

    @model_validator(mode="after")
    def _required_have_selectors(self) -> AdPage:
        missing = [name for name in self.required if name not in self.fields]
        if missing:
            raise ValueError(f"required fields without a selector: {', '.join(missing)}")
        return self


class Politeness(StrictModel):
    """Throttling and robots.txt; ignoring robots.txt needs a recorded legal basis."""

    requests_per_second: float = Field(2.0, gt=0, le=1000)
    concurrency: int = Field(4, ge=1, le=64)
    robots: Literal["obey", "ignore"] = "obey"
    legal_basis: str | None = None

    @model_validator(mode="after")
    def _basis_for_ignoring(self) -> Politeness:
        if self.robots == "ignore" and not (self.legal_basis or "").strip():
            raise ValueError("robots: ignore needs legal_basis: the recorded basis for it")
        return self


class SourceConfig(StrictModel):
    """One ad platform, as configured by the municipality."""

    name: str
    title: str
    enabled: bool = True
    base_url: str
    render: bool = False
    spider: str | None = Field(None, description="a PlatformSpider subclass in crawler.spiders")
    local_test_source: bool = Field(False, description="may fetch 127.0.0.1; tests and demo only")
    consent: Consent | None = None
    regions: list[Region] = Field(min_length=1)
    listing: Listing
    ad: AdPage
    politeness: Politeness = Politeness()
    # Only the keys written here override adwatch.yaml's `monitors` for this source.
    monitors: MonitorsConfig | None = None
    block_markers: list[str] = Field(
        default_factory=lambda: ["captcha", "are you a robot", "access denied", "toegang geweigerd"]
    )

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SOURCE_NAME.match(value):
            raise ValueError("lower case letters, digits and _ only, starting with a letter")
        return value

    @field_validator("spider")
    @classmethod
    def _in_crawler(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"crawler\.spiders\.[a-z_.]+\.[A-Za-z]+", value):
            raise ValueError("must name a class in crawler.spiders, e.g. crawler.spiders.x.XSpider")
        return value

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+$", value):
            raise ValueError("scheme and host only, e.g. 'https://platform.example' (no path)")
        return value

    def url(self, path: str) -> str:
        """An absolute URL on this platform."""
        return self.base_url + path


def load_source(path: Path) -> SourceConfig:
    """Load one source file; its file name must equal its `name`."""
    source = load_model(path, SourceConfig)
    if path.stem != source.name:
        raise ConfigError(
            f"{path}: key 'name': {source.name!r} differs from the file name. "
            f"Fix: rename the file to {source.name}.yaml or set name: {path.stem}."
        )
    return source


def load_sources(sources_dir: Path) -> dict[str, SourceConfig]:
    """All sources in the folder, by name."""
    if not sources_dir.is_dir():
        raise ConfigError(f"{sources_dir}: folder not found. Fix: create config/sources/.")
    sources = [load_source(path) for path in sorted(sources_dir.glob("*.yaml"))]
    return {source.name: source for source in sources}


def pick_sources(all_sources: dict[str, SourceConfig], names: list[str]) -> list[SourceConfig]:
    """The named sources, or every enabled one when no name is given."""
    if not names:
        return [source for source in all_sources.values() if source.enabled]
    unknown = [name for name in names if name not in all_sources]
    if unknown:
        known = ", ".join(sorted(all_sources)) or "(none)"
        raise ConfigError(f"unknown source {unknown[0]!r}; configured sources: {known}.")
    return [all_sources[name] for name in names]
