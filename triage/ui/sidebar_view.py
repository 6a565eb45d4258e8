"""The side panel: before Start, how the page works; after, one line about the case's link, and
a notice when the link can't hold everything."""

from __future__ import annotations

import streamlit as st

from triage.ui.state import PageState

__all__ = ["show_sidebar"]

DROPPED_WORDS = {
    "messages": "the client's messages",
    "edits": "your edits to the text",
    "review_text": "the review",
}


def show_sidebar(state: PageState, dropped: tuple[str, ...]) -> None:
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
