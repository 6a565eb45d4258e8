"""Questions worded with the person's own facts: {client_name} and the rest, filled from the
case, plain words when a fact is empty, and unknown placeholders caught by the check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from tree_data import mini_tree_data

from triage.tree.checks import check_loaded
from triage.tree.loader import load_tree_text
from triage.tree.model import CaseContext, OneChoice, YesNo
from triage.walk.wording import PLACEHOLDERS, fill, worded

DANA = CaseContext(
    client_name="Dana",
    project_title="Logo design",
    freelancer_name="Sam",
    contract_end=dt.date(2026, 11, 20),
)


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("Has {client_name} confirmed?", DANA, "Has Dana confirmed?"),
        ("Has {client_name} confirmed?", CaseContext(), "Has the client confirmed?"),
        (
            "{client_name} replied. {client_name} paid.",
            CaseContext(),
            "The client replied. The client paid.",
        ),
        (
            "Was the brief for {project_title} clear?",
            DANA,
            "Was the brief for “Logo design” clear?",
        ),
        ("Since {contract_end}", DANA, "Since 20 November 2026"),
        ("Since {contract_end}", CaseContext(), "Since the contract's end"),
        ("Signed {freelancer_name}", DANA, "Signed Sam"),
        ("{unknown} stays as written", DANA, "{unknown} stays as written"),
        ("No placeholder at all", DANA, "No placeholder at all"),
    ],
)
def test_fill(text: str, context: CaseContext, expected: str) -> None:
    assert fill(text, context) == expected


def test_what_the_person_typed_is_used_as_text_not_as_a_placeholder() -> None:
    sly = CaseContext(client_name="{project_title}")
    assert fill("Ask {client_name}", sly) == "Ask {project_title}"


def test_every_text_a_person_reads_is_worded() -> None:
    yes_no = YesNo(
        type="yes_no", ask="Is {client_name} happy?", short="{client_name} happy",
        help="e.g. {client_name} said so", yes_label="Yes, {client_name} said so",
    )  # fmt: skip
    shown = worded(yes_no, DANA)
    assert (shown.ask, shown.short, shown.help) == (
        "Is Dana happy?",
        "Dana happy",
        "e.g. Dana said so",
    )
    assert [c.label for c in shown.choices] == ["Yes, Dana said so", "No"]
    choice = OneChoice(
        type="choice", ask="Style?",
        choices=[{"value": "a", "label": "Informal, for {client_name}", "help": "{project_title}"},
                 {"value": "b", "label": "Formal"}],
    )  # fmt: skip
    picked = worded(choice, DANA)
    assert [(c.value, c.label, c.help) for c in picked.choices] == [
        ("a", "Informal, for Dana", "“Logo design”"),
        ("b", "Formal", ""),
    ]
    assert worded(choice, DANA).choices[0].value == "a", "values never change"
    two = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
    plain = OneChoice(type="choice", ask="Style?", choices=two)
    assert worded(plain, DANA) is plain


def _problems(data: dict[str, Any]) -> list[Any]:
    text = yaml.safe_dump(data, sort_keys=False)
    return list(check_loaded(load_tree_text(text, "mini.yaml")).problems)


def test_an_unknown_placeholder_is_located_with_the_nearest_one() -> None:
    data = mini_tree_data()
    data["nodes"]["threat"]["ask"] = "Did {client_nmae} threaten you?"
    found = [p for p in _problems(data) if p.code == "unknown-placeholder"]
    assert len(found) == 1
    problem = found[0]
    assert '"{client_nmae}" in "threat"' in problem.message
    assert problem.hint == 'did you mean "client_name"?'
    text = yaml.safe_dump(data, sort_keys=False)
    assert "client_nmae" in text.splitlines()[problem.line - 1]


def test_known_placeholders_are_no_problem() -> None:
    data = mini_tree_data()
    data["nodes"]["threat"]["ask"] = " ".join(f"{{{p}}}" for p in PLACEHOLDERS) + "?"
    assert not [p for p in _problems(data) if p.code == "unknown-placeholder"]


def test_the_platforms_word_for_the_reviewer_stands_in_for_an_empty_name() -> None:
    assert fill("Has {client_name} replied?", CaseContext(), "guest") == "Has the guest replied?"
    assert fill("{client_name} replied.", CaseContext(), "buyer") == "The buyer replied."
    assert fill("Has {client_name} replied?", DANA, "guest") == "Has Dana replied?"
