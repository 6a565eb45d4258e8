"""Issue "Speed and proof", fault 1: one hostile file must not flood the reader with problems.

200,000 aliases or duplicate keys are the same mistake 200,000 times: the CLI (``validate``,
``check``, case files) and the Authors page list the first few of each kind and sum up the rest
in one line, all through :func:`triage.errors.cap_problems`.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from cli_run import triage

from triage.errors import (
    PER_CODE,
    CaseError,
    Omitted,
    Problem,
    TreeError,
    cap_problems,
    problem_count,
)
from triage.tree.loader import load_case_text, load_tree_text
from triage.ui.authors_page import problem_lines

ROOT = Path(__file__).resolve().parent.parent
FLOOD = "x: [" + "*a, " * 240_000 + "]\n"  # 960 KB: one alias problem per item
DUPLICATES = "".join(f"k: {i}\n" for i in range(50_000))  # 49,999 duplicate keys
# Nine lines, nine aliases each: 81 alias problems before the fix.
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture(scope="module")
def flood_error() -> TreeError:
    with pytest.raises(TreeError) as caught:
        load_tree_text(FLOOD, "flood.yaml")
    return caught.value


def _problems(n: int, code: str = "alias", line: int = 1) -> list[Problem]:
    return [Problem(code, f"p{i}", "", "f.yaml", line + i, 1) for i in range(n)]


# --- the one shared place -----------------------------------------------------------------------


def test_the_first_of_each_code_are_listed_then_one_line_sums_up_the_rest() -> None:
    capped = cap_problems(_problems(30) + _problems(3, "duplicate-key", 100))
    assert [p.code for p in capped] == ["alias"] * PER_CODE + ["omitted"] + ["duplicate-key"] * 3
    summary = capped[PER_CODE]
    assert isinstance(summary, Omitted)
    assert summary.message == "… and 20 more like this (alias)"
    assert (summary.count, summary.of, summary.line) == (20, "alias", PER_CODE + 1)
    assert problem_count(capped) == 33


def test_capping_is_idempotent_and_survives_pickling() -> None:
    capped = cap_problems(_problems(50_000))
    assert cap_problems(capped) == capped
    error = TreeError(_problems(50_000))
    assert len(error.problems) == PER_CODE + 1
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and problem_count(copy.problems) == 50_000


def test_many_different_codes_are_capped_per_file_too() -> None:
    many = [Problem(f"code-{i}", "m", "", "f.yaml", i + 1, 1) for i in range(300)]
    capped = cap_problems(many)
    assert len(capped) == 101
    assert capped[-1].message == "… and 200 more problems (fix the ones above first)"
    assert problem_count(capped) == 300


def test_a_loader_error_holds_a_capped_list(flood_error: TreeError) -> None:
    problems = flood_error.problems
    assert len(problems) < 20
    assert [p.code for p in problems].count("alias") == PER_CODE
    assert any(p.message.startswith("… and 199,9") for p in problems)
    assert len(str(flood_error).splitlines()) < 20


def test_a_flooding_case_file_gives_a_short_message() -> None:
    with pytest.raises(CaseError) as caught:
        load_case_text("tree: upwork\nanswers: {" + ", ".join(["k: 1"] * 50_000) + "}\n")
    assert len(caught.value.message.splitlines()) <= PER_CODE + 1
    assert "more like this (duplicate-key)" in caught.value.message


# --- the CLI ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [(FLOOD, "alias"), (DUPLICATES, "duplicate-key"), (BOMB, "alias")],
    ids=["240k-aliases", "50k-duplicate-keys", "alias-bomb"],
)
def test_validate_prints_a_few_lines_for_a_flooding_file(
    tmp_path: Path, text: str, code: str
) -> None:
    (tmp_path / "flood.yaml").write_text(text, encoding="utf-8")
    result = triage("validate", str(tmp_path / "flood.yaml"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) < 30, len(lines)
    assert sum(f" error: {'aliases' if code == 'alias' else 'key'}" in line for line in lines) == 10
    summary = [line for line in lines if "more like this" in line]
    assert len(summary) == 1 and summary[0].endswith(f"more like this ({code})")
    assert summary[0].startswith("flood.yaml:")


def test_validate_json_is_capped_and_counts_everything(tmp_path: Path) -> None:
    (tmp_path / "flood.yaml").write_text(DUPLICATES, encoding="utf-8")
    result = triage("validate", str(tmp_path / "flood.yaml"), "--format", "json")
    report = json.loads(result.stdout)["files"][0]
    assert report["problem_count"] == 49_999
    assert len(report["problems"]) == PER_CODE + 1
    last = report["problems"][-1]
    assert (last["code"], last["count"], last["of"]) == ("omitted", 49_989, "duplicate-key")


def test_check_caps_a_folder_with_a_flooding_tree(tmp_path: Path) -> None:
    (tmp_path / "flood.yaml").write_text(DUPLICATES, encoding="utf-8")
    result = triage("check", str(tmp_path))
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) < 20
    assert "more like this (duplicate-key)" in result.stdout


# --- the Authors page ---------------------------------------------------------------------------


def test_the_authors_page_lists_a_capped_report(flood_error: TreeError) -> None:
    errors, lines = problem_lines(flood_error.problems)
    assert errors > 199_000
    assert len(lines) < 20
    assert any("more like this (alias)" in line for line in lines)


def test_the_authors_page_caps_problems_it_was_given_uncapped() -> None:
    warnings = [
        Problem("untested-outcome", "w", "", "f.yaml", i + 1, 1, "warning") for i in range(500)
    ]
    errors, lines = problem_lines(tuple(_problems(500) + warnings))
    assert errors == 500
    assert len(lines) == 2 * (PER_CODE + 1)
    assert "… and 490 more like this (untested-outcome)" in lines[-1]
