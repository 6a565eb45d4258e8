"""The frame around both pages: the tab's title and icon, and which page a run draws.

The link says which (:mod:`triage.ui.pages`): ``?page=authors`` opens the Authors page; any
other link opens the Triage page. A plain switch, not ``st.navigation``: a navigation bar would
put "For rule authors" in front of every freelancer, and every step of the Triage page would pay
for it. ``app.py`` calls :func:`run` on every run of the script.
"""

from __future__ import annotations

import base64
from importlib.resources import files

import streamlit as st

from triage.ui import authors_page, triage_page
from triage.ui.pages import is_authors
from triage.ui.safety import guarded

__all__ = ["ICON", "run"]

# The tab icon as a data URL, read once per process: nothing is fetched from a font host (as an
# icon name such as ":material/…" would be), and no run reads and registers the file again.
ICON = "data:image/png;base64," + base64.b64encode(
    files("triage.ui").joinpath("icon.png").read_bytes()
).decode("ascii")


def run() -> None:
    """Configure the tab, then draw the page the link names (the Triage page by default)."""
    authors = is_authors(st.query_params)
    st.set_page_config(
        page_title="Check a decision tree" if authors else "Feedback help for freelancers",
        page_icon=ICON,
        layout="centered",
        initial_sidebar_state="auto",
        menu_items={"Get help": None, "Report a bug": None, "About": None},
    )
    guarded(authors_page.render if authors else triage_page.render)
