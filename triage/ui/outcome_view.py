"""The end of the questions: what to do, why, the documents to copy or download, and the dates."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

import streamlit as st

from triage.documents.case_facts import OwnLine
from triage.documents.render import render_all
from triage.errors import TriageError
from triage.text.tone import Purpose
from triage.tree.diagram import to_dot
from triage.tree.kinds import kind_of
from triage.tree.model import Branch, KindInfo, Outcome, Question, Tree
from triage.ui.case_file import case_yaml
from triage.ui.copy_button import copy_button
from triage.ui.editor import edit_draft
from triage.ui.state import PageState
from triage.ui.text_marks import escape, link
from triage.ui.widgets import day
from triage.walk.engine import DeadlineDate, Walk
from triage.walk.wording import as_asked

__all__ = [
    "Documents",
    "Update",
    "documents",
    "show_deadlines",
    "show_diagram",
    "show_outcome",
    "show_path",
]

# Applies a change to the session's current state (and mirrors it in the link); returns the
# state after the change (``update(lambda s: s)`` reads it).
Update = Callable[[Callable[[PageState], PageState]], PageState]

UNAVAILABLE = "The text for this step can't be prepared right now. The steps above still apply."


@dataclass(frozen=True)
class Documents:
    """The texts rendered for an outcome. None where the outcome has none (or rendering failed)."""

    markdown: str | None = None
    text: str | None = None
    parts: Mapping[str, str | None] = field(default_factory=dict)
    left_out: tuple[OwnLine, ...] = ()


def documents(walk: Walk) -> Documents:
    """Render the outcome's documents (``triage.documents.render``); never raises for the page."""
    try:
        done = render_all(walk)
    except TriageError:
        return Documents()
    return Documents(
        markdown=done.markdown, text=done.text, parts=done.parts, left_out=done.left_out
    )


def _days(deadline: DeadlineDate) -> str:
    left = deadline.days_left
    if left < 0:
        return f":gray[closed {-left} day{'s' if left != -1 else ''} ago]"
    if left == 0:
        return ":red[**today**]"
    if left == 1:
        return ":red[**tomorrow**]"
    colour = "red" if left <= 3 else "orange" if left <= 7 else "green"
    return f":{colour}[**{left} days left**]"


def show_deadlines(walk: Walk, heading: str = "Dates") -> None:
    """The outcome's dates, soonest first, with the days left."""
    dates = sorted(walk.deadlines, key=lambda d: d.date)
    if not dates:
        return
    if heading:
        st.markdown(f"#### {heading}")
    st.markdown("\n".join(f"- **{day(d.date)}** · {escape(d.label)} · {_days(d)}" for d in dates))


def _source_line(tree: Tree, key: str | None) -> str:
    source = tree.sources.get(key or "")
    if source is None:
        return ""
    return f"{link(source.title, source.url)} (checked {day(source.checked)})"


def show_path(walk: Walk) -> None:
    """Each step of the way here, with the rule it relied on and its source."""
    tree = walk.tree
    items: list[str] = []
    for step in walk.path:
        node = tree.nodes[step.node]
        if node.is_question:
            node = as_asked(walk, cast(Question, node))
            answer = node.display(step.answer)
            head = f"**{escape(node.short or node.ask)}:** {escape(answer)}"
            reason = step.reason if step.reason and step.reason != answer else ""
        elif isinstance(node, Branch):
            head = f"**{escape(node.title or 'Check')}**"
            reason = step.reason
        else:  # pragma: no cover - outcomes end the path
            continue
        parts = [head]
        if reason:
            parts.append(escape(reason))
        cite = _source_line(tree, node.source)
        if cite:
            parts.append(f":gray[Rule: {cite}]")
        items.append("1. " + "  \n   ".join(parts))
    outcome = walk.outcome
    if outcome is not None:
        cite = _source_line(tree, outcome.source)
        if cite:
            items.append(f"1. **Result:** {escape(outcome.title)}  \n   :gray[Rule: {cite}]")
    st.markdown("\n".join(items))


def show_diagram(walk: Walk) -> None:
    """The whole decision map, the person's way through it highlighted."""
    pairs = [(s.node, s.go) for s in walk.path]
    st.graphviz_chart(to_dot(walk.tree, pairs, walk.at), width="stretch")


def _steps(outcome: Outcome) -> None:
    if outcome.next_steps:
        st.markdown("#### What to do")
        st.markdown("\n".join(f"1. {escape(step)}" for step in outcome.next_steps))


