"""Trees for the page, loaded once and shared by every session.

``st.cache_resource`` shares one object between sessions without copying it. That is safe
because a loaded tree is a frozen pydantic model. The cache key includes the file's
modification time, so an edit to a file in ``decision_trees/`` shows on the next rerun.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import streamlit as st

from triage.checks import Report, check_loaded
from triage.loader import LoadedTree, load_tree
from triage.model import Tree
from triage.registry import display_path, responses_dir, tree_ids, tree_path
from triage.template_check import template_checks
from triage.ui.progress import most_questions_left

__all__ = [
    "check_shipped",
    "load_shipped",
    "loaded_shipped",
    "questions_left",
    "shipped_ids",
    "template_checks",
]


def _mtime(path: Path) -> float:
    return path.stat().st_mtime


@st.cache_resource(show_spinner=False, max_entries=32)
def _loaded(path: str, mtime: float) -> LoadedTree:
    return load_tree(path, display=display_path(path))


def loaded_shipped(name: str) -> LoadedTree:
    """The shipped tree ``name``, with its positions (for the authors' page).

    ``name`` must be a tree id: paths are refused (``allow_paths=False``). Raises TriageError.
    """
    path = tree_path(name, allow_paths=False)
    return _loaded(str(path), _mtime(path))


def load_shipped(name: str) -> Tree:
    """The shipped tree ``name``. Raises TriageError (unknown id, or a tree that fails to load)."""
    return loaded_shipped(name).tree


def shipped_ids() -> list[str]:
    return tree_ids()


@st.cache_resource(show_spinner=False, max_entries=32)
def _report(path: str, mtime: float) -> Report:
    return check_loaded(_loaded(path, mtime), responses_dir(), template_checks())


def check_shipped(name: str) -> Report:
    """Every check on the shipped tree ``name`` (cached until the file changes)."""
    path = tree_path(name, allow_paths=False)
    return _report(str(path), _mtime(path))


@st.cache_resource(show_spinner=False, max_entries=32)
def _left(path: str, mtime: float) -> Mapping[str, int]:
    # Read-only: one copy is shared by every session.
    return MappingProxyType(most_questions_left(_loaded(path, mtime).tree))


def questions_left(name: str) -> Mapping[str, int]:
    """:func:`most_questions_left` of a shipped tree, cached."""
    path = tree_path(name, allow_paths=False)
    return _left(str(path), _mtime(path))
