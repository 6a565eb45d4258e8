"""An editable draft (a public reply or a message to the client), tone-checked as it changes."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from triage.tone import Finding, Purpose, ToneReport, check
from triage.ui.text_marks import escape, excerpt, line_of

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
    help_text: str = "",
) -> str:
    """An editable text area holding ``current`` (the person's edit) or ``draft``.

    ``on_change`` receives the edited text, or None when it is back to the draft. Returns the text
    the person will post, after the tone check and the copy box are drawn.
    """
    widget = f"edit_{key}"

    def reset() -> None:
        st.session_state[widget] = draft
        on_change(None)

    text = st.text_area(
        label,
        value=current if current is not None else draft,
        height="content",
        key=widget,
        help=help_text or None,
    )
    text = text or ""
    edited = text != draft
    on_change(text if edited else None)
    st.caption("Click outside the box (or press Ctrl+Enter) to check your changes.")
    report = check(text, purpose=purpose, limit=limit)
    show_findings(text, report)
    if edited:
        st.button(
            "Go back to the suggested draft",
            key=f"reset_{key}",
            on_click=reset,
            type="tertiary",
            icon=":material/undo:",
        )
    to_change = sum(1 for f in report.findings if f.severity == "error")
    if to_change:
        # Never offer a flagged text as ready: say so where the copy box is.
        st.markdown("**Not ready to copy yet**")
        st.warning(
            f"The tone check marked {to_change} thing{'s' if to_change != 1 else ''} to change "
            "above. Change them before you copy this text: "
            + (
                "a public reply can't be edited once it is posted."
                if purpose == "public_reply"
                else "the client will read it as it is."
            ),
            icon=":material/warning:",
        )
    else:
        st.markdown("**Ready to copy**")
    st.caption("Use the copy icon at the top right of the box.")
    st.code(text, language=None, wrap_lines=True)
    return text