def _evidence(walk: Walk, state: PageState, update: Update) -> None:
    outcome = walk.outcome
    if outcome is None or not outcome.evidence:
        return
    st.markdown("#### Evidence to gather")
    ticked = set(state.ticks.get(walk.at, ()))
    now: list[int] = []
    for i, item in enumerate(outcome.evidence):
        with st.container(gap="xxsmall"):
            if st.checkbox(escape(item.item), value=i in ticked, key=f"ev_{walk.at}_{i}"):
                now.append(i)
            if item.why:
                st.caption(escape(item.why))
    st.caption(f"{len(now)} of {len(outcome.evidence)} ready.")
    if set(now) != ticked:
        outcome_id = walk.at
        update(lambda s: s.with_ticks(outcome_id, now))


# What the page says of the person's own text left out of a draft, by what the draft is.
LEFT_OUT: dict[Purpose, tuple[str, str]] = {
    "public_reply": (
        "Your sentence was left out of the draft",
        "Rewrite it as one calm fact about what you did and add it yourself, or leave it out.",
    ),
    "client_message": (
        "Your sentence was left out of the message",
        "Rewrite it as one calm fact about what you did and add it yourself, or leave it out.",
    ),
    "client_review": (
        "Your draft wasn't used: the draft below is written from your answers",
        "Change what was marked as suggested, or keep the draft below.",
    ),
}


def _left_out(docs: Documents, purpose: Purpose) -> None:
    """The person's own text that the tone check kept out of the draft: each phrase it marked,
    why, and what to write instead."""
    heading, advice = LEFT_OUT[purpose]
    for line in docs.left_out:
        findings = line.findings(purpose)
        if not findings:
            continue
        reasons = "\n".join(
            f"- “{escape(f.text)}”: {escape(f.message)}  \n  *Instead:* {escape(f.suggestion)}"
            for f in findings
        )
        st.warning(
            f"**{escape(heading)}:** “{escape(line.text)}”\n\n{reasons}\n\n{escape(advice)}",
            icon=":material/edit_off:",
        )


def _editor(
    walk: Walk,
    state: PageState,
    update: Update,
    *,
    part: str,
    draft: str | None,
    label: str,
    purpose: Purpose,
    copy_label: str = "Copy",
) -> str | None:
    if draft is None:
        st.info(UNAVAILABLE, icon=":material/info:")
        return None
    key = f"{walk.at}/{part}"

    def changed(text: str | None) -> None:
        if state.edits.get(key) != text:
            update(lambda s: s.with_edit(key, text))

    return edit_draft(
        key=f"{walk.at}_{part}",
        draft=draft,
        current=state.edits.get(key),
        label=label,
        purpose=purpose,
        limit=walk.tree.settings.reply_limit if purpose != "client_message" else None,
        on_change=changed,
        platform=walk.tree.platform,
        copy_label=copy_label,
    )


def _downloads(walk: Walk, state: PageState, docs: Documents, final: str | None) -> None:
    outcome = walk.outcome
    assert outcome is not None
    kind = kind_of(walk.tree, outcome)
    name = f"{walk.tree.id}-{kind.file}"
    label = kind.document
    st.markdown("#### Keep a copy")
    edited = final if kind.editable else None
    # (label, data, file name, mime, icon, key); a row without data is left out.
    rows = [
        (f"{label} (.md)", docs.markdown, f"{name}.md", "text/markdown", "download", "dl_md"),
        (f"{label} (.txt)", docs.text, f"{name}.txt", "text/plain", "download", "dl_txt"),
        (
            "Your text as edited (.txt)",
            edited,
            f"{name}-edited.txt",
            "text/plain",
            "download",
            "dl_edited",
        ),
        (
            "Your saved answers (.yaml)",
            case_yaml(walk, state),
            f"{walk.tree.id}-saved-answers.yaml",
            "application/x-yaml",
            "save",
            "dl_case",
        ),
    ]
    with st.container(horizontal=True):
        for text, data, file_name, mime, icon, key in rows:
            if data is not None:
                st.download_button(
                    text,
                    data,
                    file_name=file_name,
                    mime=mime,
                    on_click="ignore",
                    icon=f":material/{icon}:",
                    key=key,
                )
    st.caption("Upload your saved answers on the first screen to come back to this result later.")


def _next_date(walk: Walk) -> None:
    """The next date that matters, in one line, under the outcome's title."""
    coming = sorted((d for d in walk.deadlines if d.days_left >= 0), key=lambda d: d.date)
    if coming:
        first = coming[0]
        st.markdown(f"**Next date:** {day(first.date)} · {escape(first.label)} · {_days(first)}")


