"""The page: walk the Upwork tree one question per step and show the outcome.

A thin view: every rule lives in decision_trees/, every decision in triage/.
"""

from __future__ import annotations

import streamlit as st

from triage.engine import Walk, start
from triage.errors import TriageError
from triage.loader import load_tree
from triage.model import Case, Tree
from triage.registry import display_path, tree_path

st.set_page_config(page_title="Feedback triage", page_icon="⚖️", layout="centered")


@st.cache_resource(show_spinner=False)
def _tree(name: str, mtime: float) -> Tree:
    path = tree_path(name)
    return load_tree(path, display=display_path(path)).tree


def load(name: str) -> Tree:
    return _tree(name, tree_path(name).stat().st_mtime)


def main() -> None:
    try:
        tree = load("upwork")
    except TriageError as error:
        st.error(f"The decision tree could not be loaded: {error}")
        return
    answers: dict[str, object] = st.session_state.setdefault("answers", {})
    try:
        walk = start(tree, Case(tree=tree.id, answers=answers))
    except TriageError:
        st.session_state["answers"] = {}
        walk = start(tree, Case(tree=tree.id))
    st.title("What can I do about this review?")
    st.caption(tree.title)
    if walk.question is not None:
        ask(walk)
    elif walk.outcome is not None:
        show_outcome(walk)
    if walk.answers and st.button("Back"):
        st.session_state["answers"] = dict(walk.back().answers)
        st.rerun()


def ask(walk: Walk) -> None:
    question = walk.question
    assert question is not None
    with st.form(key=f"q_{walk.at}"):
        st.subheader(question.ask)
        if question.help:
            st.caption(question.help)
        choices = list(getattr(question, "choices", ()))
        labels = {c.value: c.label for c in choices}
        value: object
        if question.type in ("yes_no", "choice"):
            value = st.radio(
                "Your answer",
                list(labels),
                format_func=labels.__getitem__,
                index=None,
                key=f"a_{walk.at}",
            )
        elif question.type == "multi":
            value = st.multiselect(
                "Your answer", list(labels), format_func=labels.__getitem__, key=f"a_{walk.at}"
            )
        elif question.type == "date":
            value = st.date_input("Your answer", value=None, key=f"a_{walk.at}")
        else:
            value = st.text_input("Your answer", key=f"a_{walk.at}")
        if st.form_submit_button("Next", type="primary"):
            if value is None:
                st.warning("Pick an answer first.")
                return
            try:
                st.session_state["answers"] = dict(walk.answer(value).answers)
            except TriageError as error:
                st.warning(str(error))
                return
            st.rerun()


def show_outcome(walk: Walk) -> None:
    outcome = walk.outcome
    assert outcome is not None
    st.subheader(outcome.title)
    st.write(outcome.summary)
    for step in outcome.next_steps:
        st.markdown(f"- {step}")
    for deadline in walk.deadlines:
        st.write(f"**{deadline.label}:** {deadline.date:%d %B %Y} ({deadline.days_left} days left)")


main()
