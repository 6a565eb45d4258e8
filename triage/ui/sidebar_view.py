"""The side panel before Start (how the page works), and the notice when the page's link can't
hold everything."""

from __future__ import annotations

import streamlit as st

from triage.ui.pages import open_authors
from triage.ui.state import PageState

__all__ = ["show_sidebar"]

DROPPED_WORDS = {
    "messages": "the client's messages",
    "edits": "your edits to the text",
    "review_text": "the review",
}


def show_sidebar(state: PageState, dropped: tuple[str, ...]) -> None:
    """Before Start, how the page works, in the side panel. After Start there is no side panel:
    on a phone nothing can cover the question, and the answers box under the question says
    what the link holds. A notice shows under the page when the link can't hold everything."""
    if not state.started:
        with st.sidebar:
            st.markdown(
                "#### How it works\n"
                "1. Say what you need, and give the few facts it asks for.\n"
                "2. Answer a few questions, one at a time.\n"
                "3. Get a text ready to copy, or a plain explanation.\n\n"
                ":small[:gray[Nothing is posted or sent for you. You copy the text yourself.]]"
            )
            st.button(
                "For rule authors",
                key="to_authors",
                type="tertiary",
                icon=":material/edit_note:",
                on_click=open_authors,
            )
        return
    if dropped:
        words = " and ".join(DROPPED_WORDS[d] for d in dropped)
        st.info(
            f"This page's link can't hold {words}: too long. Save your answers (.yaml) on the "
            "result page to keep everything.",
            icon=":material/info:",
        )
