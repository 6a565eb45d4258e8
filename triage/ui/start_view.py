"""The start screen, "What do you need?": one plain choice per tree the page offers.

The choices are the trees' own ``offer:`` sections (label, one line of help, order), so a new
tree appears here without a change to the page. Trees offered under the same label (each
platform's "I got a bad review") are one choice, followed by "Which platform?". A tree without
``offer:`` is still reachable by its link (``?tree=<id>``); when no tree has one, every tree is
offered under its title.
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
    platform: str = ""


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
        every.append(Choice(tree_id, tree.title, "", 50, tree.platform))
        if tree.offer is not None:
            offer = tree.offer
            offered.append(Choice(tree_id, offer.label, offer.help, offer.order, tree.platform))
    return sorted(offered or every, key=lambda c: (c.order, c.platform, c.tree))


def groups(offered: Sequence[Choice]) -> list[list[Choice]]:
    """The choices under one label together, in the order their first one comes."""
    by_label: dict[str, list[Choice]] = {}
    for choice in offered:
        by_label.setdefault(choice.label, []).append(choice)
    return list(by_label.values())


GROUP = "start_group"  # the label picked on the start screen, while its platform is chosen


def show_start(offered: Sequence[Choice]) -> str | None:
    """Draw the start screen; return the tree picked on this run, if any."""
    grouped = groups(offered)
    open_group = next(
        (g for g in grouped if len(g) > 1 and g[0].label == st.session_state.get(GROUP)), None
    )
    if open_group is not None:
        return _platforms(open_group)
    st.title("What do you need?", anchor=False)
    st.markdown(
        "Pick one. You'll answer a few plain questions, one at a time, and get a text ready to "
        "copy or a plain explanation, with the platform's own pages as sources."
    )
    picked: str | None = None
    for i, group in enumerate(grouped):
        first = group[0]
        with st.container(border=True):
            if len(group) > 1:
                st.button(
                    escape(first.label),
                    key=f"start_group_{i}",
                    type="primary" if i == 0 else "secondary",
                    icon=":material/arrow_forward:",
                    width="stretch",
                    on_click=_open,
                    args=(first.label,),
                )
                platforms = [c.platform for c in group]
                st.caption(escape("On " + ", ".join(platforms[:-1]) + " or " + platforms[-1]))
            else:
                if st.button(
                    escape(first.label),
                    key=f"start_{first.tree}",
                    type="primary" if i == 0 else "secondary",
                    icon=":material/arrow_forward:",
                    width="stretch",
                ):
                    picked = first.tree
                if first.help:
                    st.caption(escape(first.help))
    st.caption(
        ":material/link: What you enter is kept in this page's link, so a refresh won't lose it. "
        "Nothing is posted or sent for you."
    )
    return picked


def _open(label: str | None) -> None:
    st.session_state[GROUP] = label


def _platforms(group: Sequence[Choice]) -> str | None:
    """The second step for a shared label: which platform."""
    st.button(
        "Something else",
        key="start_back",
        type="tertiary",
        icon=":material/arrow_back:",
        on_click=_open,
        args=(None,),
    )
    st.title(escape(group[0].label), anchor=False)
    st.markdown("Which platform is it on? Each one has its own rules.")
    picked: str | None = None
    for choice in group:
        with st.container(border=True):
            if st.button(
                escape(choice.platform),
                key=f"start_{choice.tree}",
                icon=":material/arrow_forward:",
                width="stretch",
            ):
                picked = choice.tree
            if choice.help:
                st.caption(escape(choice.help))
    return picked
