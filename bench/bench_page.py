"""Benchmark: the Triage page against a minimal Streamlit app, both driven by AppTest in one run.

The baseline is a minimal app (written to a temporary file) with one radio and one button that
advance a counter. Two figures, each with a target of at most 2x the baseline:

(a) per step: our page answering one question and moving to the next (set the widget, press
    Continue, run), the median over every step of every shipped scenario's walk, against the
    minimal app's step (set the radio, press the button, run);
(b) first render: ``AppTest.from_file(...).run()`` on a fresh AppTest, the median of several
    (printed again without the scan of installed packages that every fresh AppTest makes).

Both figures are the wall time AppTest takes (the script run plus AppTest's own work on the
output). The script thread's own time (the server side proper, without AppTest's parsing) is
printed too. Rounds alternate baseline and page, so a slower moment of the machine hits both.
If a ratio is over its target (or with --profile), the page's script thread is profiled and the
top costs are printed.

    python bench/bench_page.py [--rounds N] [--first N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from triage.ui.intake_view import fill_first_screen
from triage.ui.widgets import fill

# Pin the day before the page reads it, so every walk is the same in every run.
os.environ["TRIAGE_TODAY"] = "2026-11-27"

from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

from triage.paths import tree_ids, trees_dir
from triage.tree.loader import load_tree
from triage.tree.model import (
    AnswerValue,
    Scenario,
    Tree,
)

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 60.0
TARGET = 2.0
SCRIPT_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"

MINIMAL = """\
import streamlit as st

if "count" not in st.session_state:
    st.session_state.count = 0
choice = st.radio("Pick one", ["a", "b", "c"], index=None, key="pick")
if st.button("Next", key="go"):
    st.session_state.count += 1
st.write(f"Step {st.session_state.count}: {choice}")
"""


# --- timing the script thread ----------------------------------------------------------------


class ScriptClock:
    """Times (and optionally profiles) the script thread of every AppTest run.

    AppTest runs the script in a thread of its own and polls for the end; wrapping the thread's
    body gives the script's own time, without AppTest's polling and parsing.
    """

    def __init__(self) -> None:
        self.last = 0.0
        self.profiler: cProfile.Profile | None = None
        self._original: Callable[[LocalScriptRunner], None] = LocalScriptRunner._run_script_thread

    @contextmanager
    def installed(self) -> Iterator[ScriptClock]:
        original = self._original
        clock = self

        def timed(runner: LocalScriptRunner) -> None:
            profiler = clock.profiler
            began = time.perf_counter()
            if profiler is not None:
                profiler.enable()  # cProfile follows the thread that enables it
            try:
                original(runner)
            finally:
                if profiler is not None:
                    profiler.disable()
                clock.last = time.perf_counter() - began

        LocalScriptRunner._run_script_thread = timed  # type: ignore[method-assign,assignment]
        try:
            yield self
        finally:
            LocalScriptRunner._run_script_thread = original  # type: ignore[method-assign,assignment]


CLOCK = ScriptClock()


@contextmanager
def package_scan_skipped() -> Iterator[None]:
    """Skip the scan of installed packages for components that every fresh AppTest makes.

    On its first run, each new AppTest reads the metadata of every installed package, looking
    for Streamlit components: ~80 ms here, the same for both apps, and nothing a browser waits
    for on a real server (which scans once at start). Neither app uses components.
    """
    original = BidiComponentManager.discover_and_register_components

    def skip(self: BidiComponentManager, *, start_file_watching: bool = True) -> None:
        return None

    BidiComponentManager.discover_and_register_components = skip  # type: ignore[method-assign]
    try:
        yield
    finally:
        BidiComponentManager.discover_and_register_components = original  # type: ignore[method-assign]


class Samples:
    """Wall times and script-thread times of one kind of step."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.script: list[float] = []

    def timed(self, action: Callable[[], object]) -> None:
        began = time.perf_counter()
        action()
        self.wall.append(time.perf_counter() - began)
        self.script.append(CLOCK.last)


# --- the minimal app -------------------------------------------------------------------------


def minimal_first(path: str, into: Samples) -> None:
    into.timed(lambda: AppTest.from_file(path, default_timeout=TIMEOUT).run())


def minimal_steps(path: str, steps: int, into: Samples) -> None:
    at = AppTest.from_file(path, default_timeout=TIMEOUT).run()
    for i in range(steps):

        def step(value: str = "abc"[i % 3]) -> None:
            at.radio(key="pick").set_value(value)
            at.button(key="go").click().run()

        into.timed(step)
    assert not at.exception, at.exception
    assert at.session_state["count"] == steps, "the minimal app counted every step"


# --- our page --------------------------------------------------------------------------------


def current_question(at: AppTest) -> str | None:
    for button in at.button:
        if button.key and button.key.startswith("next_"):
            return str(button.key[len("next_") :])
    return None


