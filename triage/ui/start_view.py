"""The start screen, "What do you need?": one plain choice per tree the page offers.

The choices are the trees' own ``offer:`` sections (label, one line of help, order), so a new
tree appears here without a change to the page. A tree without ``offer:`` is still reachable
by its link (``?tree=<id>``); when no tree has one, every tree is offered under its title.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from triage.errors import TriageError
from triage.tree.model import Tree
from triage.ui.text_marks import escape

__all__ = ["Choice", "choices", "show_start"]


@dataclass(frozen=True)
class Choice:
    """One choice on the start screen."""

    tree: str
    label: str
    help: str
    order: int


def choices(ids: Sequence[str], load: Callable[[str], Tree]) -> list[Choice]:
    """The trees to offer, in their ``order`` (then by id). A tree that fails to load is left
    out here: its own link still shows the page's message about it."""
    offered: list[Choice] = []
    every: list[Choice] = []
    for tree_id in ids:
        try:
            tree = load(tree_id)
        except TriageError:
            continue
        every.append(Choice(tree_id, tree.title, "", 50))
        if tree.offer is not None:
            offer = tree.offer
            offered.append(Choice(tree_id, offer.label, offer.help, offer.order))
    return sorted(offered or every, key=lambda c: (c.order, c.tree))


def show_start(offered: Sequence[Choice]) -> str | None:
    """Draw the start screen; return the tree picked on this run, if any."""
    st.title("What do you need?", anchor=False)
    st.markdown(
        "Pick one. You'll answer a few plain questions, one at a time, and get a text ready to "
        "copy or a plain explanation, with the platform's own pages as sources."
    )
    picked: str | None = None
    for choice in offered:
        with st.container(border=True):
            if st.button(
                escape(choice.label),
                key=f"start_{choice.tree}",
                type="primary" if choice is offered[0] else "secondary",
                icon=":material/arrow_forward:",
                width="stretch",
            ):
                picked = choice.tree
            if choice.help:
                st.caption(escape(choice.help))
    st.caption(
        ":material/link: What you enter is kept in this page's link, so a refresh won't lose it. "
        "Nothing is posted or sent for you."
    )
    return picked
