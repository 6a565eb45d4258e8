"""The public API in ``triage/__init__.py``: the README's example runs as written, and every
name it lists is importable and is the function the CLI and the page use."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import triage
from triage.errors import TriageError

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    return next(b for b in blocks if "from triage import" in b)


def test_the_readme_example_walks_the_example_case_to_its_report() -> None:
    done = subprocess.run(
        [sys.executable, "-c", readme_example()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Report the review")
    assert "Refund half or I will leave you a one-star review" in done.stdout
    assert done.stderr == ""


def test_every_public_name_resolves() -> None:
    assert sorted(triage.__all__) == sorted(triage._WHERE)
    for name in triage.__all__:
        assert getattr(triage, name) is not None, name
    with pytest.raises(AttributeError):
        _ = triage.no_such_name  # type: ignore[attr-defined]


def test_the_public_names_are_the_ones_the_cli_uses() -> None:
    from triage.text import prescreen, tone
    from triage.walk import engine

    assert triage.start is engine.start
    assert triage.tone_check is tone.check
    assert triage.prescreen is prescreen.screen
    assert issubclass(triage.TreeError, TriageError)


def test_load_tree_takes_an_id_or_a_path_and_check_reports_ok() -> None:
    by_id = triage.load_tree("upwork")
    by_path = triage.load_tree(ROOT / "decision_trees" / "upwork.yaml")
    assert by_id == by_path
    assert triage.check("upwork").ok
    with pytest.raises(TriageError):
        triage.load_tree("no_such_tree")


def test_render_of_an_unfinished_walk_says_so() -> None:
    case = triage.load_case(ROOT / "examples" / "case.yaml")
    unfinished = case.model_copy(update={"answers": {"feedback_kind": "public"}})
    walk = triage.start(triage.load_tree(case.tree), unfinished)
    with pytest.raises(TriageError):
        triage.render(walk)
