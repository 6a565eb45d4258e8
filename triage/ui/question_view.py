"""One question on the page: its form, the step's progress line, and changing an earlier answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from triage.errors import AnswerError, TriageError
from triage.tree.model import AnswerValue, Question, Tree
from triage.ui.changes import describe, summarise
from triage.ui.clock import today
from triage.ui.link import commit
from triage.ui.progress import progress
from triage.ui.session import Session
from triage.ui.state import PageState
from triage.ui.text_marks import escape, link
from triage.ui.trees import questions_left
from triage.ui.widgets import day, draw, read
from triage.walk.engine import Walk, normalise_answer
from triage.walk.wording import as_asked

__all__ = ["show_edit", "show_question"]


def _missing(question: Question, value: object) -> str | None:
    """Why the form can't go on yet, or None."""
    problem = question.missing(value)
    return None if problem is None else escape(problem)


def _answer_problem(error: TriageError) -> str:
    if isinstance(error, AnswerError) and error.hint:
        return f"That answer can't be used: {error.hint}."
    return "That answer can't be used. Please check it and try again."


def _stored(qid: str, question: Question, value: object) -> AnswerValue | None:
    try:
        return normalise_answer(qid, question, value)
    except TriageError:
        return None


def _form(
    qid: str,
    question: Question,
    tree: Tree,
    default: AnswerValue | None,
    buttons: tuple[tuple[str, str], tuple[str, str]],
    callbacks: tuple[Callable[[], None] | None, Callable[[], None] | None] = (None, None),
) -> tuple[object, bool, bool]:
    """The question's form. Returns (value, first button pressed, second button pressed).

    With ``callbacks``, the buttons act in Streamlit's callbacks, before the script runs again,
    so one run draws the next step (no second run through ``st.rerun``)."""
    (first_label, first_key), (second_label, second_key) = buttons
    with st.form(f"form_{qid}", border=False):
        st.subheader(escape(question.ask), anchor=False)
        value = draw(qid, question, default, today())
        source = tree.sources.get(question.source or "")
        based = (
            f"Based on: {link(source.title, source.url)} (checked {day(source.checked)})"
            if source is not None
            else ""
        )
        if question.why:
            with st.expander("Why we ask" + (" (and the source)" if based else "")):
                st.markdown(escape(question.why) + (f"\n\n:gray[{based}]" if based else ""))
        elif based:
            st.caption(based)
        with st.container(horizontal=True):
            first = st.form_submit_button(
                first_label,
                type="primary",
                key=first_key,
                icon=":material/arrow_forward:",
                on_click=callbacks[0],
            )
            second = st.form_submit_button(second_label, key=second_key, on_click=callbacks[1])
    return value, first, second


def _early_date(walk: Walk) -> str:
    """The first date that matters, as a line for the progress bar ("" when there is none)."""
    dates = sorted(walk.deadlines, key=lambda d: d.date)
    if not dates:
        return ""
    first = dates[0]
    left = first.days_left
    when = "closed" if left < 0 else "today" if left == 0 else f"{left} days left"
    return f"  \n:material/event: {escape(first.label)}: **{day(first.date)}** ({when})"


def show_question(session: Session, walk: Walk, state: PageState, case_line: str) -> None:
    """The question the walk stands at, in its form, with Continue and Back."""
    assert walk.question is not None
    question = as_asked(walk, walk.question)
    qid = walk.at
    step = progress(walk, questions_left(state.tree))
    # One element for the case, the count and the first date: each element is redrawn at
    # every step.
    st.progress(
        step.fraction,
        text=f":gray[{case_line}]  \nQuestion {step.number} of at most {step.most}"
        f"{_early_date(walk)}",
    )

    def go_back() -> None:
        kept = _stored(qid, question, read(qid, question, today()))
        if kept is not None:
            session.drafts[qid] = kept
        if walk.asked:
            last = walk.asked[-1]
            if last.answer is not None:
                session.drafts[last.node] = last.answer
            commit(session, state.with_answers(walk.back().answers))
        else:
            commit(session, replace(state, started=False))

    def go_on() -> None:
        value = read(qid, question, today())
        problem = _missing(question, value)
        if problem is not None:
            session.form_warning = (qid, ":material/touch_app:", problem)
            return
        try:
            new = walk.answer(value)
        except TriageError as error:
            session.form_warning = (qid, ":material/edit:", _answer_problem(error))
            return
        session.drafts[qid] = new.answers[qid]
        moved = state.with_answers(new.answers)
        session.keep_walk(walk.tree, moved, new)  # the next run draws it without walking again
        commit(session, moved)

    _form(
        qid,
        question,
        walk.tree,
        session.drafts.get(qid),
        (("Continue", f"next_{qid}"), ("Back", f"back_{qid}")),
        (go_on, go_back),
    )
    warning = session.form_warning
    if warning is not None:
        session.form_warning = None
        if warning[0] == qid:
            st.warning(warning[2], icon=warning[1])


def show_edit(session: Session, walk: Walk, state: PageState, qid: str) -> None:
    """An earlier answer opened for a change, with Save and Cancel."""
    question = as_asked(walk, walk.tree.questions[qid])
    st.info(
        "You're changing an earlier answer. The answers after it that still apply are kept.",
        icon=":material/edit:",
    )
    value, save, cancel = _form(
        qid,
        question,
        walk.tree,
        walk.answers.get(qid),
        (("Save the change", f"save_{qid}"), ("Cancel", f"cancel_{qid}")),
    )
    if cancel:
        session.editing = None
        st.rerun()
    if save:
        problem = _missing(question, value)
        if problem:
            st.warning(problem, icon=":material/touch_app:")
            return
        try:
            new = walk.answer(value, question=qid)
        except TriageError as error:
            st.warning(_answer_problem(error), icon=":material/edit:")
            return
        session.drafts[qid] = new.answers[qid]
        titles = {k: o.title for k, o in walk.tree.outcomes.items()}
        important, text = describe(summarise(walk, new, qid), titles)
        session.flash("warning" if important else "success", text)
        session.editing = None
        commit(session, state.with_answers(new.answers))
        st.rerun()
