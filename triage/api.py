"""The library's public functions, for scripts: everything the page and the CLI do goes
through these or the modules they name.

    from triage import load_case, load_tree, render, start

    case = load_case("examples/case.yaml")
    walk = start(load_tree(case.tree), case)
    print(render(walk, "md"))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from triage.paths import responses_dir, tree_path

if TYPE_CHECKING:
    from triage.documents.render import Format
    from triage.tree.checks import Report
    from triage.tree.model import Tree
    from triage.walk.engine import Walk

__all__ = ["check", "load_tree", "render"]


def load_tree(name: str | Path) -> Tree:
    """A tree by id (``"upwork"``, from ``decision_trees/``) or by file path.

    Raises :class:`~triage.errors.TreeError` with every problem located (file:line:col).
    For the positions of every value too, use :func:`triage.tree.loader.load_tree`.
    """
    from triage.tree.loader import load_tree as load_located

    return load_located(tree_path(str(name), allow_paths=True)).tree


def render(walk: Walk, fmt: Format = "md") -> str:
    """The document for a walk that has reached its outcome: Markdown (``md``) or plain text
    (``txt``). Raises :class:`~triage.errors.TriageError` if the walk is not finished."""
    from triage.documents.render import render_walk

    return render_walk(walk, fmt)


def check(name: str | Path) -> Report:
    """Every check ``triage check`` runs on one tree (by id or path): problems located in the
    file, scenario results, and route coverage. ``report.ok`` is True when nothing is wrong."""
    from triage.documents.template_checks import template_checks
    from triage.tree.checks import check_file

    return check_file(tree_path(str(name), allow_paths=True), responses_dir(), template_checks())