def _handed(docs: Documents, kind: KindInfo, name: str) -> None:
    """A text to paste as it is (a report): its heading, the Copy button, the text."""
    text = docs.parts.get(name) or docs.text
    if text is None:
        st.info(UNAVAILABLE, icon=":material/info:")
        return
    st.markdown(f"#### {escape(kind.heading)}")
    copy_button(text, label=kind.copy_label)
    caption = kind.note
    if "[" in text:
        caption += " Fill in the parts in [square brackets] first."
    if caption.strip():
        st.caption(caption.strip())
    st.code(text, language=None, wrap_lines=True)


# The edit box's label and the Copy button's words for a fallback text, by what it is.
FALLBACK_WORDS: dict[Purpose, tuple[str, str]] = {
    "public_reply": ("Public reply (you can edit it)", "Copy the reply"),
    "client_message": ("Message (you can edit it)", "Copy the message"),
    "client_review": ("Your feedback (you can edit it)", "Copy the feedback"),
}


def _fallback(walk: Walk, state: PageState, update: Update, docs: Documents) -> None:
    """The text kept ready in case the first step fails (a dispute's public reply)."""
    outcome = walk.outcome
    assert outcome is not None
    kind = kind_of(walk.tree, outcome)
    for name in kind.fallback:
        # A fallback's template writes nothing once it no longer applies (a closed window).
        if docs.parts.get(name) is None and docs.markdown is not None:
            if kind.fallback_missing:
                st.info(kind.fallback_missing, icon=":material/info:")
            continue
        with st.expander(kind.fallback_heading or "Keep this ready", icon=":material/chat:"):
            if kind.fallback_note:
                st.caption(kind.fallback_note)
            purpose = kind.tone.get(name, "public_reply")
            _left_out(docs, purpose)
            label, copy_label = FALLBACK_WORDS[purpose]
            _editor(
                walk, state, update, part=name, draft=docs.parts.get(name),
                label=label, purpose=purpose, copy_label=copy_label,
            )  # fmt: skip


def _without_title(markdown: str) -> str:
    """A document under the page's own heading: its first-level title left out, and its
    sections two levels smaller, so they read as parts of the result."""
    first, _, rest = markdown.partition("\n")
    body = rest.lstrip("\n") if first.startswith("# ") else markdown
    return _SECTION.sub(lambda m: "#" * min(6, len(m.group(1)) + 2) + " ", body)


_SECTION = re.compile(r"^(#{1,4}) ", re.MULTILINE)


def show_outcome(walk: Walk, state: PageState, update: Update) -> None:
    """The outcome page: the deliverable first (the text to paste and its copy button), then
    the rest, collapsed. ``update`` stores changes to the state (edits, ticked evidence)."""
    outcome = walk.outcome
    assert outcome is not None
    kind = kind_of(walk.tree, outcome)
    st.badge(kind.label, color=kind.colour, icon=f":material/{kind.icon}:")
    st.header(escape(outcome.title), anchor=False)
    _next_date(walk)
    docs = documents(walk)
    final: str | None = None
    handed = kind.hands_over
    if handed is None and kind.shows_document and docs.markdown is not None:
        # An explanation: the document is the result (its summary, sections and sources).
        with st.container(border=True):
            st.markdown(_without_title(docs.markdown))
    elif handed is None:
        st.markdown(escape(outcome.summary))
        _steps(outcome)
    elif kind.editable:
        st.markdown(f"#### {escape(kind.heading)}")
        purpose = kind.tone.get(handed, "public_reply")
        _left_out(docs, purpose)
        final = _editor(
            walk, state, update, part=handed, draft=docs.parts.get(handed) or docs.text,
            label=kind.edit_label, purpose=purpose, copy_label=kind.copy_label,
        )  # fmt: skip
    else:
        _handed(docs, kind, handed)
    if handed is not None:
        with st.expander("What to do, step by step", icon=":material/checklist:"):
            st.markdown(escape(outcome.summary))
            _steps(outcome)
        if kind.shows_document and docs.markdown is not None:
            with st.expander(kind.document, icon=":material/article:"):
                st.markdown(_without_title(docs.markdown))
    if outcome.fallback_reply:
        _fallback(walk, state, update, docs)
    if outcome.evidence:
        with st.expander(
            f"Evidence to gather ({len(outcome.evidence)} items)", icon=":material/fact_check:"
        ):
            _evidence(walk, state, update)
    if walk.deadlines:
        with st.expander("All the dates", icon=":material/event:"):
            show_deadlines(walk, heading="")
    # The edits and ticks made in this run are in the session's state, not in ``state``.
    _downloads(walk, update(lambda s: s), docs, final)
    with st.expander("Why this result, step by step", icon=":material/route:"):
        show_path(walk)
        st.caption("Something not right? Change any answer in “Your answers”.")
    with st.expander("See the whole decision map", icon=":material/account_tree:"):
        st.caption("Your way through it is highlighted.")
        show_diagram(walk)
