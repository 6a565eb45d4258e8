"""Fault 5 of issue 12: blank required text refused, every string capped, an over-indented list
item refused, invisible and bidirectional characters warned about, ``rating: true`` refused."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from tree_data import mini_tree_data

from triage.errors import CaseError, TreeError
from triage.tree.checks import check_loaded
from triage.tree.loader import load_case_text, load_tree_text
from triage.tree.model import Case, Tree

ROOT = Path(__file__).resolve().parent.parent
UPWORK = (ROOT / "decision_trees" / "upwork.yaml").read_text(encoding="utf-8")


def full_tree() -> dict[str, Any]:
    """The mini tree with a ground, evidence and next steps, so every text field is present."""
    data = mini_tree_data()
    data["grounds"] = {
        "manipulation": {"name": "manipulation", "short": "pressure", "rule": "No.", "source": "s"}
    }
    data["nodes"]["dispute"]["evidence"] = [{"item": "Screenshots"}]
    data["nodes"]["dispute"]["next_steps"] = ["Open the form."]
    data["scenarios"] = [{"name": "private", "answers": {"kind": "private"}, "expect": "nothing"}]
    return data


# Where each required text sits in full_tree(); the value is replaced with a blank one.
REQUIRED: list[tuple[str | int, ...]] = [
    ("title",),
    ("platform",),
    ("nodes", "dispute", "title"),
    ("nodes", "dispute", "summary"),
    ("nodes", "kind", "choices", 0, "label"),
    ("nodes", "kind", "ask"),
    ("nodes", "threat", "ask"),
    ("nodes", "fixed", "ask"),
    ("nodes", "dispute", "evidence", 0, "item"),
    ("nodes", "dispute", "next_steps", 0),
    ("deadlines", "decision", "label"),
    ("grounds", "manipulation", "name"),
    ("grounds", "manipulation", "short"),
    ("grounds", "manipulation", "rule"),
    ("scenarios", 0, "name"),
    ("sources", "s", "title"),
]
BLANKS = ["", "   ", "\t", " \n ", "\u200b", "\u202e", "\ufeff"]


def with_value(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def tree_error(data: dict[str, Any]) -> TreeError:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    with pytest.raises(TreeError) as caught:
        load_tree_text(text, "t.yaml")
    return caught.value


def test_the_full_tree_loads() -> None:
    assert check_loaded(load_tree_text(yaml.safe_dump(full_tree()), "mini.yaml")).ok


@pytest.mark.parametrize("path", REQUIRED, ids=lambda p: ".".join(map(str, p)))
def test_blank_required_text_is_refused_where_it_is(path: tuple[str | int, ...]) -> None:
    for blank in ("", "   "):
        error = tree_error(with_value(full_tree(), path, blank))
        blanks = [p for p in error.problems if p.code == "blank"]
        assert blanks, [str(p) for p in error.problems]
        assert blanks[0].line >= 1
        assert "cannot be blank" in blanks[0].message


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
def test_spaces_and_invisible_marks_alone_are_blank(blank: str) -> None:
    error = tree_error(with_value(full_tree(), ("nodes", "dispute", "title"), blank))
    assert [p.code for p in error.problems] == ["blank"]


def test_text_with_leading_spaces_is_not_blank() -> None:
    data = with_value(full_tree(), ("nodes", "dispute", "title"), "  Report it ")
    tree = load_tree_text(yaml.safe_dump(data), "t.yaml").tree
    assert tree.nodes["dispute"].title == "  Report it "  # type: ignore[union-attr]


def test_a_blank_yes_label_is_refused_not_a_crash_later() -> None:
    error = tree_error(with_value(full_tree(), ("nodes", "threat", "yes_label"), " "))
    assert [p.code for p in error.problems] == ["blank"]


def test_a_blank_choice_label_reports_only_the_label() -> None:
    """Not also "choices needs at least 2 items, found 1": the list has its two items."""
    error = tree_error(with_value(full_tree(), ("nodes", "kind", "choices", 0, "label"), ""))
    assert [p.code for p in error.problems] == ["blank"]


def test_a_long_source_title_is_refused() -> None:
    error = tree_error(with_value(full_tree(), ("sources", "s", "title"), "x" * 5000))
    assert [p.code for p in error.problems] == ["too-long"]


def _strings(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every string-typed schema in a JSON Schema, with where it is."""

    def walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            if node.get("type") == "string":
                yield where, node
            for key, value in node.items():
                yield from walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{where}/{i}")

    yield from walk(schema, "")


