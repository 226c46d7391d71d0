"""Fixtures of the monitoring tests: one instance filled with known counts, shared read-only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.migrate import upgrade
from tests.helpers import instance_env
from tests.monitoring.monitoring_world import build


@pytest.fixture(scope="session")
def known(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, dict[int, int]]]:
    """The instance with the world of known counts, and its ad ids by number."""
    data_dir = tmp_path_factory.mktemp("monitoring") / "data"
    instance = Instance(load_settings(instance_env(data_dir)))
    upgrade(instance.db)
    ids = build(instance.db)
    yield instance, ids
    instance.db.dispose()
