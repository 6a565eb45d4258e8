"""Outcome kinds are data (responses/kinds.yaml, or a tree's own kinds:), and grounds are the
tree's own: the checks reject an unknown kind or ground at its line, with a hint, and a new
kind needs no Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.documents.render import render_all
from triage.documents.template_checks import template_checks
from triage.errors import TreeError
from triage.paths import responses_dir, trees_dir
from triage.tree.checks import check_file
from triage.tree.kinds import kinds_of, shared_kinds
from triage.tree.loader import load_tree
from triage.tree.model import Case
from triage.walk.engine import start

TREES = Path(__file__).parent / "trees"


def problems(path: Path) -> list[tuple[str, int, int, str]]:
    report = check_file(path, responses_dir(), template_checks(), display=path.name)
    return [(p.code, p.line, p.column, f"{p.message} | {p.hint}") for p in report.problems]


def test_an_unknown_kind_is_reported_at_its_line_with_the_nearest_kind() -> None:
    found = [p for p in problems(TREES / "unknown_kind.yaml") if p[0] == "unknown-kind"]
    assert found == [
        (
            "unknown-kind",
            13,
            5,
            '"report" has kind "disput", which is not a declared outcome kind | '
            'did you mean "dispute"?',
        )
    ]


def test_a_ground_the_tree_does_not_declare_is_reported_at_its_line() -> None:
    found = [p for p in problems(TREES / "unknown_ground.yaml") if p[0] == "ground"]
    assert found and found[0][1:3] == (14, 5)
    assert '"harassment"' in found[0][3]


def test_the_shipped_kinds_say_what_each_hands_over() -> None:
    kinds = shared_kinds()
    assert {k: v.hands_over for k, v in kinds.items()} == {
        "dispute": "report",
        "respond": "reply",
        "request_change": "message",
        "no_action": None,
    }
    for kind in kinds.values():
        assert set(kind.tone) <= set(kind.parts) | set(kind.fallback)
        assert kind.hands_over is None or kind.hands_over in kind.parts


def test_a_tree_adds_a_kind_without_python(tmp_path: Path) -> None:
    """A new kind declared in the tree's own kinds: renders its own part and is checked."""
    text = (trees_dir() / "upwork.yaml").read_text(encoding="utf-8")
    at = text.index("    kind: no_action")
    outcome = text[:at].rstrip().rsplit("\n", 2)[-2].strip().rstrip(":")
    text = text[:at] + "    kind: explain" + text[at + len("    kind: no_action") :]
    text += (
        "kinds:\n  explain:\n    label: Good to know\n    colour: blue\n    icon: lightbulb\n"
        '    diagram: "#ffffff"\n    document: Explanation\n    file: explanation\n'
        "    parts: {closing: _closing.txt.j2}\n"
    )
    path = tmp_path / "upwork.yaml"
    path.write_text(text, encoding="utf-8")
    tree = load_tree(path).tree
    assert "explain" in kinds_of(tree) and "dispute" in kinds_of(tree)
    report = check_file(path, responses_dir(), template_checks())
    assert not [p for p in report.problems if p.code in ("unknown-kind", "ground")]
    scenario = next(s for s in tree.scenarios if s.expect == outcome)
    walk = start(tree, Case(tree=tree.id, today=scenario.today, context=scenario.context,
                            answers=scenario.answers))  # fmt: skip
    assert walk.outcome is not None and walk.outcome.kind == "explain"
    assert render_all(walk).markdown


def test_a_broken_kinds_file_is_located(tmp_path: Path) -> None:
    (tmp_path / "kinds.yaml").write_text(
        "version: 1\nkinds:\n  dispute:\n    label: x\n    colour: pink\n", encoding="utf-8"
    )
    with pytest.raises(TreeError) as caught:
        shared_kinds(tmp_path)
    lines = {p.line for p in caught.value.problems}
    assert 5 in lines  # colour: pink, at its line
