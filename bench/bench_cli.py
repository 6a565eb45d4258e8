"""Benchmark: cold ``triage`` commands against a bare ``python -c "import yaml, pydantic, jinja2"``.

Every figure is a fresh process, the way a person or a script runs the command. Each round runs
the baseline and then the command, back to back, and takes their ratio, so a slower moment of
the machine hits both; the figure is the median ratio over the rounds, with the lowest and the
highest. Targets: walk <= 1.5x, render <= 2x, validate and check <= 2x.

    python bench/bench_cli.py [--rounds N] [--no-cache]

``--no-cache`` runs every command with ``TRIAGE_CACHE=0`` (trees parsed from their YAML each
time); by default the tree cache is warmed once before the timing, as after a first run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import yaml
from timing import run_timed

from triage.paths import trees_dir
from triage.tree.loader import load_tree
from triage.tree.model import Outcome

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TRIAGE = str(Path(PYTHON).parent / "triage")
BASELINE = [PYTHON, "-c", "import yaml, pydantic, jinja2"]
TARGETS = {"walk": 1.5, "render": 2.0, "validate": 2.0, "check": 2.0}


def cases(folder: Path) -> tuple[Path, Path]:
    """A fresh case (nothing answered) and a complete one (a shipped scenario's answers)."""
    tree_file = trees_dir() / "upwork.yaml"
    tree = load_tree(tree_file).tree
    scenario = next(s for s in tree.scenarios if isinstance(tree.nodes[s.expect], Outcome))
    fresh = folder / "fresh.yaml"
    fresh.write_text(
        "tree: upwork\ntoday: 2026-11-27\ncontext: {client_name: Dana, project_title: Logo, "
        'rating: 2, review_text: "Late.", contract_end: 2026-11-20}\nanswers: {}\n',
        encoding="utf-8",
    )
    done = folder / "done.yaml"
    data = {
        "tree": "upwork",
        "today": (scenario.today.isoformat() if scenario.today else "2026-11-27"),
        "context": scenario.context.model_dump(mode="json", exclude_defaults=True),
        "answers": dict(scenario.answers),
    }
    done.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return fresh, done


def timed(command: list[str], env: dict[str, str]) -> float:
    elapsed, result = run_timed(command, env)
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[:3])} failed: {result.stderr.decode()[-300:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=9, help="paired runs per command (>= 3)")
    parser.add_argument("--no-cache", action="store_true", help="TRIAGE_CACHE=0")
    args = parser.parse_args()
    rounds = max(3, args.rounds)
    env = dict(os.environ)
    if args.no_cache:
        env["TRIAGE_CACHE"] = "0"
    with tempfile.TemporaryDirectory() as tmp:
        fresh, done = cases(Path(tmp))
        commands = {
            "walk": [TRIAGE, "walk", str(fresh), "--format", "json"],
            "render": [TRIAGE, "render", str(done), "--format", "md"],
            "validate": [TRIAGE, "validate", str(trees_dir() / "upwork.yaml")],
            "check": [TRIAGE, "check"],
        }
        print(
            f"{'command':>9} {'baseline':>9} {'command':>9} {'ratio':>6} "
            f"{'(min-max)':>13} target  [{rounds} paired rounds, cache "
            f"{'off' if args.no_cache else 'on'}]"
        )
        for name, command in commands.items():
            timed(command, env)  # warm the file cache (and the tree cache, unless it is off)
            timed(BASELINE, env)
            base_times, times, ratios = [], [], []
            for _ in range(rounds):
                base = timed(BASELINE, env)
                ours = timed(command, env)
                base_times.append(base)
                times.append(ours)
                ratios.append(ours / base)
            ratio = statistics.median(ratios)
            target = TARGETS[name]
            print(
                f"{name:>9} {statistics.median(base_times) * 1e3:>7.0f}ms "
                f"{statistics.median(times) * 1e3:>7.0f}ms {ratio:>5.2f}x "
                f"({min(ratios):.2f}-{max(ratios):.2f}) <= {target}x "
                f"{'ok' if ratio <= target else 'OVER'}"
            )


if __name__ == "__main__":
    main()
