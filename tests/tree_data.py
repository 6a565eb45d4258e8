"""A minimal valid tree as plain data, for tests that build trees (imported by name: both
``tests/conftest.py`` and ``tests/e2e/conftest.py`` are modules called ``conftest``)."""

from __future__ import annotations

from typing import Any

# Answers that walk the Upwork tree to its public-reply outcome for a delay complaint (the
# tests that use them add their own "reply_fact").
RESPOND_ANSWERS: dict[str, Any] = {
    "feedback_kind": "public",
    "already_reported": "not_yet",
    "main_complaint": "delay",
    "client_pressure": ["none_of_these"],
    "review_language": "no",
    "review_relevance": "about_the_work",
    "reviewer_connection": "genuine",
    "concern_fixed": "no",
}


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
