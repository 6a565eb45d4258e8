"""The answers so far, in a select box under each question: picking an answer opens it for a
change, "Edit the details" goes back to the first screen, and "Start over" asks first."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from triage.ui.link import commit
from triage.ui.session import Session
from triage.ui.state import PageState
from triage.walk.engine import Walk
from triage.walk.wording import as_asked

__all__ = ["DETAILS", "LINK_NOTE", "START_OVER", "answer_labels", "clear", "show_answers"]


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

LINK_NOTE = (
    "This page's link holds your answers: bookmark it to come back, and share it only with "
    "people you'd show them to."
)


def answer_labels(walk: Walk) -> dict[str, str]:
    """What the answers box offers, in order: the first screen's details, each answer so far
    ("Short name: the answer", in the person's words), and Start over. Plain text: a select
    box shows it as typed."""
    labels = {}
    if walk.tree.intake:
        what = "the review details" if "review_text" in walk.tree.intake else "the details"
        labels[DETAILS] = f"Edit {what}"
    for step in walk.asked:
        question = as_asked(walk, walk.tree.questions[step.node])
        labels[step.node] = f"{question.short or question.ask}: {question.display(step.answer)}"
    labels[START_OVER] = "Start over"
    return labels


def show_answers(session: Session, walk: Walk) -> None:
    """The answers so far, "Edit the details" and "Start over", under the question in the main
    column (on a phone nothing opens over the question). One collapsed select box: picking an
    answer opens it for a change. One element, as each step of the page redraws it."""
    labels = answer_labels(walk)

    def picked() -> None:
        s = Session()
        choice = st.session_state.get("answers")
        st.session_state["answers"] = None  # an action, not a lasting selection
        if choice == START_OVER:
            s.confirm_reset = True
        elif choice == DETAILS:
            s.editing = None
            commit(s, replace(s.state, started=False))
        elif isinstance(choice, str):
            s.editing = choice

    asked = len(walk.asked)
    st.selectbox(
        f"Your answers ({asked}): pick one to change it" if asked else "Your answers",
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        placeholder="Change an answer, or start over",
        key="answers",
        on_change=picked,
        help=LINK_NOTE,
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
