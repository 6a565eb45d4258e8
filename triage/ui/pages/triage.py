"""The Triage page, run by ``st.navigation`` in ``app.py``."""

from triage.ui.safety import guarded
from triage.ui.triage_page import render


def triage_page() -> None:
    """Draw the Triage page; anything unexpected becomes a calm message (see ``guarded``)."""
    guarded(render)
