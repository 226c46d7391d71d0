"""The reference the photo index is checked against: a full scan of every hash."""

from __future__ import annotations

import numpy as np


def brute_force(hashes: np.ndarray, query: int, radius: int) -> np.ndarray:
    """Reference answer: positions within `radius`, by a full `bitwise_count` scan."""
    return np.flatnonzero(np.bitwise_count(hashes ^ np.uint64(query)) <= radius)
