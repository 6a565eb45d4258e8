"""Shared fixtures: a small tree built in code, so engine tests don't depend on the loader, and
an empty disk cache of one's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings
from tree_data import mini_tree_data

from triage.tree.model import Tree

# No per-example time limit: timing belongs in bench/, not in a test that may fail on a slow CI.
settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")


@pytest.fixture
def mini() -> Tree:
    return Tree.model_validate(mini_tree_data())


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The disk caches (trees, rules files, regexes) in a fresh folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(folder))
    monkeypatch.delenv("TRIAGE_CACHE", raising=False)
    return folder
