"""The Authors page: check a decision tree without a terminal.

Pick a shipped tree (re-read whenever its file changes) or upload one, then see every problem at
its line and column with a hint, the diagram, and the scenarios with their coverage.
"""

from __future__ import annotations

import streamlit as st

from triage.documents.template_checks import template_checks
from triage.errors import Problem, TreeError, TriageError, cap_problems, problem_count
from triage.paths import display_path, responses_dir, tree_path
from triage.tree.checks import Report, check_loaded
from triage.tree.diagram import to_dot
from triage.tree.loader import load_tree_text
from triage.tree.root_causes import group_problems
from triage.ui.case_file import MAX_UPLOAD_BYTES, shown_name
from triage.ui.pages import open_triage
from triage.ui.text_marks import escape
from triage.ui.trees import check_shipped, shipped_ids

__all__ = ["problem_lines", "render", "show_report"]

SHIPPED = "shipped"
UPLOADED = "uploaded"


def _problem_line(problem: Problem) -> str:
    colour = "red" if problem.severity == "error" else "orange"
    where = f"line {problem.line}, column {problem.column}" if problem.line else "whole file"
    text = f"- :{colour}[**{problem.severity}**] **{escape(where)}**: {escape(problem.message)}"
    if problem.hint:
        text += f"  \n  :gray[{escape('Hint: ' + problem.hint)}]"
    return text


