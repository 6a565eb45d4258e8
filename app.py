"""The page: `streamlit run app.py`. Layout only; every rule lives in decision_trees/ and every
decision in triage/. The two pages are drawn by triage/ui/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from triage.ui.pages.triage import triage_page

st.set_page_config(
    page_title="Feedback help for freelancers",
    # A file of our own: an icon name (":material/…") would be fetched from a font host.
    page_icon=str(Path(__file__).resolve().parent / "triage" / "ui" / "icon.png"),
    layout="centered",
    initial_sidebar_state="auto",
    menu_items={"Get help": None, "Report a bug": None, "About": None},
)

page = st.navigation(
    [
        # A function, not a file: each step runs it without reading and compiling a script.
        st.Page(
            triage_page,
            title="Feedback help",
            icon=":material/rate_review:",
            default=True,
        ),
        st.Page(
            "triage/ui/pages/authors.py",
            title="For rule authors",
            icon=":material/edit_note:",
            url_path="authors",
        ),
    ],
    position="top",
)
page.run()
