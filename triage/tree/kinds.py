"""Outcome kinds: an open vocabulary declared in data, not in Python.

``responses/kinds.yaml`` declares the kinds every tree can use (what each hands over, its
templates, its tone checks, and how the page and the diagram show it); a tree's own ``kinds:``
adds kinds or replaces one for that tree. The engine, the documents, the checks, the page and
the diagram read a kind's definition here; none of them names a kind.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from triage.errors import TemplateError
from triage.paths import responses_dir
from triage.tree.loader import display_name, parse_data, read_data_file
from triage.tree.model import KindInfo, KindsFile, Outcome, Tree

__all__ = ["KINDS_FILE", "kind_of", "kinds_of", "shared_kinds"]

KINDS_FILE = "kinds.yaml"
_LOCK = threading.Lock()
_LOADED: dict[Path, tuple[int, Mapping[str, KindInfo]]] = {}


def shared_kinds(folder: Path | None = None) -> Mapping[str, KindInfo]:
    """The kinds in ``folder/kinds.yaml`` (default, and where ``folder`` has none:
    ``responses/``), read again when the file changes. Raises :class:`TemplateError` when it
    is missing, and :class:`TreeError` with each problem located (file:line:col) when it is
    not valid."""
    path = (folder or responses_dir()) / KINDS_FILE
    if folder is not None and not path.is_file():
        path = responses_dir() / KINDS_FILE  # a templates folder of its own: the shipped kinds
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise TemplateError(
            f"no outcome kinds: {display_name(path)} is missing",
            "restore responses/kinds.yaml (it declares dispute, respond, request_change, "
            "no_action)",
        ) from None
    known = _LOADED.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    kinds = MappingProxyType(dict(parse_data(KindsFile, *read_data_file(path), "kinds file").kinds))
    with _LOCK:
        _LOADED[path] = (stamp, kinds)
    return kinds


def kinds_of(tree: Tree, folder: Path | None = None) -> Mapping[str, KindInfo]:
    """The kinds ``tree`` can use: the shared ones, then its own."""
    shared = shared_kinds(folder)
    return {**shared, **tree.kinds} if tree.kinds else shared


def kind_of(tree: Tree, outcome: Outcome, folder: Path | None = None) -> KindInfo:
    """The definition of ``outcome``'s kind. Raises :class:`TemplateError` for an unknown kind
    (``triage check`` reports it at its line first)."""
    kinds = kinds_of(tree, folder)
    info = kinds.get(outcome.kind)
    if info is None:
        raise TemplateError(
            f'unknown outcome kind "{outcome.kind}"',
            f"use one of: {', '.join(kinds)} (or declare it in responses/kinds.yaml)",
        )
    return info
