"""Run a page's body so that nothing unexpected reaches the screen as a traceback.

Streamlit's own control flow (``st.rerun``, ``st.stop``) derives from ``BaseException`` and
passes through untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from triage.errors import TriageError

__all__ = ["FRIENDLY", "guarded"]

log = logging.getLogger("triage.ui")

FRIENDLY = (
    "Sorry, something went wrong while preparing this step. Your answers are kept in the "
    "page's link: reload the page to try again."
)


def guarded(body: Callable[[], None], message: str = FRIENDLY) -> None:
    """Run ``body``; show a calm message instead of any error it raises (and log the error)."""
    try:
        body()
    except TriageError:
        log.warning("page error", exc_info=True)
        st.error(message, icon=":material/sentiment_dissatisfied:")
    except Exception:
        log.exception("unexpected page error")
        st.error(message, icon=":material/sentiment_dissatisfied:")
