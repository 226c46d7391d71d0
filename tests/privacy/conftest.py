"""Fixtures for the privacy tests: a fresh synthetic world per test (it builds in about 1 s)."""

from __future__ import annotations

import pytest
from privacy_world import World, build

from adwatch.instance import Instance


@pytest.fixture
def world(instance: Instance) -> World:
    """The eight synthetic ads with their review state, in a fresh instance."""
    built = build(instance)
    yield built
    instance.db.dispose()
