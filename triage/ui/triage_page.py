"""The Triage page: the review → one question per step → what to do, with text to copy.

The state lives in the session and is mirrored in the link after every change; the walk is
recomputed from it on every run by the pure engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace

import streamlit as st

from triage.errors import AnswerError, TriageError
from triage.tree.model import AnswerValue, Question, Tree
from triage.ui.changes import describe, summarise
from triage.ui.intake_view import show_intake
from triage.ui.outcome_view import show_outcome
from triage.ui.progress import progress
from triage.ui.session import Session
from triage.ui.state import (
    NOTICE_STALE,
    PageState,
    UploadError,
    case_of,
    encode_params,
    pinned_today,
    restore,
    state_from_upload,
    today,
)
from triage.ui.text_marks import escape, escape_block, link
from triage.ui.texts_view import ground_names, show_texts
from triage.ui.trees import load_shipped, questions_left, shipped_ids
from triage.ui.widgets import day, draw, read
from triage.walk.engine import Walk, normalise_answer, start

__all__ = ["render"]

log = logging.getLogger("triage.ui")

TREE_TROUBLE = (
    "The rules for this platform can't be loaded right now, so the check can't run. "
    "Please try again in a little while."
)
DROPPED_WORDS = {
    "messages": "the client's messages",
    "edits": "your edits to the text",
    "review_text": "the review",
}


def _platform(tree_id: str) -> str:
    try:
        return load_shipped(tree_id).platform
    except TriageError:
        return tree_id


def _ground_names(tree_id: str) -> Mapping[str, str]:
    """The tree's grounds in its own words (the pre-screen's hints name them so)."""
    try:
        return ground_names(load_shipped(tree_id))
    except TriageError:
        return {}


_SYNCED = "tri.synced"  # (state, params, dropped) last written to the link


def _sync_url(state: PageState) -> tuple[str, ...]:
    """Mirror ``state`` in the link; return the texts too long to fit in it."""
    current = st.query_params.to_dict()
    synced = st.session_state.get(_SYNCED)
    if synced is not None and synced[0] == state and current == synced[1]:
        # The link already holds this state: skip encoding it again.
        return tuple(synced[2])
    params, dropped = encode_params(state)
    if current != params:
        st.query_params.from_dict(params)
    st.session_state[_SYNCED] = (state, params, dropped)
    return dropped


def _commit(session: Session, state: PageState) -> None:
    session.state = state
    _sync_url(state)


def _updater(session: Session) -> Callable[[Callable[[PageState], PageState]], PageState]:
    def update(change: Callable[[PageState], PageState]) -> PageState:
        new = change(session.state)
        if new != session.state:
            _commit(session, new)
        return session.state

    return update


def _clear(session: Session) -> None:
    session.drafts.clear()
    session.editing = None
    session.confirm_reset = False
    for prefix in ("in_", "q_", "edit_", "ev_"):
        session.forget_widgets(prefix)


def _start_over() -> None:
    session = Session()
    tree = session.state.tree
    _clear(session)
    session.upload = None
    _commit(session, PageState(tree=tree))


# --- sidebar ---------------------------------------------------------------------------------


def _facts(state: PageState) -> str:
    ctx = state.context
    facts = [ctx.client_name, ctx.project_title]
    if ctx.rating is not None:
        facts.append(f"{ctx.rating:g} star{'' if ctx.rating == 1 else 's'}")
    if ctx.contract_end is not None:
        facts.append(f"ended {day(ctx.contract_end)}")
    elif state.running:
        facts.append("contract still running")
    return " · ".join(f for f in facts if f)


DETAILS = "__details"
START_OVER = "__start_over"


def _answers(session: Session, walk: Walk) -> None:
    """The answers so far and "Start over", in the main column, in a collapsed box: on a phone
    nothing has to be opened over the question to change one. One element for the whole list
    (pills): clicking an answer opens it for a change."""
    asked = walk.asked
    labels = {DETAILS: "Edit the review details"}
    for step in asked:
        question = walk.tree.questions[step.node]
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
            _commit(s, replace(s.state, started=False))
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


def _sidebar(state: PageState, dropped: tuple[str, ...]) -> None:
    """Before Start, how the page works; later one line about the case's link (and a notice
    when the link can't hold everything). Changing answers lives in the main column."""
    if not state.started:
        with st.sidebar:
            st.markdown(
                "#### How it works\n"
                "1. Paste the review.\n"
                "2. Answer a few questions, one at a time.\n"
                "3. Get a report outline or a reply, ready to copy.\n\n"
                ":small[:gray[Nothing is posted or sent for you. You copy the text yourself.]]"
            )
        return
    with st.sidebar:
        # Never an empty side panel on a wide screen: the case's one line about its link.
        st.markdown(
            "#### Your case\n:small[:gray[:material/link: This page's link holds your answers. "
            "Bookmark it to come back; share it only with people you'd show them to. To change "
            "an answer or start over, use “Your answers” under the question.]]"
        )
    if dropped:
        words = " and ".join(DROPPED_WORDS[d] for d in dropped)
        with st.sidebar:
            st.info(
                f"The link can't hold {words}: too long. Save your answers (.yaml) on the result "
                "page to keep everything.",
                icon=":material/info:",
            )


