"""Run a tree's scenarios and measure which outcomes and branches they cover."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from triage.errors import TriageError
from triage.tree.model import Case, Outcome, Question, Scenario, Tree
from triage.walk.engine import Walk, start


@dataclass(frozen=True)
class ScenarioResult:
    """How one scenario went. ``reached`` is where the walk stopped (None if it failed)."""

    index: int
    name: str
    expected: str
    reached: str | None
    ok: bool
    message: str
    walk: Walk | None

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "ok": self.ok,
            "expected": self.expected,
            "reached": self.reached,
            "message": self.message,
        }


def case_of(tree: Tree, scenario: Scenario) -> Case:
    return Case(
        tree=tree.id, today=scenario.today, context=scenario.context, answers=scenario.answers
    )


def run_scenario(tree: Tree, index: int, scenario: Scenario) -> ScenarioResult:
    """Walk one scenario and compare where it ends with what it expects."""
    try:
        walk = start(tree, case_of(tree, scenario))
    except TriageError as error:
        return ScenarioResult(index, scenario.name, scenario.expect, None, False, str(error), None)
    ok = walk.at == scenario.expect
    if ok:
        message = "ok"
    elif walk.outcome is not None:
        message = f'ended at outcome "{walk.at}", expected "{scenario.expect}"'
    else:
        message = f'stopped at question "{walk.at}" (no answer given), expected "{scenario.expect}"'
    return ScenarioResult(index, scenario.name, scenario.expect, walk.at, ok, message, walk)


def run_scenarios(tree: Tree) -> list[ScenarioResult]:
    return [run_scenario(tree, i, s) for i, s in enumerate(tree.scenarios)]


@dataclass(frozen=True)
class Coverage:
    """Which outcomes and which branches (choices, routes) the scenarios walked through."""

    outcomes: dict[str, bool]
    branches: dict[str, bool]

    @staticmethod
    def _ratio(items: dict[str, bool]) -> float:
        return sum(items.values()) / len(items) if items else 1.0

    @property
    def outcome_ratio(self) -> float:
        return self._ratio(self.outcomes)

    @property
    def branch_ratio(self) -> float:
        return self._ratio(self.branches)

    def to_json(self) -> dict[str, object]:
        return {
            "outcomes": {
                "covered": sum(self.outcomes.values()),
                "total": len(self.outcomes),
                "missing": [k for k, v in self.outcomes.items() if not v],
            },
            "branches": {
                "covered": sum(self.branches.values()),
                "total": len(self.branches),
                "missing": [k for k, v in self.branches.items() if not v],
            },
        }


def branch_keys(tree: Tree) -> list[str]:
    """Every branch a scenario can cover: each choice of each question, each route, each
    ``otherwise``. Written as ``node: way``."""
    keys: list[str] = []
    for nid, node in tree.nodes.items():
        if node.is_question:
            keys.extend(f"{nid}: {c.value}" for c in cast(Question, node).choices)
        if isinstance(node, Outcome):
            continue
        keys.extend(f"{nid}: route {i + 1}" for i in range(len(node.routes)))
        if node.otherwise is not None and node.routes:
            keys.append(f"{nid}: otherwise")
    return keys


def coverage(tree: Tree, results: Sequence[ScenarioResult]) -> Coverage:
    outcomes = dict.fromkeys(tree.outcomes, False)
    known = branch_keys(tree)
    branches = dict.fromkeys(known, False)
    for result in results:
        if result.walk is None:
            continue
        if result.walk.outcome is not None:
            outcomes[result.walk.at] = True
        for step in result.walk.path:
            answers = step.answer if isinstance(step.answer, list) else [step.answer]
            for value in answers:
                if value is not None:
                    branches[f"{step.node}: {value}"] = True
            if step.via.startswith("route:"):
                branches[f"{step.node}: route {int(step.via[6:]) + 1}"] = True
            elif step.via == "otherwise":
                branches[f"{step.node}: otherwise"] = True
    # Text and date answers are not branches; keep only the keys that are.
    return Coverage(outcomes=outcomes, branches={k: branches[k] for k in known})
