"""The answers so far, in a collapsed box under each question: one pill per answer opens it
for a change, "Edit the details" goes back to the first screen, and "Start over" asks first."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from triage.ui.link import commit
from triage.ui.session import Session
from triage.ui.state import PageState
from triage.ui.text_marks import escape
from triage.walk.engine import Walk
from triage.walk.wording import as_asked

__all__ = ["DETAILS", "START_OVER", "clear", "show_answers"]


def clear(session: Session) -> None:
    """Forget this session's drafts, open edits and widget values (a new tree or a new start)."""
    session.drafts.clear()
    session.editing = None
    session.confirm_reset = False
    for prefix in ("in_", "q_", "edit_", "ev_"):
        session.forget_widgets(prefix)


def _start_over() -> None:
    session = Session()
    tree = session.state.tree
    clear(session)
    session.upload = None
    commit(session, PageState(tree=tree))


DETAILS = "__details"
START_OVER = "__start_over"


def show_answers(session: Session, walk: Walk) -> None:
    """The answers so far and "Start over", in the main column, in a collapsed box: on a phone
    nothing has to be opened over the question to change one. One element for the whole list
    (pills): clicking an answer opens it for a change."""
    asked = walk.asked
    labels = {}
    if walk.tree.intake:
        what = "the review details" if "review_text" in walk.tree.intake else "the details"
        labels[DETAILS] = f"Edit {what}"
    for step in asked:
        question = as_asked(walk, walk.tree.questions[step.node])
        shown = question.display(step.answer)
        labels[step.node] = f"{question.short or question.ask}: {shown}"
    labels[START_OVER] = ":material/restart_alt: Start over"

    def picked() -> None:
        s = Session()
        choice = st.session_state.get("answers")
        st.session_state["answers"] = None  # a button, not a lasting selection
        if choice == START_OVER:
            s.confirm_reset = True
        elif choice == DETAILS:
            s.editing = None
            commit(s, replace(s.state, started=False))
        elif isinstance(choice, str):
            s.editing = choice

    label = f"Your answers ({len(asked)}): change one" if asked else "Your answers"
    with st.expander(label, icon=":material/edit:", expanded=session.confirm_reset):
        st.pills(
            "Click an answer to change it.",
            list(labels),
            format_func=lambda k: labels[k] if k == START_OVER else escape(labels[k]),
            key="answers",
            on_change=picked,
        )
        if session.confirm_reset:
            _confirm_start_over()


def _confirm_start_over() -> None:
    st.warning("This clears the review and all your answers.")
    with st.container(horizontal=True):
        st.button("Yes, start over", key="side_reset_yes", on_click=_start_over, type="primary")
        st.button(
            "Keep my answers",
            key="side_reset_no",
            on_click=lambda: setattr(Session(), "confirm_reset", False),
        )
