"""Shared fixtures: a small tree built in code, so engine tests don't depend on the loader."""

from __future__ import annotations

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
