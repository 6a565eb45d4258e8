"""The first screen's "The contract is still running" as a case fact: conditions test it with
`running:`, the route proofs try both values, and the page, the case file and the engine agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from tree_data import mini_tree_data

from triage.tree.checks import check_loaded
from triage.tree.loader import load_case_text, load_tree_text
from triage.tree.model import Case, CaseContext, Condition
from triage.ui.state import PageState, case_of
from triage.walk.conditions import Facts, holds
from triage.walk.engine import start

TODAY = dt.date(2026, 11, 27)


def test_a_running_condition_tests_the_tick_box() -> None:
    running = Condition.model_validate({"running": True})
    assert holds(running, Facts(answers={}, days_since={}, running=True))
    assert not holds(running, Facts(answers={}, days_since={}))
    with pytest.raises(ValidationError, match="takes no other"):
        Condition.model_validate({"running": True, "known": True})


def test_a_running_contract_has_no_end_date() -> None:
    with pytest.raises(ValidationError, match="a running contract has no end date"):
        CaseContext(contract_running=True, contract_end=dt.date(2026, 11, 1))
    with pytest.raises(ValidationError):
        CaseContext.model_validate({"contract_running": "yes"})  # true or false only


def _tree(routes: list[dict[str, Any]]) -> str:
    data = mini_tree_data()
    data["start"] = "open"
    data["nodes"]["open"] = {"type": "branch", "routes": routes, "otherwise": {"go": "kind"}}
    return yaml.safe_dump(data, sort_keys=False)


def test_the_route_proofs_try_both_values() -> None:
    overlapping = _tree(
        [
            {"when": {"running": True}, "go": "nothing"},
            {"when": {"days_since": "contract_end", "known": False}, "go": "kind"},
        ]
    )
    codes = {p.code for p in check_loaded(load_tree_text(overlapping, "mini.yaml")).problems}
    assert "overlap" in codes, codes
    apart = _tree(
        [
            {"when": {"running": True}, "go": "nothing"},
            {
                "when": {
                    "all": [{"running": False}, {"days_since": "contract_end", "known": False}]
                },
                "go": "kind",
            },
        ]
    )
    problems = check_loaded(load_tree_text(apart, "mini.yaml")).problems
    assert not [p for p in problems if "overlap" in p.code], [p.message for p in problems]
    tree = load_tree_text(apart, "mini.yaml").tree
    ticked = Case(tree="mini", today=TODAY, context=CaseContext(contract_running=True))
    assert start(tree, ticked).at == "nothing"
    assert start(tree, Case(tree="mini", today=TODAY)).at == "kind"


def test_the_page_and_the_case_file_carry_it() -> None:
    case = case_of(PageState(tree="upwork", running=True), TODAY)
    assert case.context.contract_running is True
    assert case_of(PageState(tree="upwork"), TODAY).context.contract_running is False
    text = "tree: upwork\ncontext:\n  contract_running: true\nanswers: {}\n"
    assert load_case_text(text).context.contract_running is True
