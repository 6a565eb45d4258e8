"""One input per question type. Each is keyed by the question's id (``q_<id>``), so a
question's widget keeps its identity however the walk reached it."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.elements.lib.utils import LabelVisibility

from triage.tree.model import (
    AnswerValue,
    DateQuestion,
    ManyChoice,
    OneChoice,
    Question,
    TextQuestion,
    YesNo,
)
from triage.ui.text_marks import escape
from triage.walk.dates import read_day

__all__ = ["answer_text", "as_day", "day", "draw", "read", "widget_key"]


def widget_key(qid: str, value: str | None = None) -> str:
    """The session key of a question's widget (of one box, for several-choice questions)."""
    return f"q_{qid}" if value is None else f"q_{qid}__{value}"


def day(date: dt.date) -> str:
    """A date as people read it: 20 Nov 2026."""
    return f"{date.day} {date:%b %Y}"


def answer_text(question: Question, value: AnswerValue | None) -> str:
    """An answer in the words the person picked or typed (plain text, not escaped)."""
    if value is None:
        return "not answered"
    if isinstance(question, YesNo | OneChoice | ManyChoice):
        labels = {c.value: c.label for c in question.choices}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(v, v) for v in values) or "none ticked"
    if isinstance(question, DateQuestion) and isinstance(value, str):
        if not value:
            return "not known"
        try:
            return day(dt.date.fromisoformat(value))
        except ValueError:
            return value
    text = value if isinstance(value, str) else ", ".join(value)
    return text or "left empty"


def _label(question: Question) -> tuple[str, LabelVisibility]:
    """The input's label: the question's help where it has one, shown in grey under the
    heading (one element less than a caption of its own); else the question, read by screen
    readers only (the heading above shows it)."""
    if question.help:
        return f":gray[{escape(question.help)}]", "visible"
    return escape(question.ask), "collapsed"


def _radio(qid: str, question: YesNo | OneChoice, default: AnswerValue | None) -> object:
    choices = list(question.choices)
    values = [c.value for c in choices]
    labels = {c.value: escape(c.label) for c in choices}
    index = values.index(default) if isinstance(default, str) and default in values else None
    captions = [escape(c.help) for c in choices]
    short = len(values) <= 3 and all(len(c.label) <= 14 for c in choices) and not any(captions)
    label, visibility = _label(question)
    return st.radio(
        label,
        values,
        index=index,
        format_func=labels.__getitem__,
        captions=captions if any(captions) else None,
        horizontal=short,
        key=widget_key(qid),
        label_visibility=visibility,
    )


def _boxes(qid: str, question: ManyChoice, default: AnswerValue | None) -> list[str]:
    picked = set(default) if isinstance(default, list) else set()
    ticked: list[str] = []
    if question.help:
        st.caption(escape(question.help))
    for choice in question.choices:
        if st.checkbox(
            escape(choice.label), value=choice.value in picked, key=widget_key(qid, choice.value)
        ):
            ticked.append(choice.value)
        if choice.help:
            st.caption(escape(choice.help))
    return ticked


def _date(qid: str, question: DateQuestion, default: AnswerValue | None, today: dt.date) -> object:
    """A typed date, not a calendar: a calendar pop-up covers Continue on a phone, and a click
    on it changes the day. Any usual way of writing a date is read (see :func:`as_day`)."""
    value = default if isinstance(default, str) else ""
    hint = "e.g. 2026-11-18 or 18 Nov 2026" + (", or leave it empty" if question.optional else "")
    label, visibility = _label(question)
    typed = st.text_input(
        label, value=value, key=widget_key(qid), placeholder=hint, label_visibility=visibility
    )
    return as_day(typed, today)


def as_day(typed: object, today: dt.date) -> object:
    """What a date box holds as the engine takes it: ``YYYY-MM-DD`` when the text reads as one
    date, None when empty, else the text itself (the engine then says how to write it)."""
    if not isinstance(typed, str) or not typed.strip():
        return None
    try:
        return read_day(typed, today).isoformat()
    except ValueError:
        return typed


def _text(qid: str, question: TextQuestion, default: AnswerValue | None) -> str:
    value = default if isinstance(default, str) else ""
    # A short answer gets one line; a longer one a box.
    field = st.text_input if question.max_length <= 200 else st.text_area
    label, visibility = _label(question)
    typed = field(
        label,
        value=value,
        max_chars=question.max_length,
        key=widget_key(qid),
        label_visibility=visibility,
    )
    return typed or ""


def read(qid: str, question: Question, today: dt.date) -> object:
    """The raw value the question's widget holds now, as :func:`draw` returns it. Used by
    button callbacks, which run before the script draws the widgets again."""
    state = st.session_state
    if isinstance(question, ManyChoice):
        return [c.value for c in question.choices if state.get(widget_key(qid, c.value))]
    value = state.get(widget_key(qid))
    if isinstance(question, DateQuestion):
        return as_day(value, today)
    if isinstance(question, TextQuestion):
        return value or ""
    return value


def draw(qid: str, question: Question, default: AnswerValue | None, today: dt.date) -> object:
    """Draw the input for ``question`` (inside the caller's form), with its help, and return
    its raw value.

    ``default`` is the answer to show: the one given before, or the one kept through Back.
    Returns None when nothing is picked yet (radio, date).
    """
    if isinstance(question, YesNo | OneChoice):
        return _radio(qid, question, default)
    if isinstance(question, ManyChoice):
        return _boxes(qid, question, default)
    if isinstance(question, DateQuestion):
        return _date(qid, question, default, today)
    return _text(qid, question, default)
