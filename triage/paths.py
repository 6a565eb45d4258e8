"""Where trees and templates live, and how a case's ``tree:`` value finds its file."""

from __future__ import annotations

import os
from pathlib import Path

from triage.errors import TriageError, describe_char, did_you_mean

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def trees_dir() -> Path:
    """The folder of shipped trees (``TRIAGE_TREES`` overrides it)."""
    return Path(os.environ.get("TRIAGE_TREES", PROJECT_ROOT / "decision_trees"))


def responses_dir() -> Path:
    """The folder of response templates (``TRIAGE_RESPONSES`` overrides it)."""
    return Path(os.environ.get("TRIAGE_RESPONSES", PROJECT_ROOT / "responses"))


def template_dirs(tree_id: str, root: Path | None = None) -> list[Path]:
    """Where a tree's templates are looked up: its own folder ``responses/<tree id>/`` first
    (a platform's documents name its own questions, menus and rules), then ``responses/``."""
    root = root or responses_dir()
    own = root / tree_id
    return [own, root] if own.is_dir() else [root]


def tree_ids(folder: Path | None = None) -> list[str]:
    """Ids of the trees in ``folder`` (default: the shipped ones), sorted."""
    folder = folder or trees_dir()
    return sorted(p.stem for p in folder.glob("*.yaml") if not p.name.startswith("."))


def is_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def tree_path(
    name: str, *, allow_paths: bool = False, base: Path | None = None, within: Path | None = None
) -> Path:
    """The file of tree ``name``: a shipped tree id, or (if ``allow_paths``) a file path.

    The page passes ``allow_paths=False``, so an uploaded case can never make the server read
    an arbitrary file. ``within`` (the CLI passes the trees folder for a case's ``tree:``)
    accepts only paths inside that folder, checked before the file is looked at.
    """
    shown = _shown(name)
    if is_path(name):
        if not allow_paths:
            raise TriageError(f"{shown} is not a tree id", f"use one of: {', '.join(tree_ids())}")
        path = Path(name).expanduser()
        if not path.is_absolute() and base is not None and not path.exists():
            path = base / path
        if within is not None and not is_inside(path, within):
            raise TriageError(
                f"{shown} is not a tree id or a file in the trees folder ({display_path(within)}/)",
                f"use a tree id ({', '.join(tree_ids()) or 'none'}); to read a tree file from "
                "elsewhere, add --allow-tree-path",
            )
        if not path.is_file():
            raise TriageError(f"no tree file {shown}", "check the path")
        return path
    path = trees_dir() / f"{name}.yaml"
    if not path.is_file():
        ids = tree_ids()
        odd = next((ch for ch in name if not (ch.isascii() and ch.isprintable())), None)
        hint = did_you_mean(name, ids) or f"available: {', '.join(ids) or 'none'}"
        if odd is not None:  # a look-alike letter: the name looks right but is not
            hint = f"it contains {describe_char(odd)}; {hint}"
        raise TriageError(f"there is no tree {shown}", hint)
    return path


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (symbolic links and ".." followed) lies inside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _shown(name: str) -> str:
    return f'"{name[:100]}..."' if len(name) > 100 else f'"{name}"'


def display_path(path: str | Path) -> str:
    """A path fit to show a user: relative to the working folder or the project, never the
    machine's absolute layout."""
    resolved = Path(path).resolve()
    for root in (Path.cwd().resolve(), PROJECT_ROOT):
        try:
            return resolved.relative_to(root).as_posix()
        except ValueError:
            continue
    return resolved.name