def set_answer(at: AppTest, tree: Tree, qid: str, value: AnswerValue) -> None:
    """Set a question's widget as tests/test_app.py does (the same helper)."""
    fill(at, qid, tree.questions[qid], value)


def begin(tree: Tree, scenario: Scenario) -> AppTest:
    """The tree's page (opened on its link, as the start screen leads there) with the
    scenario's facts typed into the fields its first screen shows, and Start pressed."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params = {"tree": tree.id}
    at.run()
    if not tree.intake:
        return at
    fill_first_screen(at, scenario.context)
    at.button(key="in_start").click().run()
    if at.warning:  # what would help first: no review, no end date; start anyway
        at.button(key="in_start").click().run()
    return at


def page_walk(tree: Tree, scenario: Scenario, into: Samples) -> int:
    """Walk one scenario on the page, timing each question step. Returns the steps taken."""
    at = begin(tree, scenario)
    steps = 0
    for _ in range(60):
        qid = current_question(at)
        if qid is None or qid not in scenario.answers:
            break

        def step(qid: str = qid) -> None:
            set_answer(at, tree, qid, scenario.answers[qid])
            at.button(key=f"next_{qid}").click().run()

        into.timed(step)
        steps += 1
        assert current_question(at) != qid, f"{scenario.name}: stuck on {qid}"
    assert not at.exception, [e.value for e in at.exception]
    if scenario.expect in tree.outcomes:
        assert current_question(at) is None, f"{scenario.name}: no outcome"
    else:
        assert current_question(at) == scenario.expect, f"{scenario.name}: wrong question"
    return steps


def page_first(into: Samples, query: dict[str, str] | None = None) -> None:
    def run() -> None:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if query:
            at.query_params = dict(query)
        at.run()
        assert not at.exception, [e.value for e in at.exception]

    into.timed(run)


def outcome_link(tree: Tree, scenario: Scenario) -> dict[str, str]:
    """The page's own link at the end of a scenario (what a refresh there would open)."""
    at = begin(tree, scenario)
    for _ in range(60):
        qid = current_question(at)
        if qid is None or qid not in scenario.answers:
            break
        set_answer(at, tree, qid, scenario.answers[qid])
        at.button(key=f"next_{qid}").click().run()
    return {k: str(v) for k, v in at.query_params.items()}


# --- report ----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.1f} ms"


def row(label: str, base: list[float], ours: list[float], target: float | None) -> float:
    b, o = statistics.median(base), statistics.median(ours)
    ratio = o / b
    verdict = "" if target is None else f"<= {target:g}x {'ok' if ratio <= target else 'OVER'}"
    print(f"  {label:<40} {ms(b)} {ms(o)} {ratio:6.2f}x  {verdict}")
    return ratio


def profile(shipped: list[tuple[Tree, Scenario]], top: int) -> None:
    """Profile the page's script thread over one walk of every scenario; print the top costs."""
    profiler = cProfile.Profile()
    CLOCK.profiler = profiler
    threads = 0
    original = CLOCK.last
    try:
        scratch = Samples()
        for tree, scenario in shipped:
            page_walk(tree, scenario, scratch)
    finally:
        CLOCK.profiler = None
        CLOCK.last = original
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = pstats.Stats(
        profiler
    ).stats  # type: ignore[attr-defined]
    runs = 0
    areas: dict[str, float] = {}
    for (filename, _line, name), (_cc, calls, tottime, _ct, _callers) in raw.items():
        areas[_area(filename)] = areas.get(_area(filename), 0.0) + tottime
        if name == "code_to_exec" and filename.endswith("script_runner.py"):
            runs = calls
        if name == "_run_script_thread" and filename.endswith("local_script_runner.py"):
            threads = calls
    spent = sum(areas.values()) or 1.0
    print(
        f"\nProfile of the page's script thread: one walk of every scenario, {len(scratch.script)} "
        f"steps plus the intake runs ({spent:.2f} s under the profiler, which slows it ~2-3x)."
    )
    if threads:
        print(
            f"  script runs per AppTest run: {runs / threads:.2f} ({runs} runs in {threads} "
            "AppTest runs; more than 1.00 means some actions still rerun the script)"
        )
    print("  own time by area:")
    for area, seconds in sorted(areas.items(), key=lambda kv: -kv[1])[:14]:
        print(f"    {area:<40} {seconds * 1e3:8.1f} ms  {seconds / spent:6.1%}")
    for order, restrict, what in (
        ("cumulative", r"triage[/\\]", "the page's own functions, by cumulative time"),
        ("tottime", "", "all functions, by own time"),
    ):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(order)
        stats.print_stats(*([restrict] if restrict else []), top)
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\n  top {top}: {what}")
        for line in lines[start:]:
            if line.strip():
                print("   " + _short(line)[:160])


def _short(line: str) -> str:
    """A pstats line with the long site-packages and project prefixes cut."""
    for prefix in (str(ROOT) + os.sep, *sorted({p + os.sep for p in sys.path if p}, key=len)[::-1]):
        line = line.replace(prefix, "")
    return line