@pytest.mark.parametrize("model", [Tree, Case])
def test_every_string_is_capped(model: type[Tree] | type[Case]) -> None:
    uncapped = [
        where
        for where, node in _strings(model.model_json_schema(by_alias=True))
        if "maxLength" not in node
        and "enum" not in node
        and "const" not in node
        and node.get("format") not in ("date",)
    ]
    assert uncapped == []


def test_an_over_indented_list_item_is_refused_with_its_line() -> None:
    start = UPWORK.index("    next_steps:\n")
    end = UPWORK.index("\n", UPWORK.index("      - ", start)) + 1
    bad = UPWORK[:start] + UPWORK[start:end] + "        - an over-indented step\n" + UPWORK[end:]
    with pytest.raises(TreeError) as caught:
        load_tree_text(bad, "u.yaml")
    line = bad[:end].count("\n") + 1
    assert [(p.code, p.line, p.column) for p in caught.value.problems] == [("merged-item", line, 9)]


def test_a_dash_inside_a_line_of_text_is_fine() -> None:
    start = UPWORK.index("    next_steps:\n")
    end = UPWORK.index("\n", UPWORK.index("      - ", start))
    fine = UPWORK[:end] + " - and more" + UPWORK[end:]
    load_tree_text(fine, "u.yaml")


def test_a_case_wrapped_by_the_yaml_dumper_still_loads() -> None:
    """PyYAML wraps long text and may start a line with "- ": case files are not refused."""
    review = "a" * 61 + " " + "word " * 5 + "- dash follows here and more text"
    text = yaml.safe_dump({"context": {"review_text": review}}, width=100)
    assert "\n    - dash" in text
    assert load_case_text(text).context.review_text == review


@pytest.mark.parametrize(
    "char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200f", "\u2028", "\u2029"]
)
def test_invisible_characters_in_tree_text_are_warned_where_they_are(char: str) -> None:
    title = UPWORK.index("title:", 200) + len("title: ")
    end = UPWORK.index("\n", title)
    # In quotes: YAML reads U+2028 and U+2029 as line breaks, which plain text cannot hold.
    text = f'{UPWORK[:title]}"x{UPWORK[title:end]}"{UPWORK[end:]}'
    at = title + 2
    text = text[:at] + char + text[at:]
    report = check_loaded(load_tree_text(text, "u.yaml"))
    found = [p for p in report.problems if p.code == "invisible-char"]
    line = text[:at].count("\n") + 1
    column = at - text.rfind("\n", 0, at)
    assert [(p.severity, p.line, p.column) for p in found] == [("warning", line, column)]
    assert f"U+{ord(char):04X}" in found[0].message
    assert report.ok  # a warning: the tree still loads and passes


def test_a_byte_order_mark_is_warned_about_inside_the_file_only() -> None:
    assert not [
        p
        for p in check_loaded(load_tree_text("\ufeff" + UPWORK, "u.yaml")).problems
        if p.code == "invisible-char"
    ]
    text = UPWORK + "# the end\ufeff\n"
    found = [
        p
        for p in check_loaded(load_tree_text(text, "u.yaml")).problems
        if p.code == "invisible-char"
    ]
    assert [(p.line, p.column) for p in found] == [(text.count("\n"), len("# the end") + 1)]


@pytest.mark.parametrize("value", ["true", "false", "'2'", "yes"])
def test_rating_must_be_a_number(value: str) -> None:
    with pytest.raises(CaseError) as caught:
        load_case_text(f"tree: upwork\ncontext:\n  rating: {value}\n", "c.yaml")
    assert "c.yaml:3:3:" in str(caught.value)
    assert "should be a number" in str(caught.value)


@pytest.mark.parametrize(("value", "stars"), [("2", 2.0), ("2.5", 2.5), ("0", 0.0)])
def test_rating_as_a_number_is_read(value: str, stars: float) -> None:
    case = load_case_text(f"tree: upwork\ncontext:\n  rating: {value}\n", "c.yaml")
    assert case.context.rating == stars
