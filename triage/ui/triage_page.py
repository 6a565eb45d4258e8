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
from triage.ui.answers_view import clear, show_answers
from triage.ui.clock import pinned_today, today
from triage.ui.intake_view import show_intake
from triage.ui.link import commit, sync_url
from triage.ui.outcome_view import show_outcome
from triage.ui.question_view import show_edit, show_question
from triage.ui.session import Session
from triage.ui.sidebar_view import show_sidebar
from triage.ui.start_view import choices, show_start
from triage.ui.state import CHOOSING, NOTICE_STALE, PageState, case_of
from triage.ui.text_marks import escape
from triage.ui.texts_view import ground_names, show_texts
from triage.ui.trees import load_shipped, shipped_ids
from triage.ui.upload_view import show_upload
from triage.ui.url_codec import restore
from triage.ui.widgets import day
from triage.walk.engine import Walk, start

__all__ = ["render"]

log = logging.getLogger("triage.ui")

TREE_TROUBLE = (
    "The rules for this platform can't be loaded right now, so the check can't run. "
    "Please try again in a little while."
)


def _updater(session: Session) -> Callable[[Callable[[PageState], PageState]], PageState]:
    def update(change: Callable[[PageState], PageState]) -> PageState:
        new = change(session.state)
        if new != session.state:
            commit(session, new)
        return session.state

    return update


# --- the case line -------------------------------------------------------------------------


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
        clear(session)
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
        show_sidebar(state, ())
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
        show_answers(session, walk)
    # Drawn last: when an answer reruns the script above, no time went into a stale sidebar.
    show_sidebar(state, dropped)
