"""The hardened loader: every hazard refused with a code, a location and plain words."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.errors import Problem, TreeError
from triage.tree.loader import (
    Limits,
    LoadedTree,
    display_name,
    load_tree,
    load_tree_text,
    parse_yaml,
)
from triage.tree.model import Tree, YesNo

MALFORMED = Path(__file__).parent / "malformed"

VALID = """\
id: mini
title: Mini tree
platform: Test
start: kind
nodes:
  kind:
    type: choice
    ask: Where is the review?
    choices:
      - value: public
        label: On my profile
        go: report
      - {value: private, label: Private feedback, go: nothing}
  report:
    type: outcome
    kind: dispute
    ground: inappropriate
    title: Report it
    summary: The review breaks the rules.
    template: report
  nothing:
    type: outcome
    kind: no_action
    title: Nothing to do
    summary: Private feedback cannot be reported.
    template: no_action
"""


DEFAULT = Limits()


def problems_of(text: str | bytes, limits: Limits = DEFAULT) -> list[Problem]:
    with pytest.raises(TreeError) as caught:
        load_tree_text(text, "t.yaml", limits)
    return list(caught.value.problems)


def only(text: str | bytes, limits: Limits = DEFAULT) -> Problem:
    problems = problems_of(text, limits)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- the corpus: one file per hazard --------------------------------------------------------------

CORPUS = [
    ("duplicate_key.yaml", "duplicate-key", 4, 1,
     'key "title" appears twice: on line 2 and on line 4'),
    ("anchor.yaml", "anchor", 3, 12, 'anchors ("&shared") are not allowed'),
    ("alias.yaml", "alias", 4, 14, 'aliases ("*shared") are not allowed'),
    ("merge_key.yaml", "merge-key", 4, 5, 'merge keys ("<<") are not allowed'),
    ("python_tag.yaml", "tag", 2, 8, 'tags ("!!python/object/apply:os.system") are not allowed'),
    ("str_tag.yaml", "tag", 2, 8, 'tags ("!!str") are not allowed'),
    ("custom_tag.yaml", "tag", 2, 8, 'tags ("!include") are not allowed'),
    ("tab_indent.yaml", "tab-indent", 4, 3, "a tab is used for indentation"),
    ("two_documents.yaml", "multi-document", 3, 1, "more than one document"),
    ("empty.yaml", "empty", 1, 1, "the file is empty"),
    ("root_list.yaml", "root-not-mapping", 1, 1, 'made of "key: value" lines, but it is a list'),
    ("root_scalar.yaml", "root-not-mapping", 1, 1, "but it is a single value"),
    ("null_root.yaml", "root-not-mapping", 1, 1, 'but it is only a null value ("~")'),
    ("not_utf8.yaml", "not-utf8", 2, 11, "not UTF-8 text: byte 0xe9 at byte offset 20"),
    ("control_char.yaml", "control-char", 2, 9, "invisible control character (U+0000)"),
    # After multi-byte characters: located on the character, not on a byte offset.
    ("control_char_late.yaml", "control-char", 3, 5, "invisible control character (U+0007)"),
    ("yaml_syntax.yaml", "yaml-syntax", 4, 19,
     'unexpected ": " in a value; put the value in quotes'),
    ("unclosed_quote.yaml", "yaml-syntax", 2, 8, "ends inside an unclosed quote"),
    ("missing_colon.yaml", "yaml-syntax", 3, 1, 'this line has no "key: value" colon'),
    ("bad_indent.yaml", "yaml-syntax", 5, 4, "not indented like the lines around it"),
    ("complex_key.yaml", "complex-key", 2, 3, "a key must be a plain word"),
    ("unknown_key.yaml", "unknown-key", 9, 5,
     'unknown key "hepl" in node "ask_public"; did you mean "help"?'),
    ("missing_key.yaml", "missing-key", 6, 3, 'node "ask_public" needs "ask"'),
    ("bad_type.yaml", "wrong-type", 9, 5, '"max_length" should be a whole number, got "ten"'),
    ("unknown_type.yaml", "unknown-value", 7, 5, 'unknown type "yesno"; did you mean "yes_no"?'),
    ("bad_id.yaml", "bad-id", 9, 5, '"yes" should be an id in snake_case, got "Report It"'),
    ("bad_date.yaml", "bad-date", 9, 5,
     '"checked" should be a date written YYYY-MM-DD, got "2026-13-01"'),
    ("bad_url.yaml", "bad-url", 8, 5, '"url" should start with https://'),
    ("out_of_range.yaml", "out-of-range", 6, 3, '"reply_limit" should be at least 100, got 50'),
    ("too_few_choices.yaml", "too-short", 9, 5, '"choices" needs at least 2 items, found 1'),
    ("bad_condition.yaml", "invalid", 12, 9,
     'the condition of route 1 of node "ask_public" is not valid: known/at_least'),
]  # fmt: skip


@pytest.mark.parametrize(("name", "code", "line", "column", "words"), CORPUS)
def test_corpus(name: str, code: str, line: int, column: int, words: str) -> None:
    with pytest.raises(TreeError) as caught:
        load_tree(MALFORMED / name, display=name)
    problems = caught.value.problems
    assert [(p.code, p.line, p.column) for p in problems] == [(code, line, column)]
    assert words in problems[0].message
    assert problems[0].file == name
    assert str(caught.value).startswith(f"{name}:{line}:{column}: error: ")


def test_corpus_covers_every_file() -> None:
    assert {p.name for p in MALFORMED.iterdir()} == {row[0] for row in CORPUS}


def test_hints_explain_the_fix() -> None:
    by_file = {}
    for name in ("unknown_key.yaml", "bad_id.yaml", "bad_date.yaml",
                 "missing_key.yaml", "tab_indent.yaml", "yaml_syntax.yaml"):  # fmt: skip
        with pytest.raises(TreeError) as caught:
            load_tree(MALFORMED / name, display=name)
        by_file[name] = caught.value.problems[0].hint
    assert "allowed keys: " in by_file["unknown_key.yaml"]
    assert "help" in by_file["unknown_key.yaml"].split(": ", 1)[1].split(", ")
    assert by_file["bad_id.yaml"].endswith('e.g. "report_it"')
    assert by_file["bad_date.yaml"] == "month value is outside expected range of 1-12"
    assert by_file["missing_key.yaml"] == "The question, in plain words."
    assert by_file["tab_indent.yaml"] == "indent with spaces only"
    assert by_file["yaml_syntax.yaml"].startswith("YAML said: mapping values are not allowed")


# --- generated hazards: limits --------------------------------------------------------------------


def test_100k_nested_brackets_are_refused_fast() -> None:
    problem = only("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    # The root mapping is level 1, so the 64th bracket (column 3 + 64) is level 65.
    assert (problem.code, problem.line, problem.column) == ("too-deep", 1, 67)
    assert "more than 64 levels deep" in problem.message


def test_unclosed_brackets_and_block_nesting_are_refused() -> None:
    assert only("a: " + "{a: " * 100_000).code == "too-deep"
    problem = only("- " * 400_000 + "x\n")
    assert (problem.code, problem.line, problem.column) == ("too-deep", 1, 129)


def test_deep_but_allowed_nesting_does_not_recurse() -> None:
    # 990 levels would blow Python's recursion limit in a recursive converter (libyaml itself
    # stops near 1,000 levels since PyYAML 6.0.4).
    data, _ = parse_yaml("a: " + "[" * 990 + "]" * 990, limits=Limits(max_depth=995))
    depth = 0
    value = data["a"]
    while value:
        value, depth = value[0], depth + 1
    assert depth == 989


def test_too_many_nodes() -> None:
    problem = only("a: [1, 2, 3, 4, 5, 6]\n", Limits(max_nodes=6))
    assert (problem.code, problem.line, problem.column) == ("too-many-nodes", 1, 14)
    assert problem.message == "the file has more than 6 values"
    assert only("a: [" + "1, " * 250_000 + "]\n").code == "too-many-nodes"


def test_scalar_too_long() -> None:
    problem = only("id: x\ntitle: " + "x" * 20_001 + "\n")
    assert (problem.code, problem.line, problem.column) == ("scalar-too-long", 2, 8)
    assert problem.message == "this value is 20001 characters long; the limit is 20000"
    assert only("a: |\n  " + "y" * 30_000 + "\n").code == "scalar-too-long"


def test_file_too_large_is_refused_before_parsing() -> None:
    problem = only("a: b\n" + "#" * 1_000_000)
    assert (problem.code, problem.line, problem.column) == ("too-large", 2, 999_996)
    assert problem.message == "the file is larger than 1,000,000 bytes"
    assert only(b"x" * 2_000_000).code == "too-large"
    # Characters are counted in UTF-8 bytes: 600,000 "é" are 1.2 MB.
    assert only("é" * 600_000).code == "too-large"


# --- encodings ------------------------------------------------------------------------------------


def test_bom_is_stripped_and_columns_stay_right() -> None:
    loaded = load_tree_text(b"\xef\xbb\xbf" + VALID.encode(), "bom.yaml")
    assert loaded.tree.id == "mini"
    assert loaded.positions.at("id") == (1, 1)
    assert loaded.text == VALID


def test_lone_surrogate_in_text_is_not_utf8() -> None:
    problem = only("id: a\ntitle: b\udc80\n")
    assert (problem.code, problem.line, problem.column) == ("not-utf8", 2, 9)


def test_non_ascii_columns_count_characters() -> None:
    problem = only("id: é\ntitle: «x»\nid: ü\n")
    assert (problem.code, problem.line, problem.column) == ("duplicate-key", 3, 1)
    problem = only("title: «é» x: y\n")
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", 1, 13)


# --- YAML 1.2 scalars -----------------------------------------------------------------------------


def test_yaml_1_2_core_scalars() -> None:
    text = """\
