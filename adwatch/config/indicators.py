"""The schema and loader of `config/indicators.yaml`: indicators, patterns, weights, thresholds.

`load_indicators(path)` checks the file once (unknown keys, unknown or missing indicator codes, and
spaCy patterns that spaCy refuses all fail with a message naming file, key and fix) and returns
frozen `Rules`. Scoring compiles its matchers from that object, the UI and the reports take their
indicator labels from it. `Rules.version` is derived from the file's parsed content, so every
stored score can say which rules produced it and a change of weights can be re-scored and compared.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import spacy
from pydantic import Field, model_validator

from adwatch.config.loading import StrictModel, load_model, read_yaml
from adwatch.errors import ConfigError
from adwatch.vocabulary import INDICATOR_CODES

TokenPattern = list[dict[str, Any]]


class IndicatorRule(StrictModel):
    """One indicator: its label (nl), VNG categories, weight and text patterns."""

    label: str = Field(min_length=3)
    vng: list[int] = Field(min_length=1)
    weight: float = Field(ge=0, le=100)
    description: str = ""
    phrases: list[str] = Field(default_factory=list)
    patterns: list[TokenPattern] = Field(default_factory=list)
    negatable: bool = True

    @model_validator(mode="after")
    def _vng_in_range(self) -> IndicatorRule:
        if any(category not in range(1, 6) for category in self.vng):
            raise ValueError("vng categories are 1 to 5 (Signalenkaart Mensenhandel)")
        return self


class TierThresholds(StrictModel):
    """Minimum scores for the tiers; a score above zero and below `middel` is `laag`."""

    hoog: float = Field(gt=0)
    middel: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> TierThresholds:
        if self.middel >= self.hoog:
            raise ValueError("tiers.middel must be lower than tiers.hoog")
        return self


class Parameters(StrictModel):
    """Thresholds of the indicators that are functions rather than patterns."""

    minor_age_below: int = Field(default=18, ge=12, le=21)
    young_age_max: int = Field(default=20, ge=18, le=25)
    low_price_fraction: float = Field(default=0.5, gt=0, lt=1)
    low_price_max: float = Field(default=60, ge=0)
    low_price_min_ads: int = Field(default=5, ge=2)
    multi_city_min_towns: int = Field(default=2, ge=2)
    multi_city_ignore_after: list[str] = Field(default_factory=list)
    photo_max_distance: int = Field(default=8, ge=0, le=20)
    text_min_jaccard: float = Field(default=0.6, gt=0, le=1)
    text_shingle_words: int = Field(default=3, ge=1, le=8)


class Negation(StrictModel):
    """The words of the one negation mechanism (`scoring.negation`), lower case."""

    before: list[str] = Field(default_factory=list)
    close_before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    answers: list[str] = Field(default_factory=list)
    contrast: list[str] = Field(default_factory=list)
    breaks: list[str] = Field(default_factory=list)
    harmless: list[str] = Field(default_factory=list)


class Normalise(StrictModel):
    """Spelling normalisation before matching (`scoring.textnorm`)."""

    abbreviations: dict[str, str] = Field(default_factory=dict)


class Rules(StrictModel):
    """The whole of `config/indicators.yaml`, checked."""

    tiers: TierThresholds
    parameters: Parameters = Parameters()
    negation: Negation = Negation()
    normalise: Normalise = Normalise()
    indicators: dict[str, IndicatorRule]
    version: str = ""

    @model_validator(mode="after")
    def _codes_match_catalogue(self) -> Rules:
        unknown = sorted(set(self.indicators) - set(INDICATOR_CODES))
        missing = sorted(set(INDICATOR_CODES) - set(self.indicators))
        if unknown:
            raise ValueError(
                f"unknown indicator codes {unknown}; the catalogue has {INDICATOR_CODES}"
            )
        if missing:
            raise ValueError(f"indicator codes missing: {missing}; add an entry for each")
        return self

    def weight(self, code: str) -> float:
        """The configured weight of an indicator code."""
        return self.indicators[code].weight


def rules_version(raw: object) -> str:
    """A short content hash of the parsed rules: "rules-sha256:<12 hex>"."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "rules-sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def load_indicators(path: Path) -> Rules:
    """Read and check `indicators.yaml`; raise ConfigError naming file, key and fix."""
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level. Fix: see docs/scoring.md.")
    if "version" in raw:
        raise ConfigError(f"{path}: key 'version' is computed, not configured. Fix: remove it.")
    rules = load_model(path, Rules, data={**raw, "version": rules_version(raw)})
    check_patterns(path, rules)
    return rules


def check_patterns(path: Path, rules: Rules) -> None:
    """Let spaCy validate every token pattern once, at load time."""
    matcher = spacy.matcher.Matcher(spacy.blank("nl").vocab, validate=True)
    for code, rule in rules.indicators.items():
        for index, pattern in enumerate(rule.patterns):
            try:
                matcher.add(f"{code}_{index}", [pattern])
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(
                    f"{path}: key 'indicators.{code}.patterns.{index}': spaCy refused the "
                    f"pattern: {exc}. Fix: use token attributes like LOWER, IN, OP."
                ) from exc


def indicator_labels(config_dir: Path) -> dict[str, str]:
    """Code → Dutch label, in the order the checked `indicators.yaml` lists the indicators."""
    rules = load_indicators(config_dir / "indicators.yaml")
    return {code: rule.label for code, rule in rules.indicators.items()}
