"""Which of the two pages a run draws: the link's ``page`` parameter, and the buttons' callbacks
that switch between the Triage page and the Authors page in the same tab."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

__all__ = ["AUTHORS", "PAGE", "is_authors", "open_authors", "open_triage"]

PAGE = "page"  # the link's parameter naming the page
AUTHORS = "authors"


def is_authors(params: Mapping[str, str]) -> bool:
    """True when the link (``?page=authors``) opens the Authors page."""
    return params.get(PAGE) == AUTHORS


def open_authors() -> None:
    """A button's callback: the next run draws the Authors page (and the link says so)."""
    st.query_params.from_dict({PAGE: AUTHORS})


def open_triage() -> None:
    """A button's callback: back to the Triage page, where this session left it."""
    st.query_params.from_dict({})
