"""Shared timing helper for the benchmark scripts in this folder."""

from __future__ import annotations

import statistics
import subprocess
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


def run_timed(
    command: list[str], env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Run ``command`` (output captured) and return its wall time in seconds, and the result."""
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env=env, check=False)
    return time.perf_counter() - began, result
