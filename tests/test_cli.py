"""The triage command through a subprocess: exit codes, JSON shapes, no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import triage, write

from triage.paths import tree_ids

ROOT = Path(__file__).resolve().parent.parent
UPWORK = ROOT / "decision_trees" / "upwork.yaml"
BROKEN = ROOT / "tests" / "trees" / "broken.yaml"


CASE = """tree: upwork
today: 2026-11-27
context: {contract_end: 2026-11-20, client_name: Dana, project_title: Landing page}
answers:
  feedback_kind: public
"""


def test_validate_ok_tree_exits_0() -> None:
    result = triage("validate", str(UPWORK))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("decision_trees/upwork.yaml: ok")


def test_validate_broken_tree_prints_file_line_col_and_exits_1() -> None:
    result = triage("validate", "tests/trees/broken.yaml")
    assert result.returncode == 1
    assert (
        'tests/trees/broken.yaml:24:9: error: "go: thret" in "kind" points to no node '
        '(hint: did you mean "threat"?)'
    ) in result.stdout.splitlines()


def test_validate_json_shape() -> None:
    result = triage("validate", str(UPWORK), "tests/trees/broken.yaml", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [f["ok"] for f in data["files"]] == [True, False]
    problem = data["files"][1]["problems"][0]
    assert set(problem) == {"line", "column", "code", "message", "hint", "severity"}


def test_validate_missing_file_is_a_usage_error() -> None:
    result = triage("validate", "nope.yaml")
    assert result.returncode == 2
    assert 'no such file: "nope.yaml"' in result.stderr
    folder = triage("validate", "tests")
    assert folder.returncode == 2 and 'is a folder, not a file: "tests"' in folder.stderr


def test_validate_never_shows_machine_paths(tmp_path: Path) -> None:
    bad = write(tmp_path, "mine.yaml", "id: x\nid: y\n")
    result = triage("validate", str(bad), "--format", "json")
    assert result.returncode == 1
    assert str(tmp_path) not in result.stdout
    assert json.loads(result.stdout)["files"][0]["file"] == "mine.yaml"


def test_check_reports_scenarios_and_coverage() -> None:
    result = triage("check")
    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.search(r"scenarios (\d+)/(\d+)", result.stdout)
    assert passed and passed.group(1) == passed.group(2) and int(passed.group(1)) > 0
    assert "outcomes covered" in result.stdout and "branches covered" in result.stdout
    data = json.loads(triage("check", "--format", "json").stdout)
    tree = data["trees"][0]
    assert data["ok"] is True
    assert tree["coverage"]["outcomes"]["missing"] == []
    assert all(s["ok"] for s in tree["scenarios"])


def test_check_checks_every_shipped_tree_or_one_file() -> None:
    data = json.loads(triage("check", "--format", "json").stdout)
    checked = {Path(t["file"]).stem for t in data["trees"]}
    assert checked == set(tree_ids()) and len(checked) >= 4
    one = triage("check", "tests/trees/broken.yaml")
    assert one.returncode == 1
    assert one.stdout.count(": FAILED") == 1 and "broken.yaml: FAILED" in one.stdout
    assert triage("check", "no/such/place").returncode == 2


def test_check_a_folder_with_a_broken_tree_exits_1() -> None:
    result = triage("check", "tests/trees")
    assert result.returncode == 1
    assert "broken.yaml: FAILED" in result.stdout


def test_walk_json_contract(tmp_path: Path) -> None:
    case = write(tmp_path, "case.yaml", CASE)
    result = triage("walk", str(case), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"tree", "status", "next", "outcome", "path", "deadlines"}
    assert data["status"] == "needs_answer"
    assert set(data["next"]) == {"id", "ask", "type", "choices"}
    first = data["path"][0]
    assert set(first) == {"node", "answer", "reason"}
    assert (first["node"], first["answer"]) == ("feedback_kind", "public")
    assert isinstance(first["reason"], str) and first["reason"]
    assert {"name": "reply_window", "date": "2026-12-18", "days_left": 21} in data["deadlines"]


def test_walk_bad_answer_exits_1_with_the_allowed_values(tmp_path: Path) -> None:
    case = write(
        tmp_path, "case.yaml", CASE.replace("feedback_kind: public", "feedback_kind: publc")
    )
    result = triage("walk", str(case))
    assert result.returncode == 1
    # Located at the answer in the case file (line 5, column 3).
    assert 'case.yaml:5:3: "publc" is not an answer to "feedback_kind"; allowed: "public"' in (
        result.stderr
    )


def test_walk_unknown_question_exits_1_with_did_you_mean(tmp_path: Path) -> None:
    case = write(tmp_path, "case.yaml", CASE.replace("feedback_kind:", "feedback_knd:"))
    result = triage("walk", str(case))
    assert result.returncode == 1
    assert 'did you mean "feedback_kind"' in result.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("tree: upwork\ncontext: {clinet_name: Dana}\n", 'did you mean "client_name"'),
        ("tree: upwork\ntoday: tomorrow\n", "YYYY-MM-DD"),
        ("tree: nowhere\n", 'there is no tree "nowhere"'),
        ("[1, 2", "case.yaml:1:"),
    ],
)
def test_walk_bad_case_files_are_explained(tmp_path: Path, text: str, words: str) -> None:
    result = triage("walk", str(write(tmp_path, "case.yaml", text)))
    assert result.returncode in (1, 2)
    assert words in result.stderr


def test_walk_unreadable_case_is_exit_2(tmp_path: Path) -> None:
    assert triage("walk", str(tmp_path / "missing.yaml")).returncode == 2
    binary = tmp_path / "case.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = triage("walk", str(binary))
    assert result.returncode == 2 and "UTF-8" in result.stderr


def test_walk_batch_one_result_per_line_in_order(tmp_path: Path) -> None:
    good = json.dumps(
        {
            "tree": "upwork",
            "today": "2026-11-27",
            "context": {"contract_end": "2026-11-20"},
            "answers": {
                "feedback_kind": "private",
                "private_visible": "can_read",
                "private_red_flags": "no",
            },
        }
    )
    bad = json.dumps({"tree": "upwork", "answers": {"feedback_kind": "maybe"}})
    batch = write(tmp_path, "cases.jsonl", "\n".join([good, "{not json", bad, good]) + "\n")
    result = triage("walk", "--batch", str(batch))
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["status"] == "complete" and lines[0]["outcome"]["kind"] == "no_action"
    assert "error" in lines[1] and lines[1]["error"].startswith("line 2")
    assert '"maybe" is not an answer' in lines[2]["error"]
    assert lines[3] == lines[0]


def test_walk_batch_from_stdin() -> None:
    line = json.dumps({"tree": "upwork", "answers": {}})
    result = triage("walk", "--batch", "-", stdin=line + "\n")
    assert result.returncode == 0
    assert json.loads(result.stdout)["next"]["id"] == "feedback_kind"


def test_graph_dot_and_mermaid_highlight_the_path(tmp_path: Path) -> None:
    case = write(tmp_path, "case.yaml", CASE)
    dot = triage("graph", "upwork", "--case", str(case))
    assert dot.returncode == 0
    assert dot.stdout.startswith('digraph "upwork" {')
    assert '"feedback_kind" -> "contract_end_known" [label=' in dot.stdout
    walked = [line for line in dot.stdout.splitlines() if "penwidth=2.2" in line]
    assert walked and "feedback_kind" in walked[0]
    mermaid = triage("graph", "upwork", "--format", "mermaid", "--case", str(case))
    assert mermaid.stdout.startswith("flowchart TD")
    assert "class feedback_kind" in mermaid.stdout and "linkStyle" in mermaid.stdout


def test_schema_prints_json_schema() -> None:
    result = triage("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "Tree"


def test_usage_errors_exit_2() -> None:
    assert triage().returncode == 2
    assert triage("walk", "--format", "xml", "x").returncode == 2
    assert triage("fly").returncode == 2


def test_walk_batch_and_a_case_together_is_a_usage_error(tmp_path: Path) -> None:
    case = write(tmp_path, "case.yaml", CASE)
    batch = write(tmp_path, "b.jsonl", "{}\n")
    assert triage("walk", str(case), "--batch", str(batch)).returncode == 2
    assert triage("walk", "--batch", str(batch), "--format", "text").returncode == 2


def test_walk_batch_says_which_lines_are_not_json(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_bytes(b'[1]\n{"tree": "upwork"\n\xff\n')
    lines = [json.loads(x) for x in triage("walk", "--batch", str(batch)).stdout.splitlines()]
    assert lines[0]["error"] == "line 1: the line is not a JSON object " + (
        '(write {"tree": ..., "answers": {...}})'
    )
    assert lines[1]["error"].startswith("line 2: not valid JSON at column")
    assert lines[2]["error"].startswith("line 3: the line is not valid UTF-8")


def test_render_to_a_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    case = write(
        tmp_path,
        "case.yaml",
        CASE.replace(
            "feedback_kind: public",
            "feedback_kind: private\n  private_visible: can_read\n  private_red_flags: 'no'",
        ),
    )
    result = triage("render", str(case), "--out", str(tmp_path / "no" / "x.md"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr


def test_graph_of_an_unknown_tree_is_a_usage_error() -> None:
    result = triage("graph", "upwrk")
    assert result.returncode == 2
    assert 'did you mean "upwork"' in result.stderr


def test_tone_limit_must_be_positive() -> None:
    assert triage("tone", "--limit", "0", "-", stdin="Thank you.").returncode == 2


def test_render_flags_tone_problems_in_what_the_person_typed(tmp_path: Path) -> None:
    answers = """  feedback_kind: public
  already_reported: not_yet
  main_complaint: delay
  client_pressure: [none_of_these]
  review_language: 'no'
  review_relevance: about_the_work
  reviewer_connection: genuine
  concern_fixed: 'no'
  reply_fact: You never paid on time, you liar!!! Call me at +1 555 123 4567.
