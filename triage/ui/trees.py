"""Trees for the page, loaded once per process and shared by every session.

One object is shared between sessions without copying it. That is safe because a loaded tree
is a frozen pydantic model. Each entry is keyed on the file's modification time, so an edit to
a file in ``decision_trees/`` shows on the next rerun; a file added or removed shows too (the
folder's own modification time keys the list of ids).

A plain dictionary, not ``st.cache_resource``: every step of the page asks for its tree several
times, and a lookup here costs a ``stat`` instead of hashing the arguments.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from triage.documents.template_checks import template_checks
from triage.paths import display_path, responses_dir, tree_ids, tree_path, trees_dir
from triage.tree.checks import Report, check_loaded
from triage.tree.loader import LoadedTree, load_tree
from triage.tree.model import Tree
from triage.tree.topology import most_questions_left

__all__ = [
    "check_shipped",
    "load_shipped",
    "loaded_shipped",
    "questions_left",
    "shipped_ids",
    "template_checks",
]

T = TypeVar("T")
_LOCK = threading.Lock()
_ENTRIES: dict[tuple[str, str], tuple[int, object]] = {}  # (what, path) -> (mtime_ns, value)
_PATHS: dict[tuple[Path, str], Path] = {}  # (trees folder, id) -> file
_IDS: list[tuple[Path, int, list[str]]] = []  # the last (folder, mtime_ns, ids)


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


def _path(name: str) -> Path:
    """``tree_path(name)`` for a tree id (paths refused), remembered per trees folder."""
    key = (trees_dir(), name)
    known = _PATHS.get(key)
    if known is None:
        known = tree_path(name, allow_paths=False)  # raises TriageError for a bad name
        with _LOCK:
            if len(_PATHS) > 64:
                _PATHS.clear()
            _PATHS[key] = known
    return known


def _cached(what: str, name: str, make: Callable[[Path], T]) -> T:
    path = _path(name)
    stamp = _mtime(path)
    key = (what, str(path))
    entry = _ENTRIES.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]  # type: ignore[return-value]
    value = make(path)  # outside the lock: a slow load does not hold other sessions up
    with _LOCK:
        _ENTRIES[key] = (stamp, value)
    return value


def loaded_shipped(name: str) -> LoadedTree:
    """The shipped tree ``name``, with its positions (for the authors' page).

    ``name`` must be a tree id: paths are refused. Raises TriageError.
    """
    return _cached("tree", name, lambda p: load_tree(p, display=display_path(p)))


def load_shipped(name: str) -> Tree:
    """The shipped tree ``name``. Raises TriageError (unknown id, or a tree that fails to load)."""
    return loaded_shipped(name).tree


def shipped_ids() -> list[str]:
    """The shipped tree ids (re-read when a file is added to or removed from the folder)."""
    folder = trees_dir()
    stamp = _mtime(folder)
    if _IDS and _IDS[0][:2] == (folder, stamp):
        return list(_IDS[0][2])
    ids = tree_ids(folder)
    with _LOCK:
        _IDS[:] = [(folder, stamp, ids)]
    return list(ids)


def check_shipped(name: str) -> Report:
    """Every check on the shipped tree ``name`` (cached until the file changes)."""
    return _cached(
        "report",
        name,
        lambda _p: check_loaded(loaded_shipped(name), responses_dir(), template_checks()),
    )


def questions_left(name: str) -> Mapping[str, int]:
    """:func:`most_questions_left` of a shipped tree, cached (read-only: shared by sessions)."""
    return _cached(
        "left", name, lambda _p: MappingProxyType(most_questions_left(load_shipped(name)))
    )
