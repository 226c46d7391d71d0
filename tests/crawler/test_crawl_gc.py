"""The crawl's garbage-collector tuning is undone when the crawl returns, even on an error."""

from __future__ import annotations

import gc

import pytest

from crawler.run import CRAWL_GC_THRESHOLDS, _crawl_gc, _freeze_loaded_objects


def test_thresholds_and_frozen_objects_are_handed_back() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), _crawl_gc():
        assert gc.get_threshold() == CRAWL_GC_THRESHOLDS
        _freeze_loaded_objects()
        assert gc.get_freeze_count() > 0
        raise RuntimeError("the crawl failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
