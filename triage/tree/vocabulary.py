"""The shared vocabulary of removal grounds (``decision_trees/shared/grounds.yaml``).

Every platform words its grounds in its own terms, but the same kind of reason has the same id
on every platform: ``triage check`` rejects a tree's ground id that the vocabulary doesn't
declare, with the nearest one. Without a vocabulary file beside the trees, any id is accepted.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from pydantic import Field

from triage.paths import trees_dir
from triage.tree.loader import parse_data, read_data_file
from triage.tree.model import Frozen, Name, Text

__all__ = ["GROUNDS_FILE", "GroundsFile", "shared_grounds"]

GROUNDS_FILE = Path("shared") / "grounds.yaml"
_LOCK = threading.Lock()
_LOADED: dict[Path, tuple[int, Mapping[str, str]]] = {}


class GroundsFile(Frozen):
    """``shared/grounds.yaml``: each ground id with one line saying what it means."""

    version: int = Field(default=1, ge=1, le=1, description="The file format's version.")
    grounds: dict[Name, Text] = Field(description="Ground id -> what it means.")


def shared_grounds(folder: Path | None = None) -> Mapping[str, str] | None:
    """The ground ids declared beside the trees in ``folder`` (default: the shipped trees), or
    None when there is no vocabulary file. Raises :class:`TreeError`, located, when the file is
    not valid."""
    path = (folder or trees_dir()) / GROUNDS_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    known = _LOADED.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    grounds = MappingProxyType(
        dict(parse_data(GroundsFile, *read_data_file(path), "grounds vocabulary").grounds)
    )
    with _LOCK:
        _LOADED[path] = (stamp, grounds)
    return grounds
