"""The Triage page (a script run by ``st.navigation``)."""

from triage.ui.safety import guarded
from triage.ui.triage_page import render

guarded(render)
