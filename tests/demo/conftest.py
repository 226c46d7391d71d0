"""Fixtures for the demo platform tests: one platform on day 1, served from a thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from demo_client import Client

from application.demo.server import DemoPlatform


@pytest.fixture(scope="module")
def platform() -> DemoPlatform:
    return DemoPlatform(seed=2026, day=1)


@pytest.fixture(scope="module")
def client(platform: DemoPlatform) -> Iterator[Client]:
    with platform.serve_in_thread() as base_url:
        yield Client(base_url)
