"""Whole-tree checks: every problem at once, each located, coded and explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.tree.checks import check_file, check_loaded
from triage.tree.loader import load_tree_text

HERE = Path(__file__).parent
BROKEN = HERE / "trees" / "broken.yaml"


@pytest.fixture(scope="module")
def broken() -> list[tuple[str, int, int, str]]:
    report = check_file(BROKEN, templates=HERE / "trees", display="broken.yaml")
    assert not report.ok
    return [(p.code, p.line, p.column, p.message + " | " + p.hint) for p in report.problems]


@pytest.mark.parametrize(
    ("code", "line", "column", "words"),
    [
        (
            "bad-reference",
            24,
            9,
            '"go: thret" in "kind" points to no node | did you mean "threat"?',
        ),
        ("no-route", 28, 9, 'choice "c" of "kind" leads nowhere'),
        ("unreachable", 30, 3, 'no way leads from the start to "threat"'),
        ("unknown-source", 33, 5, 'cites source "sauce"'),
        ("cycle", 43, 3, "these nodes loop back on each other: loop_a, loop_b"),
        ("no-source", 43, 3, '"loop_a" cites no policy source'),
        ("no-outcome-path", 43, 3, 'from "loop_a" no way leads to an outcome'),
        ("overlap", 41, 9, 'routes 1 and 2 of "window" both apply when 29 days since contract_end'),
        ("not-exhaustive", 38, 5, 'the routes of "window" cover no way on when'),
        ("bad-condition", 57, 9, '"kind" has no choice "d"'),
        ("ground", 64, 5, '"done" is a respond; that kind of outcome has no ground'),
        (
            "missing-template",
            67,
            5,
            "template nothing_here.md.j2 and nothing_here.txt.j2 not found",
        ),
        ("unknown-deadline", 68, 24, 'lists deadline "replies"'),
        ("bad-reference", 14, 5, 'counts from "contract_ending"'),
        ("ground", 71, 5, 'dispute "report" names no ground'),
        ("duplicate-scenario", 79, 5, 'two scenarios are named "a walk"'),
        ("scenario-answer", 77, 24, '"thret", which is not a question'),
    ],
)
def test_every_problem_is_reported_with_its_location(
    broken: list[tuple[str, int, int, str]], code: str, line: int, column: int, words: str
) -> None:
    matches = [p for p in broken if p[0] == code and words in p[3]]
    assert matches, f"{code} not reported; got {broken}"
    assert (matches[0][1], matches[0][2]) == (line, column), matches[0]


def test_scenario_failures_say_where_the_walk_ended() -> None:
    report = check_file(BROKEN, templates=HERE / "trees", display="broken.yaml")
    failed = [s for s in report.scenarios if not s.ok]
    assert failed and all(s.message for s in failed)
    # The first scenario names an unknown question: reported once, as scenario-answer.
    reported = [p for p in report.problems if p.code == "scenario-failed"]
    assert len(reported) == 1 and "stopped at question" in reported[0].message


def test_outcomes_no_scenario_reaches_are_warnings() -> None:
    text = BROKEN.read_text().replace("go: thret", "go: threat")
    report = check_loaded(load_tree_text(text, "broken.yaml"))
    warnings = [p for p in report.problems if p.code == "untested-outcome"]
    assert warnings and {w.severity for w in warnings} == {"warning"}
    assert any('outcome "report"' in w.message for w in warnings)


def test_a_clean_tree_has_no_problems() -> None:
    text = """
id: clean
title: Clean
platform: Test
start: q
sources: {s: {title: S, url: "https://example.org", checked: 2026-11-27}}
nodes:
  q:
    type: yes_no
    ask: Q?
    source: s
    yes: end
    no: end
  end: {type: outcome, kind: no_action, title: E, summary: E, template: t, source: s}
scenarios:
  - {name: yes, answers: {q: yes}, expect: end}
  - {name: no, answers: {q: no}, expect: end}
