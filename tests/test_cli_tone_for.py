"""`triage tone --for PURPOSE`: which kind of text is checked (a reply, a message, feedback)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import triage, write

from triage.cli import TONE_PURPOSES
from triage.text.tone import PURPOSES

FEEDBACK = "They stole my work. Stay away!!"
FACTUAL = "Payments were released 10 days after approval. The brief changed twice."
ASKS = "Thank you. Would you consider updating your review?"


def rules_of(stdout: str) -> list[str]:
    return [f["rule"] for f in json.loads(stdout)["findings"]]


def test_the_choices_are_the_tone_checks_purposes() -> None:
    assert TONE_PURPOSES == PURPOSES


def test_feedback_about_a_client_is_checked_with_its_own_rules(tmp_path: Path) -> None:
    path = write(tmp_path, "feedback.txt", FEEDBACK)
    result = triage("tone", str(path), "--for", "client_review", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert rules_of(result.stdout) == ["accusation", "warn_others", "repeated_punctuation"]
    [accusation] = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "accusation"]
    assert (accusation["start"], accusation["end"], accusation["text"]) == (5, 18, "stole my work")
    assert accusation["suggestion"].startswith("Describe what happened and when")


def test_factual_feedback_passes_and_the_text_output_says_so() -> None:
    result = triage("tone", "-", "--for", "client_review", stdin=FACTUAL)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{len(FACTUAL)}/1500 characters; 0 finding(s)\n"


def test_a_public_reply_is_still_the_default() -> None:
    default = triage("tone", "-", "--format", "json", stdin=ASKS)
    assert default.returncode == 1
    assert rules_of(default.stdout) == ["ask_review_change"]
    explicit = triage("tone", "-", "--for", "public_reply", "--format", "json", stdin=ASKS)
    assert explicit.stdout == default.stdout


def test_private_is_an_alias_of_for_client_message() -> None:
    private = triage("tone", "-", "--private", "--format", "json", stdin=ASKS)
    message = triage("tone", "-", "--for", "client_message", "--format", "json", stdin=ASKS)
    assert private.returncode == message.returncode == 0
    assert private.stdout == message.stdout
    assert rules_of(private.stdout) == []


def test_an_unknown_purpose_or_two_purposes_are_usage_errors() -> None:
    unknown = triage("tone", "-", "--for", "client_reveiw", stdin=FACTUAL)
    assert unknown.returncode == 2
    assert "client_review" in unknown.stderr  # the choices are listed
    both = triage("tone", "-", "--private", "--for", "client_review", stdin=FACTUAL)
    assert both.returncode == 2
    assert "not allowed with" in both.stderr


def test_the_help_names_every_purpose() -> None:
    result = triage("tone", "--help")
    assert result.returncode == 0
    for purpose in PURPOSES:
        assert purpose in result.stdout
