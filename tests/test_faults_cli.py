"""Issue "Speed and proof", faults 4, 5 and 6: the CLI on hostile case files.

4. ``today: 9999-12-31`` crashed with "internal error (OverflowError)": a deadline was counted
   past the end of the calendar.
5. ``tree: /etc/shadow`` in a case read that file and echoed its lines in "unknown key" errors.
6. Escape codes and NUL from a case file reached the terminal in messages.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_run import triage, write

from triage.cli import neutralise
from triage.errors import CaseError
from triage.tree.loader import load_case_text
from triage.walk.dates import LAST_DAY, LATEST_DAY, add_business_days, add_days

ROOT = Path(__file__).resolve().parent.parent


# --- 4. far-future dates ------------------------------------------------------------------------

FUTURE = """tree: upwork
today: 9999-12-31
context: {contract_end: 9999-12-20}
answers: {feedback_kind: public}
"""


@pytest.mark.parametrize("command", ["walk", "render"])
def test_a_far_future_case_is_a_located_case_error(tmp_path: Path, command: str) -> None:
    case = write(tmp_path, "future.yaml", FUTURE)
    result = triage(command, str(case))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith('triage: future.yaml:2:1: "today" is 9999-12-31, too far in the')
    assert lines[1].startswith('future.yaml:3:11: context "contract_end" is 9999-12-20')
    assert f"on or before {LATEST_DAY.isoformat()}" in lines[0]


def test_a_far_future_case_in_a_batch_is_one_error_line() -> None:
    case = {"tree": "upwork", "today": "9999-12-31", "answers": {"feedback_kind": "public"}}
    result = triage("walk", "--batch", "-", stdin=json.dumps(case) + "\n")
    assert result.returncode == 1
    assert "too far in the future" in json.loads(result.stdout)["error"]


def test_a_far_future_date_answer_is_refused_where_it_is() -> None:
    with pytest.raises(CaseError, match=r'^case:3:3: the answer to "when" is 9999-01-01'):
        load_case_text("tree: upwork\nanswers:\n  when: 9999-01-01\n", "case")


def test_the_last_allowed_day_still_walks(tmp_path: Path) -> None:
    last = LATEST_DAY.isoformat()
    case = write(
        tmp_path, "late.yaml", FUTURE.replace("9999-12-31", last).replace("9999-12-20", last)
    )
    result = triage("walk", str(case), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["deadlines"]


def test_adding_days_stops_at_the_end_of_the_calendar() -> None:
    assert add_days(dt.date(9999, 12, 20), 28) == LAST_DAY
    assert add_days(dt.date(2026, 1, 1), 10**12) == LAST_DAY
    assert add_days(dt.date(1, 1, 5), -10) == dt.date.min
    assert add_business_days(dt.date(9999, 12, 20), 3650) == LAST_DAY
    assert add_business_days(LAST_DAY, 0) == LAST_DAY
    assert add_days(dt.date(2026, 11, 20), 28) == dt.date(2026, 12, 18)


# --- 5. tree: paths -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tree", ["/etc/passwd", "/etc/shadow", "../../../../etc/passwd", "decision_trees/../README.md"]
)
def test_a_case_cannot_name_a_file_outside_the_trees_folder(tree: str) -> None:
    result = triage("walk", "--batch", "-", "--format", "json", stdin=json.dumps({"tree": tree}))
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert "is not a tree id or a file in the trees folder (decision_trees/)" in error
    assert "--allow-tree-path" in error
    assert "root:" not in result.stdout + result.stderr


def test_a_case_file_naming_another_file_is_refused(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.yaml", "password: hunter2\nroot: x:0:0\n")
    case = write(tmp_path, "case.yaml", f"tree: {secret.name}\nanswers: {{}}\n")
    result = triage("walk", str(case))
    assert result.returncode == 1
    assert "not a tree id or a file in the trees folder" in result.stderr
    assert "hunter2" not in result.stdout + result.stderr and "password" not in result.stderr


def test_a_symbolic_link_out_of_the_trees_folder_is_refused(tmp_path: Path) -> None:
    trees = tmp_path / "trees"
    trees.mkdir()
    (trees / "upwork.yaml").write_text((ROOT / "decision_trees" / "upwork.yaml").read_text())
    secret = write(tmp_path, "secret.yaml", "password: hunter2\n")
    (trees / "link.yaml").symlink_to(secret)
    case = {"tree": str(trees / "link.yaml")}
    result = triage(
        "walk", "--batch", "-", stdin=json.dumps(case), env={"TRIAGE_TREES": str(trees)}
    )
    assert "not a tree id or a file in the trees folder" in result.stdout
    assert "hunter2" not in result.stdout + result.stderr


def test_ids_and_paths_inside_the_trees_folder_still_work() -> None:
    for tree in ("upwork", "decision_trees/upwork.yaml", str(ROOT / "decision_trees/upwork.yaml")):
        result = triage("walk", "--batch", "-", stdin=json.dumps({"tree": tree}))
        assert result.returncode == 0, result.stdout
        assert json.loads(result.stdout)["next"]["id"] == "feedback_kind"


def test_allow_tree_path_reads_a_tree_from_elsewhere(tmp_path: Path) -> None:
    tree = write(tmp_path, "mine.yaml", (ROOT / "decision_trees" / "upwork.yaml").read_text())
    case = write(tmp_path, "case.yaml", "tree: mine.yaml\nanswers: {}\n")
    assert triage("walk", str(case)).returncode == 1
    result = triage("walk", str(case), "--allow-tree-path", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tree"] == "upwork"
    assert tree.is_file()


@pytest.mark.parametrize(
    "content",
    [
        "root: x:0:0:root:/root:/bin/bash\ndaemon: x:1:1\n",  # a mapping, not a tree
        "root:x:0:0:root:/root:/bin/bash\n",  # a single value
        "password: [unclosed\n",  # not even YAML
    ],
)
def test_allow_tree_path_never_echoes_a_file_that_is_not_a_tree(
    tmp_path: Path, content: str
) -> None:
    write(tmp_path, "passwd", content)
    case = write(tmp_path, "case.yaml", "tree: ./passwd\nanswers: {}\n")
    for args in (("--allow-tree-path",), ("--allow-tree-path", "--format", "json")):
        result = triage("walk", str(case), *args)
        assert result.returncode == 1
        assert 'tree "./passwd" could not be read as a decision tree' in result.stderr
        assert "root" not in result.stdout + result.stderr
        assert "password" not in result.stdout + result.stderr


def test_a_broken_tree_in_the_trees_folder_still_shows_its_problems(tmp_path: Path) -> None:
    trees = tmp_path / "trees"
    trees.mkdir()
    (trees / "broken.yaml").write_text("id: broken\ntitle: Broken\nnodez: {}\n")
    result = triage(
        "walk", "--batch", "-", stdin='{"tree": "broken"}', env={"TRIAGE_TREES": str(trees)}
    )
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert 'broken.yaml:3:1: error: unknown key "nodez"' in error


# --- 6. terminal escapes ------------------------------------------------------------------------

HOSTILE = "\x1b]0;PWNED\x07\x1b[31mRED\x00\x9b2J\u202egnp.exe\u2066\x7f"


def _no_controls(text: str) -> None:
    for ch in ("\x1b", "\x07", "\x00", "\x9b", "\u202e", "\u2066", "\x7f", "\r"):
        assert ch not in text, repr(ch)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_escape_codes_in_a_case_never_reach_the_terminal(tmp_path: Path, fmt: str) -> None:
    quoted = json.dumps(HOSTILE)  # YAML double quotes read JSON escapes
    case = write(tmp_path, "esc.yaml", f"tree: {quoted}\nanswers: {{}}\n")
    result = triage("walk", str(case), "--format", fmt)
    assert result.returncode == 1
    _no_controls(result.stdout + result.stderr)
    assert "\\x1b]0;PWNED\\x07\\x1b[31mRED\\x00\\x9b2J\\u202egnp.exe" in result.stderr


def test_raw_control_characters_in_a_case_file_are_neutralised(tmp_path: Path) -> None:
    case = tmp_path / "esc.yaml"
    case.write_text('tree: "\x1b]0;PWNED\x07\x1b[31mRED"\nanswers: {}\n', encoding="utf-8")
    result = triage("walk", str(case))
    assert result.returncode == 1
    _no_controls(result.stdout + result.stderr)


def test_batch_json_stays_valid_json_with_the_same_text() -> None:
    lines = [json.dumps({"tree": HOSTILE}), json.dumps({"tree": "upwork", "answers": {HOSTILE: 1}})]
    result = triage("walk", "--batch", "-", stdin="\n".join(lines) + "\n")
    _no_controls(result.stdout + result.stderr)
    errors = [json.loads(line)["error"] for line in result.stdout.splitlines()]
    assert len(errors) == 2
    assert HOSTILE[:20] in errors[0]  # JSON escapes: the reader gets the very characters back


def test_escape_codes_in_arguments_and_file_names_are_neutralised(tmp_path: Path) -> None:
    _no_controls(triage("walk", "\x1b[2Jnope.yaml").stderr)
    _no_controls(triage("validate", "--format", "\x1b[2J").stderr)
    name = tmp_path / "a\x1b[31m.yaml"
    name.write_text("id: [\n", encoding="utf-8")
    _no_controls(triage("validate", str(name)).stdout)


def test_neutralise_keeps_text_newlines_and_tabs() -> None:
    assert neutralise("a\tb\nc — é 😀 עברית") == "a\tb\nc — é 😀 עברית"
    assert neutralise("\x1b[31m\x00\x85\u202e\u2069\x7f\r") == (
        "\\x1b[31m\\x00\\x85\\u202e\\u2069\\x7f\\x0d"
    )
    assert json.loads(f'"{neutralise(HOSTILE, json=True)}"') == HOSTILE
