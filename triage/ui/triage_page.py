"""The Triage page: the review → one question per step → what to do, with text to copy.

The state lives in the session and is mirrored in the link after every change; the walk is
recomputed from it on every run by the pure engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from triage.errors import TriageError
from triage.tree.model import Tree
from triage.ui.clock import pinned_today, today
from triage.ui.intake_view import show_intake
from triage.ui.link import commit, sync_url
from triage.ui.outcome_view import show_outcome
from triage.ui.question_view import show_edit, show_question
from triage.ui.session import Session
from triage.ui.start_view import choices, show_start
from triage.ui.state import CHOOSING, NOTICE_STALE, PageState, case_of
from triage.ui.text_marks import escape
from triage.ui.texts_view import ground_names, show_texts
from triage.ui.trees import load_shipped, shipped_ids
from triage.ui.upload_view import show_upload
from triage.ui.url_codec import restore
from triage.ui.widgets import day
from triage.walk.engine import Walk, start
from triage.walk.wording import as_asked

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


def _updater(session: Session) -> Callable[[Callable[[PageState], PageState]], PageState]:
    def update(change: Callable[[PageState], PageState]) -> PageState:
        new = change(session.state)
        if new != session.state:
            commit(session, new)
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
    commit(session, PageState(tree=tree))


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


def _what(tree: Tree) -> str:
    """What the case is about, in a few words: "Upwork review", "Upwork · Leave feedback…"."""
    if "review_text" in tree.intake or tree.offer is None:
        return f"{tree.platform} review"
    return f"{tree.platform} · {tree.offer.label}"


DETAILS = "__details"
START_OVER = "__start_over"


def _answers(session: Session, walk: Walk) -> None:
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


def _sidebar(state: PageState, dropped: tuple[str, ...]) -> None:
    """Before Start, how the page works; later one line about the case's link (and a notice
    when the link can't hold everything). Changing answers lives in the main column."""
    if not state.started:
        with st.sidebar:
            st.markdown(
                "#### How it works\n"
                "1. Say what you need, and give the few facts it asks for.\n"
                "2. Answer a few questions, one at a time.\n"
                "3. Get a text ready to copy, or a plain explanation.\n\n"
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


# --- intake and upload -----------------------------------------------------------------------


def _choose(session: Session, state: PageState, trees: list[str]) -> None:
    """The start screen; a choice opens its tree (at its first question when it asks no
    facts first). What was typed before is kept: never ask twice."""
    picked = show_start(choices(trees, load_shipped))
    if picked is not None:
        try:
            asks_first = bool(load_shipped(picked).intake)
        except TriageError:
            asks_first = True  # the page's message about the tree shows on the next run
        commit(session, replace(state, tree=picked, started=not asks_first))
        st.rerun()
    show_upload(session, trees)


def _intake(session: Session, state: PageState, tree: Tree, trees: list[str]) -> None:
    result = show_intake(state, tree, today(), ground_names(tree), can_go_back=len(trees) > 1)
    if result.back:
        _clear(session)
        commit(session, replace(state, tree=CHOOSING, answers={}, edits={}, ticks={}))
        st.rerun()
    new = replace(result.state, started=True) if result.go else result.state
    if new != state:
        commit(session, new)
    if result.go:
        st.rerun()
    show_upload(session, trees)


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
    if state.tree == CHOOSING:
        sync_url(session, state)
        _show_flash(session)
        _choose(session, state, trees)
        _sidebar(state, ())
        return
    try:
        tree = load_shipped(state.tree)
    except TriageError:
        log.exception("tree %s failed to load", state.tree)
        st.error(TREE_TROUBLE, icon=":material/cloud_off:")
        return
    walk = _walk(session, tree, session.state)
    state = session.state
    dropped = sync_url(session, state)
    if session.editing is not None and session.editing not in walk.answers:
        session.editing = None
    _show_flash(session)
    if not state.started:
        _intake(session, state, tree, trees)
    elif session.editing is not None:
        show_edit(session, walk, state, session.editing)
    else:
        case_line = escape(" · ".join(f for f in (_what(tree), _facts(state)) if f))
        if walk.question is not None:
            show_question(session, walk, state, case_line)
            show_texts(walk, state.context)
        else:
            st.caption(case_line)
            show_outcome(walk, state, _updater(session))
        _answers(session, walk)
    # Drawn last: when an answer reruns the script above, no time went into a stale sidebar.
    _sidebar(state, dropped)