"""
    report = check_loaded(load_tree_text(text, "clean.yaml"))
    assert report.problems == ()
    assert report.coverage is not None
    assert report.coverage.outcome_ratio == 1.0 and report.coverage.branch_ratio == 1.0


def test_a_tree_that_does_not_load_reports_its_load_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nid: y\n")
    report = check_file(bad, display="bad.yaml")
    assert not report.ok
    assert report.problems[0].code == "duplicate-key"


def test_a_route_testing_only_whether_a_date_is_known_needs_otherwise() -> None:
    text = """
id: gap
title: Gap
platform: Test
start: b
sources: {s: {title: S, url: "https://example.org", checked: 2026-11-27}}
nodes:
  b:
    type: branch
    routes:
      - when: {days_since: contract_end, known: false}
        go: end
  end: {type: outcome, kind: no_action, title: E, summary: E, template: t, source: s}
"""
    report = check_loaded(load_tree_text(text, "gap.yaml"))
    gaps = [p for p in report.problems if p.code == "not-exhaustive"]
    assert gaps and "0 days since contract_end" in gaps[0].message


def test_another_platforms_tree_does_not_pick_up_upworks_templates() -> None:
    from triage.paths import responses_dir

    text = """
id: myspace
title: Other
platform: Other
start: end
sources: {s: {title: S, url: "https://example.org", checked: 2026-11-27}}
nodes:
  end: {type: outcome, kind: no_action, title: E, summary: E, template: no_action, source: s}
scenarios:
  - {name: ends, answers: {}, expect: end}
"""
    report = check_loaded(load_tree_text(text, "myspace.yaml"), responses_dir())
    codes = [p.code for p in report.problems]
    assert codes == ["missing-template"]
    assert "not found in responses/" in report.problems[0].message


# --- the shared vocabulary of grounds ------------------------------------------------------------

GROUNDED = """\
id: mini
title: Mini
platform: Test
start: q
sources:
  s: {title: S, url: "https://example.org/s", checked: 2026-11-27}
grounds:
  harassment: {name: Harassment, short: harassment, rule: "No harassment.", source: s}
nodes:
  q: {type: yes_no, ask: Harassed?, source: s, "yes": report, "no": done}
  report:
    {type: outcome, kind: dispute, ground: harassment, title: R, summary: s, template: dispute}
  done: {type: outcome, kind: no_action, title: D, summary: s, template: no_action}
"""


def test_a_ground_id_outside_the_shared_vocabulary_is_an_error_with_the_nearest_one() -> None:
    text = GROUNDED.replace("harassment", "inapropriate")
    found = [p for p in check_loaded(load_tree_text(text, "mini.yaml")).problems
             if p.code == "unknown-ground-id"]  # fmt: skip
    assert len(found) == 1
    assert found[0].hint == 'did you mean "inappropriate"?'
    assert text.splitlines()[found[0].line - 1].startswith("  inapropriate:")


def test_every_shipped_ground_id_is_in_the_vocabulary() -> None:
    from triage.paths import tree_ids, tree_path
    from triage.tree.loader import load_tree
    from triage.tree.vocabulary import shared_grounds

    known = shared_grounds()
    assert known is not None and {"manipulation", "personal_information"} <= set(known)
    for name in tree_ids():
        assert set(load_tree(tree_path(name)).tree.grounds) <= set(known), name


def test_a_broken_vocabulary_file_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.errors import TreeError
    from triage.tree.vocabulary import shared_grounds

    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "grounds.yaml").write_text("version: 1\ngrounds:\n  - a list\n")
    monkeypatch.setenv("TRIAGE_TREES", str(tmp_path))
    with pytest.raises(TreeError) as caught:
        shared_grounds()
    assert "grounds.yaml:2:1:" in str(caught.value) and "got a list" in str(caught.value)
    (tmp_path / "shared" / "grounds.yaml").unlink()
    assert shared_grounds() is None, "no vocabulary: any id"