def _area(filename: str) -> str:
    path = filename.replace("\\", "/")
    if "/triage/" in path:
        return "triage/" + path.rsplit("/triage/", 1)[1]
    for marker, name in (
        ("/streamlit/", "streamlit"),
        ("/google/protobuf/", "protobuf"),
        ("/pydantic", "pydantic"),
        ("/jinja2/", "jinja2"),
        ("/yaml/", "yaml"),
    ):
        if marker in path:
            inner = path.split(marker, 1)[1].split("/", 1)[0] if name == "streamlit" else ""
            return f"{name}/{inner}" if inner else name
    if path.startswith("<") or path == "~":
        return "built-in functions"
    return "other: " + path.rsplit("/", 1)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3, help="walks of every scenario (a)")
    parser.add_argument("--first", type=int, default=15, help="fresh first renders (b)")
    parser.add_argument("--profile", action="store_true", help="profile even within targets")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile to print")
    parser.add_argument(
        "--trees",
        default="upwork",
        help="comma-separated tree ids whose scenarios are walked (default: upwork, as the "
        "earlier figures; 'all' for every shipped tree)",
    )
    args = parser.parse_args()
    # Each new AppTest touches session state outside a script run, and Streamlit warns about
    # it ("missing ScriptRunContext") every time: harmless here, so keep the figures readable.
    logging.getLogger(SCRIPT_CONTEXT_LOGGER).addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )

    names = tree_ids() if args.trees == "all" else args.trees.split(",")
    shipped = [
        (tree, scenario)
        for tree in (load_tree(trees_dir() / f"{name}.yaml").tree for name in names)
        for scenario in tree.scenarios
    ]
    with tempfile.TemporaryDirectory(prefix="bench-page-") as folder, CLOCK.installed():
        minimal = str(Path(folder) / "minimal_app.py")
        Path(minimal).write_text(MINIMAL, encoding="utf-8")

        # Warm up: imports, the tree cache, Streamlit's own first-use costs. Kept apart.
        cold_base, cold_page = Samples(), Samples()
        minimal_first(minimal, cold_base)
        page_first(cold_page)
        links = [outcome_link(tree, s) for tree, s in shipped]
        minimal_steps(minimal, 3, Samples())

        # (a) steps, rounds alternating page and baseline.
        base_steps, page_steps = Samples(), Samples()
        for _ in range(args.rounds):
            for tree, scenario in shipped:
                taken = page_walk(tree, scenario, page_steps)
                minimal_steps(minimal, taken, base_steps)

        # (b) first renders, alternating; then again without AppTest's package scan.
        base_first, ours_first, ours_link = Samples(), Samples(), Samples()
        for i in range(args.first):
            minimal_first(minimal, base_first)
            page_first(ours_first)
            page_first(ours_link, links[i % len(links)])
        base_bare, ours_bare, link_bare = Samples(), Samples(), Samples()
        with package_scan_skipped():
            for i in range(args.first):
                minimal_first(minimal, base_bare)
                page_first(ours_bare)
                page_first(link_bare, links[i % len(links)])

        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
            f"{len(page_steps.wall)} page steps over {len(shipped)} scenarios x {args.rounds} "
            f"rounds; {args.first} first renders each.\n"
        )
        print(f"  {'median':<40} {'baseline':>11} {'page':>11} {'ratio':>7}  target")
        step_ratio = row("(a) one step, AppTest wall", base_steps.wall, page_steps.wall, TARGET)
        row("    one step, script thread only", base_steps.script, page_steps.script, None)
        first_ratio = row("(b) first render, AppTest wall", base_first.wall, ours_first.wall,
                          TARGET)  # fmt: skip
        row("    the same without the package scan", base_bare.wall, ours_bare.wall, None)
        row("    first render, script thread only", base_first.script, ours_first.script, None)
        row("    a link at an outcome, AppTest wall", base_first.wall, ours_link.wall, None)
        row("    the same without the package scan", base_bare.wall, link_bare.wall, None)
        print(
            "\n  AppTest's wall time for a fresh AppTest is mostly its scan of installed "
            "packages for\n  components (the same for both apps); the rows without it and the "
            "script thread's time\n  show the difference between the apps."
        )
        print(
            f"\n  one-off cold start (first AppTest in the process, imports included): "
            f"baseline {ms(cold_base.wall[0]).strip()}, page {ms(cold_page.wall[0]).strip()}"
        )
        steps = sorted(page_steps.wall)
        print(
            f"  page step spread: min {ms(steps[0]).strip()}, 90th percentile "
            f"{ms(steps[int(len(steps) * 0.9)]).strip()}, max {ms(steps[-1]).strip()}"
        )
        over = step_ratio > TARGET or first_ratio > TARGET
        if over or args.profile:
            profile(shipped, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
