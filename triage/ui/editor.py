"""An editable draft (a public reply or a message to the client), tone-checked as it changes."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from triage.text.tone import Finding, Purpose, ToneReport, check
from triage.ui.copy_button import copy_button
from triage.ui.text_marks import escape, excerpt, line_of

# Why a flagged text should not be copied as it is, by what the text is.
AFTER_COPY: dict[Purpose, str] = {
    "public_reply": "a public reply can't be edited once it is posted",
    "client_message": "the client will read it as it is",
    "client_review": "your feedback about the client is public",
}

__all__ = ["edit_draft", "show_findings"]

_SEVERITY = {
    "error": (":material/error:", "red", "Change this"),
    "warning": (":material/warning:", "orange", "Think twice"),
}


def show_findings(text: str, report: ToneReport) -> None:
    """List the tone findings, each with the words at fault highlighted in place."""
    limit = report.limit
    if limit:
        over = report.length > limit
        colour = "red" if over else "gray"
        st.markdown(f":{colour}[{report.length:,} of {limit:,} characters]")
    if not report.findings:
        st.success("The tone reads calm and factual.", icon=":material/check_circle:")
        return
    errors = sum(1 for f in report.findings if f.severity == "error")
    warnings = len(report.findings) - errors
    parts = [f"{errors} thing{'s' if errors != 1 else ''} to change"] if errors else []
    if warnings:
        parts.append(f"{warnings} to think about")
    st.markdown(f"**Before you post: {' and '.join(parts)}.**")
    for finding in report.findings:
        _finding(text, finding)


def _finding(text: str, finding: Finding) -> None:
    icon, colour, verdict = _SEVERITY.get(finding.severity, _SEVERITY["warning"])
    lines = [f"{icon} :{colour}[**{verdict}:**] {escape(finding.message)}"]
    if finding.end > finding.start:
        where = f"line {line_of(text, finding.start)}"
        shown = excerpt(text, finding.start, finding.end, width=40, colour=f"{colour}-background")
        lines.append(f"> {escape(where)}: {shown}")
    lines.append(f"*{escape('Instead: ' + finding.suggestion)}*")
    with st.container(border=True):
        st.markdown("\n\n".join(lines))


def edit_draft(
    *,
    key: str,
    draft: str,
    current: str | None,
    label: str,
    purpose: Purpose,
    limit: int | None,
    on_change: Callable[[str | None], None],
    platform: str = "the platform",
    help_text: str = "",
    copy_label: str = "Copy",
) -> str:
    """An editable text area holding ``current`` (the person's edit) or ``draft``.

    ``on_change`` receives the edited text, or None when it is back to the draft. Returns the text
    the person will post, after the copy button and the tone check are drawn.
    """
    widget = f"edit_{key}"

    def reset() -> None:
        st.session_state[widget] = draft
        on_change(None)

    # The text as it stands (the box's value from the last run, else the edit or the draft):
    # the copy button comes first, right under the heading, so it is in the first screenful.
    text = st.session_state.get(widget)
    if not isinstance(text, str):
        text = current if current is not None else draft
    report = check(text, purpose=purpose, limit=limit, platform=platform)
    to_change = sum(1 for f in report.findings if f.severity == "error")
    where = AFTER_COPY[purpose]
    # Never offer a flagged text as ready: the button asks first, and says why.
    copy_button(
        text,
        label=copy_label,
        confirm=(
            f"The tone check marked {to_change} thing{'s' if to_change != 1 else ''} to change "
            f"in this text, and {where}. Copy it anyway?"
        )
        if to_change
        else "",
    )
    typed = st.text_area(
        label,
        value=current if current is not None else draft,
        height="content",
        key=widget,
        help=help_text or None,
    )
    typed = typed or ""
    if typed != text:  # the box changed since the button was drawn (first run of a new edit)
        text = typed
        report = check(text, purpose=purpose, limit=limit, platform=platform)
    edited = text != draft
    on_change(text if edited else None)
    st.caption("Edit the text above, then click outside the box (or press Ctrl+Enter) to check it.")
    show_findings(text, report)
    if edited:
        st.button(
            "Go back to the suggested draft",
            key=f"reset_{key}",
            on_click=reset,
            type="tertiary",
            icon=":material/undo:",
        )
    return text
