"""The page's state as plain data: what one person has entered so far, with no Streamlit and
no environment. ``url_codec`` mirrors it in the page's address, ``case_file`` in a saved file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from triage.tree.model import AnswerValue, Case, CaseContext, Tree

__all__ = ["CHOOSING", "PageState", "Restored", "case_of", "context_json"]

# The tree of a state on the start screen ("What do you need?"): none chosen yet. The page
# knows no tree by name: which trees there are is the trees folder's business.
CHOOSING = ""
MAX_EDIT_CHARS = 20_000

TreeLoader = Callable[[str], Tree]

# What the page says when a link or a saved file cannot be used as it is. Plain words, no ids.
NOTICE_UNKNOWN_TREE = (
    "The link was for a platform this page doesn't know, so a fresh check has started."
)
NOTICE_DAMAGED = "The link looked incomplete or damaged, so a fresh check has started."
NOTICE_STALE = (
    "Some answers in the link don't fit the current questions (they may have been updated), "
    "so the questions start again. Your review details are kept."
)


@dataclass(frozen=True)
class PageState:
    """What one person has entered so far. Immutable: changes return a new state."""

    tree: str = CHOOSING
    context: CaseContext = field(default_factory=CaseContext)
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)
    started: bool = False
    running: bool = False
    edits: Mapping[str, str] = field(default_factory=dict)
    ticks: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def with_answers(self, answers: Mapping[str, AnswerValue]) -> PageState:
        return replace(self, answers=dict(answers))

    def with_edit(self, key: str, text: str | None) -> PageState:
        edits = {k: v for k, v in self.edits.items() if k != key}
        if text is not None:
            edits[key] = text[:MAX_EDIT_CHARS]
        return replace(self, edits=edits)

    def with_ticks(self, outcome: str, ticked: Sequence[int]) -> PageState:
        ticks = {k: v for k, v in self.ticks.items() if k != outcome}
        if ticked:
            ticks[outcome] = tuple(sorted(set(ticked)))
        return replace(self, ticks=ticks)

    @property
    def is_blank(self) -> bool:
        """Nothing typed or answered yet: the link needs no payload."""
        return (
            not self.started
            and not self.running
            and not self.answers
            and not self.edits
            and not self.ticks
            and self.context == CaseContext()
        )


@dataclass(frozen=True)
class Restored:
    """The state read from a link, and a notice to show once if the link could not be used."""

    state: PageState
    notice: str | None = None


def case_of(state: PageState, today: dt.date | None = None) -> Case:
    """The case file equivalent of a state."""
    context = state.context
    if context.contract_running != state.running:  # the first screen's tick box
        context = context.model_copy(update={"contract_running": state.running})
    return Case(tree=state.tree, today=today, context=context, answers=dict(state.answers))


def context_json(context: CaseContext) -> dict[str, Any]:
    """The case context as JSON values (ISO dates), empty fields left out."""
    data: dict[str, Any] = context.model_dump(mode="json", exclude_defaults=True)
    return data
