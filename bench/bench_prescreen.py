"""Benchmark: the pre-screen's quality and speed, each against a baseline from the same run.

Quality, on tests/data/prescreen_labelled.yaml, for the train and the held-out test split:
precision and recall per ground, and false alarms on opinion-only reviews. The baseline is the
signals file of commit BASELINE_COMMIT (before issue 11), read with ``git show``; it is skipped
when git or that commit is not there.

Speed: the time ``load_rules()`` / ``load_signals()`` takes in a fresh process (median of
RUNS subprocesses), without the regex cache (an empty cache folder) and with it; the baseline
is a fresh process's first validation of a one-field model, pydantic's own start-up, which every
first load pays. Then the screening time per 5,000 characters, against one ``\\w+`` scan.

    python bench/bench_prescreen.py
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from timing import median_time

from triage.text.prescreen import ScreenRules, load_signals, parse_signals, screen

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "prescreen_labelled.yaml"
BASELINE_COMMIT = "e824bb0"
GROUNDS = load_signals().grounds  # the grounds the shipped signals suggest
RUNS = 5
WORDS = re.compile(r"\w+")

LOADS = {
    "tone rules": "from triage.text.tone import load_rules as load",
    "screen signals": "from triage.text.prescreen import load_signals as load",
    "baseline: pydantic start-up": (
        "from triage.tree.model import Frozen\n"
        "class One(Frozen):\n    x: int\n"
        "load = lambda: One.model_validate({'x': 1})"
    ),
}
_TIMED = "import time\n{setup}\nt = time.perf_counter(); load(); print(time.perf_counter() - t)\n"


def entries() -> list[dict[str, Any]]:
    texts: list[dict[str, Any]] = yaml.safe_load(LABELLED.read_text("utf-8"))["texts"]
    return texts


def scores(
    items: Sequence[dict[str, Any]], rules: ScreenRules | None
) -> tuple[dict[str, tuple[float, float, int, int, int]], tuple[int, int]]:
    """Per ground (precision, recall, tp, fp, fn), and (false alarms, opinion-only texts)."""
    tp = dict.fromkeys(GROUNDS, 0)
    fp = dict.fromkeys(GROUNDS, 0)
    fn = dict.fromkeys(GROUNDS, 0)
    alarms = opinions = 0
    for item in items:
        got = set(screen(item["review"], item.get("messages") or "", rules=rules).suggested_grounds)
        want = set(item["grounds"])
        for ground in GROUNDS:
            tp[ground] += ground in got and ground in want
            fp[ground] += ground in got and ground not in want
            fn[ground] += ground in want and ground not in got
        if item.get("opinion_only"):
            opinions += 1
            alarms += bool(got)
    table = {
        g: (
            tp[g] / (tp[g] + fp[g]) if tp[g] + fp[g] else 1.0,
            tp[g] / (tp[g] + fn[g]) if tp[g] + fn[g] else 1.0,
            tp[g],
            fp[g],
            fn[g],
        )
        for g in GROUNDS
    }
    return table, (alarms, opinions)


def baseline_rules() -> ScreenRules | None:
    try:
        old = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:triage/text/rules/screen.yaml"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return parse_signals(old, "screen.yaml@" + BASELINE_COMMIT)


def quality() -> None:
    items = entries()
    old = baseline_rules()
    for split in ("train", "test"):
        chosen = [i for i in items if i["split"] == split]
        table, (alarms, opinions) = scores(chosen, None)
        before = scores(chosen, old) if old is not None else None
        print(f"\n{split} split: {len(chosen)} texts")
        print(f"  {'ground':<22} {'precision':>9} {'recall':>7} {'tp/fp/fn':>10}   baseline P/R")
        for ground in GROUNDS:
            p, r, t, f, n = table[ground]
            base = f"{before[0][ground][0]:.2f}/{before[0][ground][1]:.2f}" if before else "-"
            print(f"  {ground:<22} {p:>9.2f} {r:>7.2f} {f'{t}/{f}/{n}':>10}   {base}")
        share = alarms / opinions if opinions else 0.0
        base = ""
        if before:
            b_alarms, b_opinions = before[1]
            base = f"   baseline {b_alarms}/{b_opinions}"
        print(f"  false alarms on opinion-only: {alarms}/{opinions} = {share:.1%}{base}")


def fresh_load(setup: str, cache_dir: str) -> float:
    env = {**os.environ, "TRIAGE_CACHE_DIR": cache_dir, "TRIAGE_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _TIMED.format(setup=setup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip())


def loads() -> None:
    print(f"\nload in a fresh process (median of {RUNS}, min-max), after the imports:")
    for name, setup in LOADS.items():
        cold: list[float] = []
        warm: list[float] = []
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as empty:
                cold.append(fresh_load(setup, empty))
        with tempfile.TemporaryDirectory() as kept:
            fresh_load(setup, kept)  # fills the cache
            warm.extend(fresh_load(setup, kept) for _ in range(RUNS))
        print(f"  {name:<28} no cache {_ms(cold)}   cached {_ms(warm)}")


def _ms(times: list[float]) -> str:
    return (
        f"{statistics.median(times) * 1e3:6.1f} ms ({min(times) * 1e3:.1f}-{max(times) * 1e3:.1f})"
    )


def speed() -> None:
    items = entries()
    train = " ".join(
        i["review"] + " " + (i.get("messages") or "") for i in items if i["split"] == "train"
    )
    text = (train * 3)[:5000]
    screen("warm up")
    action: Callable[[], object] = partial(screen, text)
    took = median_time(action, 21)
    base = median_time(partial(WORDS.findall, text), 21)
    print(
        f"\nscreening 5,000 characters: {took * 1e3:.2f} ms "
        f"(baseline one \\w+ scan {base * 1e3:.3f} ms, {took / base:.0f}x)"
    )


def main() -> None:
    quality()
    loads()
    speed()


if __name__ == "__main__":
    main()
