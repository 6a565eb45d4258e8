"""Benchmark: the CLI's tests run in-process (``triage.cli.main``) against the same tests with a
fresh ``python -m triage.cli`` process per call (``TRIAGE_CLI_SUBPROCESS=1``), the baseline.

Each round runs both, back to back, in turns, so a slower moment of the machine hits both; the
figure is the median time of each over the rounds, with the lowest and the highest, and their
ratio.

    python bench/bench_cli_tests.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    "tests/test_cli.py",
    "tests/test_faults_cli.py",
    "tests/test_cli_tone_for.py",
    "tests/test_faults_flood.py",
]


def timed(subprocess_mode: bool) -> float:
    env = {**os.environ, "TRIAGE_CLI_SUBPROCESS": "1" if subprocess_mode else "0"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FILES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the tests failed:\n{done.stdout.decode()[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    inside: list[float] = []
    fresh: list[float] = []
    for _ in range(rounds):
        inside.append(timed(False))
        fresh.append(timed(True))

    def line(name: str, times: list[float]) -> str:
        return (
            f"{name:<28} median {statistics.median(times):6.1f} s "
            f"(lowest {min(times):.1f}, highest {max(times):.1f})"
        )

    print(line("in-process", inside))
    print(line("a process per call (base)", fresh))
    ratio = statistics.median(inside) / statistics.median(fresh)
    print(f"ratio in-process / baseline: {ratio:.2f}x over {rounds} rounds")


if __name__ == "__main__":
    main()
