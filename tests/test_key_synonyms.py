"""An unknown key an author reaches for by habit gets the key the format uses."""

from __future__ import annotations

import pytest

from triage.errors import TreeError
from triage.tree.loader import load_tree_text

TREE = """id: t
title: T
platform: P
start: a
nodes:
  a:
    type: choice
    ask: Which?
    {key}
    choices:
      - {{value: x, label: X, go: b}}
      - {{value: y, label: Y, go: b}}
  b:
    type: outcome
    kind: no_action
    title: Done
    summary: Done.
    template: no_action
"""


@pytest.mark.parametrize(
    ("written", "meant"),
    [("next: b", "go"), ("hint: Pick one.", "help"), ("explain: Because.", "why")],
)
def test_a_synonym_suggests_the_real_key(written: str, meant: str) -> None:
    with pytest.raises(TreeError) as raised:
        load_tree_text(TREE.format(key=written), file="t.yaml")
    (problem,) = [p for p in raised.value.problems if p.code == "unknown-key"]
    assert f'did you mean "{meant}"?' in problem.message
    assert problem.line == 9


def test_a_misspelling_is_still_suggested_by_similarity() -> None:
    with pytest.raises(TreeError) as raised:
        load_tree_text(TREE.format(key="hlep: Pick one."), file="t.yaml")
    (problem,) = [p for p in raised.value.problems if p.code == "unknown-key"]
    assert 'did you mean "help"?' in problem.message
