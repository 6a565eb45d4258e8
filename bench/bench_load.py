"""Benchmark: load + whole-tree checks against a bare ``yaml.load(text, Loader=CSafeLoader)``.

Generates trees of 1,000 and 10,000 questions, times both on the same text in the same run and
prints the ratio. Targets: <= 1.5x at 1,000 nodes, <= 2x at 10,000 nodes.

    python bench/bench_load.py [--repeat N]
"""

from __future__ import annotations

import argparse
from functools import partial

import yaml
from timing import median_time

from triage.checks import check_loaded
from triage.loader import Limits, load_tree_text

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{'questions':>10} {'bytes':>10} {'yaml.load':>10} {'load':>9} {'checks':>9} "
        f"{'total':>9} {'ratio':>6} target"
    )
    for size, target in ((1_000, 1.5), (10_000, 2.0)):
        text = generate(size)
        baseline = median_time(partial(yaml.load, text, Loader=yaml.CSafeLoader), args.repeat)
        loaded = load_tree_text(text, "bench.yaml", BIG)
        report = check_loaded(loaded)
        assert report.ok, [str(p) for p in report.errors][:5]
        load = median_time(partial(load_tree_text, text, "bench.yaml", BIG), args.repeat)
        checks = median_time(partial(check_loaded, loaded), args.repeat)
        total = load + checks
        ratio = total / baseline
        print(
            f"{size:>10} {len(text):>10} {baseline * 1e3:>8.1f}ms {load * 1e3:>7.1f}ms "
            f"{checks * 1e3:>7.1f}ms {total * 1e3:>7.1f}ms {ratio:>5.2f}x "
            f"<= {target}x {'ok' if ratio <= target else 'OVER'}"
        )


if __name__ == "__main__":
    main()
