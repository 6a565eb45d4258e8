"""The Authors page (a script run by ``st.navigation``)."""

from triage.ui.authors_page import render
from triage.ui.safety import guarded

guarded(render)
