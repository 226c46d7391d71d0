"""Shared fixtures for the scoring tests: the rules, the gazetteer and the scorer, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from adwatch.config.scope import LocationMatcher
from scoring.pipeline import AdScorer
from scoring.rules import Rules, default_rules_path, load_rules

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules(default_rules_path())


@pytest.fixture(scope="session")
def places() -> LocationMatcher:
    return LocationMatcher.from_config_dir(CONFIG_DIR)


@pytest.fixture(scope="session")
def scorer(rules: Rules, places: LocationMatcher) -> AdScorer:
    return AdScorer(rules, places)
