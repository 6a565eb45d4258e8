"""What the person pasted, on every question step: nothing has to be typed or remembered twice.

The review (and the client's messages) sit in a collapsed box on each question, opened on the
questions that are about the text: those a ground's ``when`` tests in the tree. There, the
pre-screen's phrases that bear on the question are quoted with what they may point to. It only
suggests: nothing is ticked for the person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import streamlit as st

from triage.documents.case_facts import ground_questions
from triage.text.prescreen import Signal, screen
from triage.tree.model import CaseContext, Tree
from triage.ui.text_marks import Mark, escape, excerpts, highlight
from triage.walk.engine import Walk

__all__ = ["ground_names", "show_texts"]


def ground_names(tree: Tree) -> Mapping[str, str]:
    """Each ground in the tree's own words (never a wording of the page's)."""
    return {ground: info.name for ground, info in tree.grounds.items()}


def _marks(signals: Sequence[Signal], source: str) -> list[Mark]:
    return [Mark(s.start, s.end) for s in signals if s.source == source]


@lru_cache(maxsize=64)
def _signals(review: str, messages: str) -> tuple[Signal, ...]:
    """The pre-screen's phrases, found once per text (each step redraws the page)."""
    return screen(review, messages).signals


_BEARING: dict[int, tuple[Tree, Mapping[str, frozenset[str]]]] = {}


def _bearing(tree: Tree) -> Mapping[str, frozenset[str]]:
    """:func:`ground_questions` once per loaded tree (the tree is kept with it, so its id is
    never reused for another tree while the entry lives)."""
    known = _BEARING.get(id(tree))
    if known is None or known[0] is not tree:
        if len(_BEARING) > 16:
            _BEARING.clear()
        known = _BEARING[id(tree)] = (tree, ground_questions(tree))
    return known[1]


def show_texts(walk: Walk, context: CaseContext) -> None:
    """The review and messages for the question ``walk`` stands at, with the phrases that bear
    on it."""
    party = walk.tree.settings.other_party
    review, messages = context.review_text, context.messages
    if not review.strip() and not messages.strip():
        return
    bearing = _bearing(walk.tree)
    grounds_here = {g for g, questions in bearing.items() if walk.at in questions}
    signals: list[Signal] = []
    if grounds_here:
        signals = [s for s in _signals(review, messages) if s.ground in grounds_here]
    if signals:
        names = ground_names(walk.tree)
        lines = []
        for signal in signals[:4]:
            text = review if signal.source == "review" else messages
            where = "the review" if signal.source == "review" else f"the {party}'s messages"
            shown = next(iter(excerpts(text, [Mark(signal.start, signal.end)], width=50)), "")
            lines.append(
                f"- In {where}: {shown} — this may point to "
                f"**{escape(names.get(signal.ground, signal.ground))}**."
            )
        # One element: each step of the page is redrawn, and every element costs.
        st.info(
            "**What the pre-screen noticed for this question**\n\n"
            + "\n".join(lines)
            + "\n\n:gray[Only a hint: nothing is ticked for you. You decide.]",
            icon=":material/search:",
        )
    label = "The review" + (f" and the {party}'s messages" if messages.strip() else "")
    with st.expander(label, expanded=bool(grounds_here), icon=":material/format_quote:"):
        st.markdown(_panel(review, messages, tuple(signals), party))


@lru_cache(maxsize=64)
def _panel(review: str, messages: str, signals: tuple[Signal, ...], party: str) -> str:
    """The texts as Markdown, the given phrases marked (the same on many steps: kept)."""
    parts = [highlight(review, _marks(signals, "review"))] if review.strip() else []
    if messages.strip():
        parts += [f"**The {party}'s messages**", highlight(messages, _marks(signals, "messages"))]
    return "\n\n".join(parts)