# --- one question --------------------------------------------------------------------------


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


def _question(session: Session, walk: Walk, state: PageState, case_line: str) -> None:
    question = walk.question
    assert question is not None
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
            _commit(session, state.with_answers(walk.back().answers))
        else:
            _commit(session, replace(state, started=False))

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
        _commit(session, moved)

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


def _edit(session: Session, walk: Walk, state: PageState, qid: str) -> None:
    question = walk.tree.questions[qid]
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
        _commit(session, state.with_answers(new.answers))
        st.rerun()


# --- intake and upload -----------------------------------------------------------------------


def _upload(session: Session, trees: list[str]) -> None:
    with st.expander("Continue from saved answers", icon=":material/upload_file:"):
        uploaded = st.file_uploader(
            "Your saved answers file (.yaml or .json, from a result page)",
            type=["yaml", "yml", "json"],
            key="in_upload",
            max_upload_size=1,
        )
        if uploaded is None:
            return
        seen = session.upload
        if seen is not None and seen[0] == uploaded.file_id:
            if seen[1]:
                st.error(escape_block(seen[1]), icon=":material/error:")
            return
        try:
            new = state_from_upload(
                uploaded.name, uploaded.getvalue(), trees, load_shipped, pinned_today()
            )
        except UploadError as error:
            message = f"This file can't be used.\n{error}"
            session.upload = (uploaded.file_id, message)
            st.error(escape_block(message), icon=":material/error:")
            return
        session.upload = (uploaded.file_id, None)
        session.drafts.clear()
        session.editing = None
        for prefix in ("q_", "edit_", "ev_", "in_"):
            session.forget_widgets(prefix, keep=("in_upload",))
        session.flash("success", "Welcome back: your saved answers are loaded.")
        _commit(session, new)
        st.rerun()


def _intake(session: Session, state: PageState, trees: list[str]) -> None:
    result = show_intake(state, trees, _platform, today(), _ground_names)
    new = replace(result.state, started=True) if result.go else result.state
    if new != state:
        _commit(session, new)
    if result.go:
        st.rerun()
    _upload(session, trees)


# --- the page ------------------------------------------------------------------------------


def _walk(session: Session, tree: Tree, state: PageState) -> Walk:
    known = session.walk_for(tree, state)
    if known is not None:
        return known
    try:
        walk = start(tree, case_of(state, pinned_today()))
    except (TriageError, ValueError):
        pass
    else:
        session.keep_walk(tree, state, walk)
        return walk
    # The tree changed under a live session (or the answers no longer fit): start the questions
    # again, keeping the review details if they still fit; else start afresh.
    for clean in (
        replace(state, answers={}, edits={}, ticks={}, started=False),
        PageState(tree=state.tree),
    ):
        try:
            walk = start(tree, case_of(clean, pinned_today()))
        except (TriageError, ValueError):
            continue
        session.state = clean
        session.flash("info", NOTICE_STALE)
        return walk
    raise TriageError("the tree cannot start a walk")


def _show_flash(session: Session) -> None:
    for level, text in session.take_flash():
        if level == "success":
            st.success(escape(text), icon=":material/check_circle:")
        elif level == "warning":
            st.warning(escape(text), icon=":material/change_circle:")
        else:
            st.info(escape(text), icon=":material/info:")


def render() -> None:
    """Draw the Triage page for this session."""
    session = Session()
    trees = shipped_ids()
    if not session.has_state:
        restored = restore(st.query_params.to_dict(), trees, load_shipped, pinned_today())
        session.state = restored.state
        if restored.notice:
            session.flash("info", restored.notice)
    state = session.state
    try:
        tree = load_shipped(state.tree)
    except TriageError:
        log.exception("tree %s failed to load", state.tree)
        st.error(TREE_TROUBLE, icon=":material/cloud_off:")
        return
    walk = _walk(session, tree, session.state)
    state = session.state
    dropped = _sync_url(state)
    if session.editing is not None and session.editing not in walk.answers:
        session.editing = None
    _show_flash(session)
    if not state.started:
        _intake(session, state, trees)
    elif session.editing is not None:
        _edit(session, walk, state, session.editing)
    else:
        facts = _facts(state)
        case_line = escape(f"{tree.platform} review" + (f" · {facts}" if facts else ""))
        if walk.question is not None:
            _question(session, walk, state, case_line)
            show_texts(walk, state.context)
        else:
            st.caption(case_line)
            show_outcome(walk, state, _updater(session))
        _answers(session, walk)
    # Drawn last: when an answer reruns the script above, no time went into a stale sidebar.
    _sidebar(state, dropped)
