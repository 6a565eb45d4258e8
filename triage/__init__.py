"""Feedback dispute triage: decide what a freelancer can do about a bad review."""

__version__ = "0.1.0"  # as in pyproject.toml (tests/test_tree_cache.py checks); keys the tree cache
