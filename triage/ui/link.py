"""The page's state in its link: written after every change, so a refresh or a shared link
opens the same place (the format is :mod:`triage.ui.url_codec`'s)."""

from __future__ import annotations

import streamlit as st

from triage.ui.session import Session
from triage.ui.state import PageState
from triage.ui.url_codec import encode_params

__all__ = ["commit", "sync_url"]


def sync_url(session: Session, state: PageState) -> tuple[str, ...]:
    """Mirror ``state`` in the link; return the texts too long to fit in it."""
    current = st.query_params.to_dict()
    synced = session.synced
    if synced is not None and synced[0] == state and current == synced[1]:
        # The link already holds this state: skip encoding it again.
        return tuple(synced[2])
    params, dropped = encode_params(state)
    if current != params:
        st.query_params.from_dict(params)
    session.synced = (state, params, dropped)
    return dropped


def commit(session: Session, state: PageState) -> None:
    """Make ``state`` the session's, and mirror it in the link."""
    session.state = state
    sync_url(session, state)