words: [yes, no, on, off, NO, y, Y, Yes, OFF]
bools: [true, True, TRUE, false, False, FALSE]
nulls: [null, Null, NULL, ~, ]
time: 1:20
octal_like: 012
octal: 0o12
hex: 0x1F
signed_hex: -0x1
float: 1.5
exp: 1e3
underscores: 1_000
date: 2026-11-27
quoted: ["true", 'null', "12"]
empty:
"""
    data, _ = parse_yaml(text)
    assert data["words"] == ["yes", "no", "on", "off", "NO", "y", "Y", "Yes", "OFF"]
    assert data["bools"] == [True, True, True, False, False, False]
    assert data["nulls"] == [None, None, None, None]
    assert data["time"] == "1:20"
    assert data["octal_like"] == 12
    assert data["octal"] == 8 + 2
    assert data["hex"] == 31
    assert data["signed_hex"] == "-0x1"
    assert data["float"] == 1.5
    assert data["exp"] == 1000.0
    assert data["underscores"] == "1_000"
    assert data["date"] == "2026-11-27"
    assert data["quoted"] == ["true", "null", "12"]
    assert data["empty"] is None
    special, _ = parse_yaml("a: [.inf, -.Inf, .NaN, +.INF]")
    assert special["a"][0] == math.inf and special["a"][1] == -math.inf
    assert math.isnan(special["a"][2]) and special["a"][3] == math.inf


def test_keys_are_always_text() -> None:
    data, _ = parse_yaml("yes: a\nno: b\n1: c\ntrue: d\n")
    assert data == {"yes": "a", "no": "b", "1": "c", "true": "d"}


def test_huge_integer_stays_text() -> None:
    data, _ = parse_yaml("n: " + "9" * 5_000)
    assert data["n"] == "9" * 5_000


# --- code never runs ------------------------------------------------------------------------------


# Each with arguments an unsafe loader would really run, so "the file was not created" means
# the loader refused, not that the call failed.
@pytest.mark.parametrize(
    ("tag", "arguments"),
    [
        ("!!python/object/apply:os.system", '["touch {target}"]'),
        ("!!python/object/apply:subprocess.check_call", '[["touch", "{target}"]]'),
    ],
)
def test_python_tags_never_execute(tmp_path: Path, tag: str, arguments: str) -> None:
    target = tmp_path / "pwned"
    problem = only(f"id: x\ntitle: {tag} {arguments.format(target=target)}\n")
    assert (problem.code, problem.line, problem.column) == ("tag", 2, 8)
    assert not target.exists()


def test_a_python_name_tag_is_refused() -> None:
    problem = only("id: x\ntitle: !!python/name:os.system\n")
    assert (problem.code, problem.line, problem.column) == ("tag", 2, 8)


def test_python_tag_file_in_the_corpus_does_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TreeError):
        load_tree(MALFORMED / "python_tag.yaml")
    assert not (tmp_path / "pwned_by_yaml").exists()


# --- a valid tree ---------------------------------------------------------------------------------


def test_valid_tree_loads_with_positions() -> None:
    loaded = load_tree_text(VALID, "mini.yaml")
    assert isinstance(loaded, LoadedTree)
    assert isinstance(loaded.tree, Tree)
    assert (loaded.file, loaded.positions.file, loaded.text) == ("mini.yaml", "mini.yaml", VALID)
    assert loaded.tree.nodes["report"].type == "outcome"
    at = loaded.positions.at
    assert at() == (1, 1)
    assert at("start") == (4, 1)
    assert at("nodes", "kind") == (6, 3)
    assert at("nodes", "kind", "choices") == (9, 5)
    assert at("nodes", "kind", "choices", 0) == (10, 9)  # a list item: where it starts
    assert at("nodes", "kind", "choices", 0, "go") == (12, 9)
    assert at("nodes", "kind", "choices", 1) == (13, 9)
    assert at("nodes", "kind", "choices", 1, "label") == (13, 26)
    assert at("nodes", "report", "kind") == (16, 5)
    # Unknown tails fall back to the longest known prefix.
    assert at("nodes", "report", "nope", 3) == (14, 3)
    assert at("nope") == (1, 1)


def test_yes_no_node_keys_stay_words() -> None:
    text = VALID.replace(
        "  report:\n",
        "  sure:\n    type: yes_no\n    ask: Sure?\n    yes: report\n    no: nothing\n  report:\n",
    )
    tree = load_tree_text(text).tree
    assert tree.nodes["sure"].type == "yes_no"
    sure = tree.nodes["sure"]
    assert isinstance(sure, YesNo)
    assert (sure.yes, sure.no) == ("report", "nothing")


def test_every_problem_is_reported_in_file_order() -> None:
    text = (
        VALID.replace("    ask: Where is the review?\n", "    aks: Where?\n")
        .replace("kind: no_action", "kind: nothing")
        .replace("  report:\n    type: outcome\n", "  report:\n    type: outcom\n")
    )
    problems = problems_of(text)
    assert [(p.code, p.line, p.column, p.message) for p in problems] == [
        ("missing-key", 6, 3, 'node "kind" needs "ask"'),
        ("unknown-key", 8, 5, 'unknown key "aks" in node "kind"; did you mean "ask"?'),
        ("unknown-value", 15, 5, 'unknown type "outcom"; did you mean "outcome"?'),
    ]  # an unknown kind is not the loader's: kinds are data (see test_kinds.py)


def test_yaml_level_problems_are_all_reported() -> None:
    problems = problems_of("a: &x 1\nb: *x\na: 2\n<<: {}\nc: !!str d\n")
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("anchor", 1, 4),
        ("alias", 2, 4),
        ("duplicate-key", 3, 1),
        ("merge-key", 4, 1),
        ("tag", 5, 4),
    ]


def test_missing_top_level_key_points_at_the_start() -> None:
    problems = problems_of("id: x\ntitle: y\nplatform: z\nnodes: {}\n")
    assert [(p.code, p.line, p.column, p.message) for p in problems] == [
        ("missing-key", 1, 1, 'the tree needs "start"')
    ]


def test_wrong_type_messages() -> None:
    problems = problems_of(VALID.replace("title: Report it", "title: 5").replace(
        "    ask: Where is the review?\n", "    ask: [a, b]\n"))  # fmt: skip
    assert [(p.code, p.line, p.column, p.message, p.hint) for p in problems] == [
        ("wrong-type", 8, 5, '"ask" should be text, got a list', ""),
        ("wrong-type", 18, 5, '"title" should be text, got 5',
         'put the value in quotes to make it text: "..."'),
    ]  # fmt: skip


def test_node_that_is_not_a_mapping() -> None:
    text = VALID.replace(
        "  report:\n    type: outcome\n", "  report: 7\n  old:\n    type: outcome\n"
    )
    problem = only(text)
    assert (problem.code, problem.line, problem.column) == ("wrong-type", 14, 3)
    assert problem.message == 'node "report" should be a group of "key: value" lines, got 7'


def test_scenario_answers_union_is_one_message() -> None:
    text = VALID + (
        "scenarios:\n  - name: s\n    answers: {kind: {a: 1}, other: [a, 1]}\n    expect: report\n"
    )
    problems = problems_of(text)
    assert [(p.code, p.line, p.column, p.message) for p in problems] == [
        ("wrong-type", 29, 15, 'answer "kind" of scenario 1 should be text or a list, '
         'got a group of "key: value" lines'),
        ("wrong-type", 29, 40, 'item 2 of answer "other" of scenario 1 should be text, got 1'),
    ]  # fmt: skip


# --- loading from files ---------------------------------------------------------------------------


def test_display_name_is_relative_inside_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "decision_trees").mkdir()
    path = tmp_path / "decision_trees" / "mini.yaml"
    path.write_text(VALID)
    monkeypatch.chdir(tmp_path)
    assert load_tree(path).file == "decision_trees/mini.yaml"
    assert (
        load_tree("decision_trees/../decision_trees/mini.yaml").file == "decision_trees/mini.yaml"
    )
    assert load_tree(path, display="shown.yaml").positions.file == "shown.yaml"
    monkeypatch.chdir(tmp_path / "decision_trees")
    assert display_name(tmp_path / "elsewhere" / "tree.yaml") == "tree.yaml"


def test_unreadable_file_names_no_machine_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for target in (tmp_path / "missing.yaml", tmp_path):
        with pytest.raises(TreeError) as caught:
            load_tree(target)
        (problem,) = caught.value.problems
        assert problem.code == "unreadable"
        assert problem.message.startswith("cannot read the file: ")
        assert str(tmp_path) not in str(caught.value)
    assert "No such file or directory" in str(load_error(tmp_path / "missing.yaml"))


def load_error(path: Path) -> TreeError:
    with pytest.raises(TreeError) as caught:
        load_tree(path)
    return caught.value


def test_huge_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: b\n" + b"#" * 5_000_000)
    assert load_error(path).problems[0].code == "too-large"


# --- errors survive pickling (Streamlit caches them) ----------------------------------------------


def test_tree_error_pickles() -> None:
    error = load_error(MALFORMED / "unknown_key.yaml")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is TreeError
    assert copy.problems == error.problems
    assert str(copy) == str(error)


# --- nothing but TreeError ever escapes -----------------------------------------------------------

NASTY = [
    "", "\x00", "\ufeff", "a: [", "{", "}", "]", "? ? ?", "- - - : :", "&a [*a]", "!!binary x",
    "%YAML 2.0\n---\na: 1", "%TAG ! tag:x,2000:\n---\n!a b", "a: !<tag:yaml.org,2002:str> x",
    "a: 'b\n", '"\\x"', "a: |\n x\n  \ty", "\t", "a:\n\t- b", "--- |\n", "...", "---\n---\n",
    "a: " + "9" * 10_000, "\ud800", "a: b\r\nc: d\r\n", "\x85a: b", "a: *", "a: &", "a: !",
]  # fmt: skip


@pytest.mark.parametrize("text", NASTY)
def test_nasty_inputs_raise_only_tree_error(text: str) -> None:
    with pytest.raises(TreeError) as raised:
        load_tree_text(text)
    assert raised.value.problems
    assert all(p.line >= 1 and p.column >= 1 and p.code for p in raised.value.problems)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_random_input_raises_only_tree_error(data: str | bytes) -> None:
    try:
        parse_yaml(data)
    except TreeError as error:
        assert all(p.line >= 1 and p.column >= 1 for p in error.problems)


# --- speed ----------------------------------------------------------------------------------------


def generate(nodes: int) -> str:
    """A tree of ``nodes`` questions that fits in the 1 MB limit."""
    lines = ["id: big", "title: Big", "platform: Test", "start: q0", "nodes:"]
    for i in range(nodes):
        if i % 2:
            lines += [f" q{i}:", "  type: choice", f"  ask: Pick {i}", "  choices:",
                      f"  - {{value: a, label: A, go: q{i + 1}}}",
                      "  - {value: b, label: B, go: e}"]  # fmt: skip
        else:
            lines += [f" q{i}:", "  type: yes_no", f"  ask: Q{i}?", f"  yes: q{i + 1}", "  no: e"]
    lines += [f" q{nodes}:", "  type: outcome", "  kind: respond", "  title: T", "  summary: S",
              "  template: reply", " e:", "  type: outcome", "  kind: no_action", "  title: T",
              "  summary: S", "  template: none"]  # fmt: skip
    return "\n".join(lines) + "\n"


def test_10k_node_tree_loads_in_full() -> None:
    # Timing lives in bench/bench_load.py; this checks a tree that size loads completely.
    text = generate(10_000)
    assert len(text.encode()) < 1_000_000
    assert len(load_tree_text(text).tree.nodes) == 10_002


# --- found by fuzzing (fuzz/fuzz_loader.py) --------------------------------------------------


@pytest.mark.parametrize("today", ["1013-11-27", "2026-10-31"])
def test_a_scenario_whose_day_is_before_its_contract_ended_is_a_located_error(
    today: str,
) -> None:
    """It loaded, then the checks crashed walking it (a case refuses such dates)."""
    text = (Path(__file__).parent / "trees" / "broken.yaml").read_text(encoding="utf-8")
    assert "    today: 2026-11-27\n" in text
    with pytest.raises(TreeError) as caught:
        load_tree_text(text.replace("    today: 2026-11-27\n", f"    today: {today}\n"), "b.yaml")
    [problem] = [p for p in caught.value.problems if "after today" in p.message]
    assert problem.line >= 1
    assert f"after today ({today})" in problem.message