def problem_lines(problems: tuple[Problem, ...]) -> tuple[int, list[str]]:
    """The number of errors, and one Markdown line per problem to list, errors first: the first
    few of each kind, then one "… and 199,990 more like this" line (a hostile upload can hold
    200,000 of one problem)."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    listed = cap_problems(errors) + cap_problems(warnings)
    return problem_count(errors), [_problem_line(p) for p in listed]


def _problems(report: Report, text: str | None) -> None:
    if not report.problems:
        st.success("No problems found.", icon=":material/check_circle:")
        return
    groups = group_problems(report.problems)
    errors = [g for g in groups if g.problem.severity == "error"]
    following = sum(len(g.follow) for g in groups)
    if errors:
        first = f"{len(errors):,} problem{'s' if len(errors) != 1 else ''} to fix"
        if following:
            first += f" (and {following:,} that follow from {'it' if len(errors) == 1 else 'them'})"
        st.error(f"{first}: the tree can't be used until they are fixed.", icon=":material/error:")
    else:
        st.success("No errors: the tree can be used.", icon=":material/check_circle:")
    st.markdown(f"#### Problems in {escape(report.file)}")
    _, lines = problem_lines(tuple(g.problem for g in groups))
    st.markdown("\n".join(lines))
    for group in groups:
        if group.follow:
            _, follow = problem_lines(group.follow)
            with st.expander(
                f"{len(group.follow):,} more that follow from line {group.problem.line}: "
                "fix that first, and these most likely go away"
            ):
                st.markdown("\n".join(follow))
    located = [g.problem for g in groups if g.problem.line]
    first_located = next((p for p in located if p.severity == "error"), None) or next(
        iter(located), None
    )
    if text and first_located is not None:
        st.markdown(f"**The first problem, at line {first_located.line}:**")
        st.code(_around(text, first_located.line), language=None)


def _around(text: str, line: int, context: int = 4) -> str:
    """The lines around ``line``, numbered, that line marked with ▶."""
    lines = text.splitlines()
    low, high = max(1, line - context), min(len(lines), line + context)
    width = len(str(high))
    return "\n".join(
        f"{'▶' if n == line else ' '} {n:>{width}} | {lines[n - 1]}" for n in range(low, high + 1)
    )


def _scenarios(report: Report) -> None:
    if report.tree is None:
        return
    st.markdown("#### Scenarios")
    results = report.scenarios
    if not results:
        st.info("The tree has no scenarios. Add some so every change is tested.")
    else:
        passed = sum(r.ok for r in results)
        st.markdown(
            f"**{passed} of {len(results)}** scenarios pass"
            + (f", **{len(results) - passed} fail**." if passed < len(results) else ".")
        )
        st.dataframe(
            [
                {
                    "Result": "✅ passed" if r.ok else "❌ failed",
                    "Scenario": r.name,
                    "Expected": r.expected,
                    "Reached": r.reached or "—",
                    "Details": r.message,
                }
                for r in results
            ],
            hide_index=True,
            width="stretch",
        )
    cover = report.coverage
    if cover is None:
        return
    left, right = st.columns(2)
    left.metric("Outcomes reached by a scenario", f"{cover.outcome_ratio:.0%}")
    right.metric("Answers and routes walked", f"{cover.branch_ratio:.0%}")
    missing_outcomes = [k for k, v in cover.outcomes.items() if not v]
    missing_branches = [k for k, v in cover.branches.items() if not v]
    if missing_outcomes or missing_branches:
        with st.expander("Not covered by any scenario"):
            if missing_outcomes:
                st.markdown("**Outcomes:** " + ", ".join(escape(k) for k in missing_outcomes))
            if missing_branches:
                st.markdown("**Branches:** " + ", ".join(escape(k) for k in missing_branches))


def show_report(report: Report, text: str | None = None) -> None:
    """Problems (root causes first), diagram, scenarios and coverage of one checked tree file."""
    _problems(report, text)
    if report.tree is not None:
        with st.expander("Diagram", icon=":material/account_tree:"):
            st.graphviz_chart(to_dot(report.tree), width="stretch")
    _scenarios(report)
    if text:
        with st.expander("The file, with line numbers", icon=":material/description:"):
            st.code(text, language="yaml", line_numbers=True)


def _shipped() -> None:
    ids = shipped_ids()
    if not ids:
        st.info("There are no trees in decision_trees/ yet.")
        return
    name = st.selectbox("Tree", ids, key="au_tree")
    if name is None:
        return
    path = tree_path(name, allow_paths=False)
    st.caption(
        f"File: {escape(display_path(path))}. Save your edits and this page shows them on "
        "the next run (press R, or change anything)."
    )
    try:
        report = check_shipped(name)
    except TreeError as error:
        report = Report(display_path(path), error.problems)
    text = path.read_text(encoding="utf-8", errors="replace")
    show_report(report, text)


def _uploaded() -> None:
    uploaded = st.file_uploader(
        "A tree file (.yaml)", type=["yaml", "yml"], key="au_upload", max_upload_size=1
    )
    if uploaded is None:
        st.caption("The file is checked here and not saved anywhere.")
        return
    name = shown_name(uploaded.name)
    data = uploaded.getvalue()
    if len(data) > MAX_UPLOAD_BYTES:
        st.error("The file is larger than 1 MB.")
        return
    try:
        loaded = load_tree_text(data, file=name)
    except TreeError as error:
        show_report(Report(name, error.problems), data.decode("utf-8", errors="replace"))
        return
    report = check_loaded(loaded, responses_dir(), template_checks())
    show_report(report, loaded.text)


def render() -> None:
    """Draw the Authors page."""
    st.button(
        "Feedback help for freelancers",
        key="to_triage",
        type="tertiary",
        icon=":material/arrow_back:",
        on_click=open_triage,
    )
    st.title("Check a decision tree", anchor=False)
    st.markdown(
        "For the people who write the rules. See every problem with its line and column, the "
        "diagram, and whether the scenarios pass. How to write a tree: `docs/authoring.md`."
    )
    source = st.radio(
        "Which tree?",
        [SHIPPED, UPLOADED],
        format_func={SHIPPED: "A tree in decision_trees/", UPLOADED: "Upload a file"}.get,
        horizontal=True,
        key="au_source",
    )
    try:
        if source == UPLOADED:
            _uploaded()
        else:
            _shipped()
    except TriageError as error:
        st.error(escape(str(error)), icon=":material/error:")
