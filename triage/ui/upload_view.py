"""The intake's "Continue from saved answers": a case file uploaded, checked, and loaded."""

from __future__ import annotations

import streamlit as st

from triage.ui.case_file import UploadError, state_from_upload
from triage.ui.clock import pinned_today
from triage.ui.link import commit
from triage.ui.session import Session
from triage.ui.text_marks import escape_block
from triage.ui.trees import load_shipped

__all__ = ["show_upload"]


def show_upload(session: Session, trees: list[str]) -> None:
    """Continue from a saved case file: read it, check it against its tree, and load it."""
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
        commit(session, new)
        st.rerun()
