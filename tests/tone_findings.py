"""Helpers shared by the tone tests (imported by name, like tests/cli_run.py)."""

from __future__ import annotations

from triage.text.tone import ToneReport


def by_rule(report: ToneReport) -> dict[str, list[str]]:
    """The phrases each rule found, by rule id."""
    found: dict[str, list[str]] = {}
    for f in report.findings:
        found.setdefault(f.rule, []).append(f.text)
    return found


def assert_spans_match(text: str, report: ToneReport) -> None:
    """Each finding's span is its phrase in ``text``, and the findings are in text order."""
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
    assert list(report.findings) == sorted(report.findings, key=lambda f: (f.start, f.end, f.rule))
