"""Feedback dispute triage: decide what a freelancer can do about a bad review.

The public API, for scripts (each name is imported on first use, so ``import triage`` and the
``triage`` command stay quick):

- :func:`load_tree`, :func:`load_case`: read a tree (by id or path) and a case file;
- :func:`start` and :class:`Walk`: walk a tree from a case's answers;
- :func:`render`: the document for a finished walk;
- :func:`check`: every check on a tree;
- :func:`tone_check`: the tone check of a reply or message;
- :func:`prescreen`: phrases in a review that may point to a removal ground;
- the errors: :class:`TriageError` and its kinds.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"  # as in pyproject.toml (tests/test_tree_cache.py checks); keys the tree cache

_WHERE = {
    "load_tree": ("triage.api", "load_tree"),
    "load_case": ("triage.tree.loader", "load_case"),
    "start": ("triage.walk.engine", "start"),
    "Walk": ("triage.walk.engine", "Walk"),
    "render": ("triage.api", "render"),
    "check": ("triage.api", "check"),
    "tone_check": ("triage.text.tone", "check"),
    "prescreen": ("triage.text.prescreen", "screen"),
    "Case": ("triage.tree.model", "Case"),
    "Tree": ("triage.tree.model", "Tree"),
    "TriageError": ("triage.errors", "TriageError"),
    "TreeError": ("triage.errors", "TreeError"),
    "CaseError": ("triage.errors", "CaseError"),
    "AnswerError": ("triage.errors", "AnswerError"),
    "TemplateError": ("triage.errors", "TemplateError"),
    "UsageError": ("triage.errors", "UsageError"),
}
__all__ = [  # the names of _WHERE (tests/test_api.py checks they agree)
    "AnswerError",
    "Case",
    "CaseError",
    "TemplateError",
    "Tree",
    "TreeError",
    "TriageError",
    "UsageError",
    "Walk",
    "check",
    "load_case",
    "load_tree",
    "prescreen",
    "render",
    "start",
    "tone_check",
]

if TYPE_CHECKING:
    from triage.api import check, load_tree, render
    from triage.errors import (
        AnswerError,
        CaseError,
        TemplateError,
        TreeError,
        TriageError,
        UsageError,
    )
    from triage.text.prescreen import screen as prescreen
    from triage.text.tone import check as tone_check
    from triage.tree.loader import load_case
    from triage.tree.model import Case, Tree
    from triage.walk.engine import Walk, start


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'triage' has no attribute {name!r}")
    value = getattr(import_module(where[0]), where[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