"""
    case = write(tmp_path, "case.yaml", CASE.replace("  feedback_kind: public\n", answers))
    result = triage("render", str(case), "--format", "txt")
    assert result.returncode == 1, result.stderr
    assert "Your sentence was left out." in result.stdout
    assert "liar" not in result.stdout.split("Your reply")[1].split("Your sentence")[0]
    assert 'tone: "liar"' in result.stderr


# A walk imports only what it needs: no Jinja2, no checks, no route proofs, no graph code.
WALK_NEVER_IMPORTS = (
    "jinja2",
    "triage.tree.checks",
    "triage.tree.route_proofs",
    "triage.tree.topology",
    "triage.tree.diagram",
    "triage.documents.template_checks",
    "triage.documents.render",
    "triage.tree.scenarios",
    "triage.tree.explain",
)
_MODULES_AFTER = (
    "import io, sys\n"
    "from triage.cli import main\n"
    "code = main(sys.argv[1:], io.StringIO())\n"
    "print(code)\n"
    "print('\\n'.join(sorted(sys.modules)))\n"
)


@pytest.mark.parametrize("cache", ["1", "0"], ids=["tree-cache", "no-cache"])
@pytest.mark.parametrize("batch", [False, True], ids=["case", "batch"])
def test_a_walk_imports_only_what_it_needs(tmp_path: Path, cache: str, batch: bool) -> None:
    import os

    if batch:
        path = write(tmp_path, "b.jsonl", json.dumps({"tree": "upwork", "answers": {}}) + "\n")
        args = ["walk", "--batch", str(path)]
    else:
        args = ["walk", str(write(tmp_path, "case.yaml", CASE)), "--format", "json"]
    result = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        env={**os.environ, "TRIAGE_CACHE": cache, "TRIAGE_CACHE_DIR": str(tmp_path / "cache")},
    )
    code, *modules = result.stdout.splitlines()
    assert code == "0", result.stderr
    loaded = [m for m in modules if m.split(".")[0] == "jinja2" or m in WALK_NEVER_IMPORTS]
    assert loaded == []


def test_a_case_without_a_tree_says_which_ids_there_are(tmp_path: Path) -> None:
    """With ten trees, a case that names none is a mistake to point at, not a guess."""
    case = write(tmp_path, "case.yaml", CASE.replace("tree: upwork\n", ""))
    result = triage("walk", str(case))
    assert result.returncode == 1
    assert 'the case names no tree: it has no "tree" line' in result.stderr
    assert ", ".join(tree_ids()) in result.stderr
    batch = write(tmp_path, "cases.jsonl", '{"answers": {}}\n{"tree": "upwork", "answers": {}}\n')
    lines = triage("walk", "--batch", str(batch)).stdout.splitlines()
    assert "names no tree" in json.loads(lines[0])["error"]
    assert json.loads(lines[1])["tree"] == "upwork", "the next line still walks"
