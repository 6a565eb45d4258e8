"""Shared fixtures: a small tree built in code, so engine tests don't depend on the loader."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings

from triage.model import Tree

# No per-example time limit: timing belongs in bench/, not in a test that may fail on a slow CI.
settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")


def mini_tree_data() -> dict[str, Any]:
    return {
        "id": "mini",
        "title": "Mini",
        "platform": "Test",
        "start": "kind",
        "sources": {"s": {"title": "S", "url": "https://example.org/s", "checked": "2026-11-27"}},
        "deadlines": {
            "reply_window": {
                "label": "Reply window closes",
                "from": "contract_end",
                "days": 28,
                "early": True,
                "source": "s",
            },
            "decision": {
                "label": "Decision expected",
                "from": "today",
                "days": 7,
                "business_days": True,
            },
        },
        "nodes": {
            "kind": {
                "type": "choice",
                "ask": "Which kind?",
                "source": "s",
                "choices": [
                    {"value": "public", "label": "Public", "go": "threat"},
                    {"value": "private", "label": "Private", "go": "nothing"},
                ],
            },
            "threat": {
                "type": "yes_no",
                "ask": "Threat?",
                "source": "s",
                "yes": "where",
                "no": "window",
            },
            "where": {
                "type": "multi",
                "ask": "Where?",
                "source": "s",
                "choices": [
                    {"value": "messages", "label": "Messages"},
                    {"value": "call", "label": "Call"},
                ],
                "routes": [
                    {
                        "when": {"question": "where", "includes": "messages"},
                        "go": "dispute",
                        "because": "written proof",
                    }
                ],
                "otherwise": {"go": "window", "because": "no written proof"},
            },
            "window": {
                "type": "branch",
                "routes": [
                    {
                        "when": {"days_since": "contract_end", "more_than": 28},
                        "go": "nothing",
                        "because": "window closed",
                    }
                ],
                "otherwise": {"go": "fixed", "because": "window open"},
            },
            "fixed": {"type": "text", "ask": "What did you fix?", "source": "s", "go": "reply"},
            "dispute": {
                "type": "outcome",
                "kind": "dispute",
                "ground": "manipulation",
                "title": "Report it",
                "summary": "s",
                "template": "dispute",
                "deadlines": ["decision", "reply_window"],
            },
            "reply": {
                "type": "outcome",
                "kind": "respond",
                "title": "Reply",
                "summary": "s",
                "template": "respond",
                "deadlines": ["reply_window"],
            },
            "nothing": {
                "type": "outcome",
                "kind": "no_action",
                "title": "Nothing",
                "summary": "s",
                "template": "no_action",
            },
        },
    }


@pytest.fixture
def mini() -> Tree:
    return Tree.model_validate(mini_tree_data())
