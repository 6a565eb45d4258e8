"""``triage new-tree PLATFORM``: a new tree and its template folder, from a starter that passes
``triage check`` as it is (``triage/tree/starter/``), for a person who doesn't program to make
true for their platform, step by step (docs/authoring.md, "Add a platform")."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from triage.errors import TriageError
from triage.paths import display_path

__all__ = ["STARTER", "Created", "create", "tree_id_for"]

STARTER = Path(__file__).resolve().parent / "starter"


@dataclass(frozen=True)
class Created:
    tree_file: Path
    templates: Path


def tree_id_for(platform: str) -> str:
    """The tree id for a platform's name: "Google Business" -> "google_business"."""
    words = re.findall(r"[a-z0-9]+", platform.lower())
    tree_id = "_".join(words)
    if not tree_id or not tree_id[0].isalpha() or len(tree_id) > 64:
        raise TriageError(
            f'"{platform[:80]}" does not make a tree id',
            "give the platform's name in letters and digits, starting with a letter, "
            'e.g. "Trustpilot" or "Google Business"',
        )
    return tree_id


def create(platform: str, trees: Path, responses: Path, today: dt.date) -> Created:
    """Write ``trees/<id>.yaml`` and ``responses/<id>/`` for ``platform``. Never overwrites:
    an existing tree or folder is a TriageError."""
    name = " ".join(platform.split())
    tree_id = tree_id_for(name)
    tree_file = trees / f"{tree_id}.yaml"
    templates = responses / tree_id
    for path in (tree_file, templates):
        if path.exists():
            raise TriageError(
                f"{display_path(path)} already exists",
                "edit it, or give another platform name; nothing was changed",
            )
    if not trees.is_dir() or not responses.is_dir():
        raise TriageError(
            "the trees or templates folder is missing",
            "run this from the project, where decision_trees/ and responses/ are",
        )
    text = (STARTER / "tree.yaml").read_text("utf-8")
    for mark, value in (
        ("__ID__", tree_id),
        ("__PLATFORM__", name),
        ("__TODAY__", today.isoformat()),
    ):
        text = text.replace(mark, value)
    shutil.copytree(STARTER / "templates", templates)
    tree_file.write_text(text, "utf-8")
    return Created(tree_file, templates)
