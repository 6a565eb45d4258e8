"""docs/authoring.md stays true to the tree format.

- Every key an author can write (each field of the tree and case models, by its YAML name) is
  named in the guide inside backticks, so the reference cannot silently fall behind the models.
- The worked example is a valid tree whose scenarios pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from triage.tree import model
from triage.tree.model import Tree

DOC = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"
MARKER = "<!-- worked-example -->"

# Every model whose keys appear in a tree file or a case file.
AUTHORED_MODELS: tuple[type[BaseModel], ...] = (
    model.Tree,
    model.Settings,
    model.Source,
    model.Deadline,
    model.GroundInfo,
    model.YesNo,
    model.OneChoice,
    model.ManyChoice,
    model.DateQuestion,
    model.TextQuestion,
    model.Branch,
    model.Outcome,
    model.Choice,
    model.Route,
    model.Otherwise,
    model.Condition,
    model.EvidenceItem,
    model.Scenario,
    model.CaseContext,
    model.Case,
)


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _yaml_keys(cls: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in cls.model_fields.items()]


def _backticked(text: str) -> set[str]:
    """The contents of the inline code spans (`key`) of ``text``. Keys that only appear inside
    fenced YAML examples do not count: the reference tables must name each one."""
    return set(re.findall(r"(?<!`)`([^`\n]+)`(?!`)", text))


@pytest.mark.parametrize("cls", AUTHORED_MODELS, ids=lambda c: c.__name__)
def test_every_yaml_key_of_the_model_is_named_in_the_authoring_guide(cls: type[BaseModel]) -> None:
    named = _backticked(_doc())
    missing = [key for key in _yaml_keys(cls) if key not in named]
    assert not missing, (
        f"docs/authoring.md does not name these {cls.__name__} keys in backticks: {missing}. "
        "Add them to the reference section."
    )


def test_the_reference_uses_yaml_names_not_python_names() -> None:
    # Aliased fields (is_, in_, all_, any_, not_, from_) must be documented by their YAML name.
    python_only = {
        name
        for cls in AUTHORED_MODELS
        for name, info in cls.model_fields.items()
        if info.alias and info.alias != name
    }
    named = _backticked(_doc())
    assert python_only, "expected some aliased fields"
    assert not python_only & named, f"use the YAML key names instead of {python_only & named}"


def _worked_example() -> str:
    text = _doc()
    assert MARKER in text, f"docs/authoring.md lost its {MARKER} marker"
    after = text.split(MARKER, 1)[1]
    match = re.match(r"\s*```yaml\n(.*?)\n```", after, re.DOTALL)
    assert match, f"a ```yaml block must follow {MARKER}"
    return match.group(1)


def _load_example(text: str) -> Tree:
    from triage.tree.loader import load_tree_text

    return load_tree_text(text, "docs/authoring.md (worked example)").tree


def test_the_worked_example_is_a_valid_tree() -> None:
    text = _worked_example()
    assert text.startswith("# yaml-language-server: $schema=../schema/tree.schema.json\n")
    tree = _load_example(text)
    assert 3 <= len(tree.nodes) <= 5
    assert tree.scenarios


def test_the_worked_example_scenarios_pass() -> None:
    from triage.tree.scenarios import run_scenarios

    tree = _load_example(_worked_example())
    failed = [f"{r.name}: {r.message}" for r in run_scenarios(tree) if not r.ok]
    assert not failed, failed
