"""Shared timing helper for the benchmark scripts in this folder."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(action: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``repeat`` calls of ``action``, in seconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)
