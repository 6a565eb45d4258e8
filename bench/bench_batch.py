"""Benchmark: ``triage walk --batch`` against reading and writing the same JSON lines in Python.

The cases are every walk of the shipped tree reached breadth-first (each choice of each question,
dates before and after the deadlines, a text answer), complete or stopped at a question, cycled
to 10,000 and 100,000 lines with a different client name on each line. The floor is a fresh
``python -c`` that reads each line with ``json.loads`` and writes it back with ``json.dumps``.
Each round runs the floor and then the batch, back to back, in fresh processes; the figure is
the median ratio over the rounds, with the lowest and the highest. Target: <= 3x.

    python bench/bench_batch.py [--rounds N] [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Any

from timing import run_timed

from triage.paths import trees_dir
from triage.tree.loader import load_tree
from triage.tree.model import (
    Case,
    Question,
)
from triage.walk.engine import start

PYTHON = sys.executable
TRIAGE = str(Path(PYTHON).parent / "triage")
FLOOR = (
    "import sys, json\n"
    "for l in open(sys.argv[1]): sys.stdout.write(json.dumps(json.loads(l)) + '\\n')"
)
TODAY = dt.date(2026, 11, 27)


def answers_for(question: Question) -> list[Any]:
    """Every choice (or a few random answers of the question's own type), without repeats."""
    found: list[Any] = [c.value for c in question.choices if question.picks_one]
    rnd = random.Random(7)
    for _ in range(6):
        value = question.sample(rnd, TODAY)
        if value not in found:
            found.append(value)
    return found


def cases(limit: int = 5_000) -> list[dict[str, Any]]:
    """Distinct cases, breadth-first from an empty case, for a few contract end dates."""
    tree = load_tree(trees_dir() / "upwork.yaml").tree
    found: list[dict[str, Any]] = []
    queue: deque[dict[str, Any]] = deque()
    for days in (1, 20, 40):
        context = {
            "client_name": "Dana",
            "project_title": "Landing page",
            "rating": 1,
            "contract_end": (TODAY - dt.timedelta(days=days)).isoformat(),
            "review_text": "Late and sloppy.",
        }
        queue.append({"tree": "upwork", "today": TODAY.isoformat(), "context": context,
                      "answers": {}})  # fmt: skip
    while queue and len(found) < limit:
        case = queue.popleft()
        found.append(case)
        walk = start(tree, Case.model_validate(case))
        if walk.question is not None:
            for answer in answers_for(walk.question):
                queue.append({**case, "answers": {**case["answers"], walk.at: answer}})
    return found


def write_lines(path: Path, base: list[dict[str, Any]], count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            case = base[i % len(base)]
            line = {**case, "context": {**case["context"], "client_name": f"Client {i}"}}
            out.write(json.dumps(line) + "\n")


def timed(command: list[str], lines: int) -> float:
    elapsed, result = run_timed(command)
    printed = result.stdout.count(b"\n")
    if result.returncode not in (0, 1) or printed != lines:
        sys.exit(f"{command[:3]}: exit {result.returncode}, {printed} lines for {lines}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3, help="paired runs per size (>= 3)")
    parser.add_argument("--sizes", default="10000,100000", help="lines per batch, comma-separated")
    args = parser.parse_args()
    rounds = max(3, args.rounds)
    base = cases()
    print(f"{len(base)} distinct cases from the shipped tree, one client name per line")
    print(f"{'lines':>8} {'floor':>8} {'batch':>8} {'ratio':>6} {'(min-max)':>13} "
          f"{'cases/s':>8} target  [{rounds} paired rounds]")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"cases-{size}.jsonl"
            write_lines(path, base, size)
            batch = [TRIAGE, "walk", "--batch", str(path), "--format", "json"]
            floor = [PYTHON, "-c", FLOOR, str(path)]
            timed(batch, size)  # warm the file cache and the tree cache
            floors, batches, ratios = [], [], []
            for _ in range(rounds):
                a = timed(floor, size)
                b = timed(batch, size)
                floors.append(a)
                batches.append(b)
                ratios.append(b / a)
            ratio = statistics.median(ratios)
            rate = size / statistics.median(batches)
            print(
                f"{size:>8} {statistics.median(floors):>7.2f}s {statistics.median(batches):>7.2f}s "
                f"{ratio:>5.2f}x ({min(ratios):.2f}-{max(ratios):.2f}) {rate:>8.0f} <= 3.0x "
                f"{'ok' if ratio <= 3.0 else 'OVER'}"
            )


if __name__ == "__main__":
    main()
