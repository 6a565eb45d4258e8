"""Benchmark: load + whole-tree checks against two baselines timed on the same text in the same run.

- ``yaml.load(text, Loader=CSafeLoader)``: libyaml's parser with PyYAML's constructor in Python,
  the usual way to read YAML;
- libyaml's raw event stream, ``yaml.parse(text, Loader=CSafeLoader)`` consumed to the end: the
  least any YAML reader can do (our loader reads this very stream and builds from it).

Generates trees of 1,000 and 10,000 questions. Each round times the four (both baselines, the
load, the checks) back to back; a ratio is the median over the rounds, with the lowest and the
highest. Targets (against ``yaml.load``): <= 1.5x at 1,000 nodes, <= 2x at 10,000 nodes.

    python bench/bench_load.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import yaml

from triage.tree.checks import check_loaded
from triage.tree.loader import Limits, load_tree_text

# The shipped limits (1 MB) guard uploads; a 10,000-question tree is ~5 MB, so lift them here.
BIG = Limits(max_bytes=50_000_000, max_nodes=5_000_000)


def generate(questions: int) -> str:
    """A tree of ``questions`` questions in a chain; each may end early at one of 4 outcomes.

    Every tenth node is a branch on the days since the contract ended, so conditional routes
    and their exhaustiveness checks are part of the work.
    """
    lines = [
        "id: bench",
        "title: Generated benchmark tree",
        "platform: Test",
        "start: q0",
        "sources:",
        "  s:",
        "    title: Source",
        "    url: https://example.org/policy",
        "    checked: 2026-11-27",
        "grounds:",
        "  manipulation:",
        "    name: manipulation",
        "    short: manipulation",
        "    rule: Pressure or bribes for a feedback outcome.",
        "    source: s",
        "nodes:",
    ]
    kinds = [
        ("dispute", "  ground: manipulation"),
        ("respond", ""),
        ("request_change", ""),
        ("no_action", ""),
    ]
    for i in range(questions):
        nxt = f"q{i + 1}" if i + 1 < questions else "end_0"
        end = f"end_{i % 4}"
        if i % 10 == 9:
            lines += [
                f"  q{i}:",
                "    type: branch",
                "    routes:",
                "      - when: {days_since: contract_end, more_than: 28}",
                f"        go: {end}",
                "        because: The reply window has closed.",
                "    otherwise:",
                f"      go: {nxt}",
            ]
            continue
        lines += [
            f"  q{i}:",
            "    type: choice",
            f"    ask: Question number {i}, which of these describes the review?",
            f"    short: Question {i}",
            "    help: Pick the one closest to what happened; examples are in the choices.",
            "    source: s",
            "    choices:",
            "      - value: first",
            "        label: The first possibility, described in a full sentence.",
            f"        go: {nxt}",
            "      - value: second",
            "        label: The second possibility, described in a full sentence.",
            f"        go: {end}",
            "      - value: third",
            "        label: The third possibility.",
            f"        go: {nxt}",
        ]
    for k, (kind, ground) in enumerate(kinds):
        lines += [
            f"  end_{k}:",
            "    type: outcome",
            f"    kind: {kind}",
            *([ground.replace("  ", "    ", 1)] if ground else []),
            f"    title: Outcome {k}",
            "    summary: Why this is the outcome.",
            "    template: no_action",
            "    source: s",
        ]
    lines += ["scenarios:"]
    for k in range(4):
        # Take "first" k times, then "second", which ends at end_k.
        answers = ", ".join([f"q{j}: first" for j in range(k)] + [f"q{k}: second"])
        lines += [
            f"  - name: reaches end {k}",
            "    today: 2026-11-27",
            "    context: {contract_end: 2026-11-20}",
            f"    answers: {{{answers}}}",
            f"    expect: end_{k}",
        ]
    return "\n".join(lines) + "\n"


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def events(text: str) -> None:
    """libyaml's event stream, read to the end and thrown away."""
    for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
        pass


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):5.2f}x ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="rounds per size (>= 3)")
    args = parser.parse_args()
    rounds = max(3, args.repeat)
    print(
        f"{'questions':>10} {'bytes':>9} {'yaml.load':>9} {'events':>8} {'load':>8} "
        f"{'checks':>8} {'vs yaml.load (min-max)':>23} {'vs events (min-max)':>21} target "
        f"[{rounds} rounds]"
    )
    for size, target in ((1_000, 1.5), (10_000, 2.0)):
        text = generate(size)
        loaded = load_tree_text(text, "bench.yaml", BIG)
        report = check_loaded(loaded)
        assert report.ok, [str(p) for p in report.errors][:5]
        times: dict[str, list[float]] = {"yaml.load": [], "events": [], "load": [], "checks": []}
        for _ in range(rounds):
            times["yaml.load"].append(timed(partial(yaml.load, text, Loader=yaml.CSafeLoader)))
            times["events"].append(timed(partial(events, text)))
            times["load"].append(timed(partial(load_tree_text, text, "bench.yaml", BIG)))
            times["checks"].append(timed(partial(check_loaded, loaded)))
        totals = [a + b for a, b in zip(times["load"], times["checks"], strict=True)]
        by_load = [t / b for t, b in zip(totals, times["yaml.load"], strict=True)]
        by_events = [t / b for t, b in zip(totals, times["events"], strict=True)]
        ms = {name: statistics.median(values) * 1e3 for name, values in times.items()}
        print(
            f"{size:>10} {len(text):>9} {ms['yaml.load']:>7.1f}ms {ms['events']:>6.1f}ms "
            f"{ms['load']:>6.1f}ms {ms['checks']:>6.1f}ms {spread(by_load):>23} "
            f"{spread(by_events):>21} <= {target}x vs yaml.load "
            f"{'ok' if statistics.median(by_load) <= target else 'OVER'}"
        )


if __name__ == "__main__":
    main()
