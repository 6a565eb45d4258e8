"""One input per question type. Each is keyed by the question's id (``q_<id>``), so a
question's widget keeps its identity however the walk reached it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple, cast

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
from triage.walk.dates import read_day, short_day

__all__ = ["INPUTS", "as_day", "day", "draw", "fill", "read", "widget_key"]


def widget_key(qid: str, value: str | None = None) -> str:
    """The session key of a question's widget (of one box, for several-choice questions)."""
    return f"q_{qid}" if value is None else f"q_{qid}__{value}"


day = short_day  # a date as people read it: 20 Nov 2026


def _label(question: Question) -> tuple[str, LabelVisibility]:
    """The input's label: the question's help where it has one, shown in grey under the
    heading (one element less than a caption of its own); else the question, read by screen
    readers only (the heading above shows it)."""
    if question.help:
        return f":gray[{escape(question.help)}]", "visible"
    return escape(question.ask), "collapsed"


def _radio(
    qid: str, question: YesNo | OneChoice, default: AnswerValue | None, today: dt.date
) -> object:
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


def _boxes(
    qid: str, question: ManyChoice, default: AnswerValue | None, today: dt.date
) -> list[str]:
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


def _boxed(question: TextQuestion) -> bool:
    """A short answer gets one line; a longer one a box."""
    return question.max_length > 200


def _text(qid: str, question: TextQuestion, default: AnswerValue | None, today: dt.date) -> str:
    value = default if isinstance(default, str) else ""
    field = st.text_area if _boxed(question) else st.text_input
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
    return INPUTS[question.widget].read(qid, question, st.session_state, today)


def draw(qid: str, question: Question, default: AnswerValue | None, today: dt.date) -> object:
    """Draw the input for ``question`` (inside the caller's form), with its help, and return
    its raw value.

    ``default`` is the answer to show: the one given before, or the one kept through Back.
    Returns None when nothing is picked yet (radio, date).
    """
    return INPUTS[question.widget].draw(qid, question, default, today)


def fill(at: Any, qid: str, question: Question, value: AnswerValue) -> None:
    """Set ``question``'s input to ``value`` in an AppTest page (``at``), as a person would:
    the one way the AppTest tests and the page benchmark answer a question."""
    INPUTS[question.widget].fill(at, qid, question, value)


def _fill_boxes(at: Any, qid: str, question: Question, value: AnswerValue) -> None:
    picked = value if isinstance(value, list) else [value]
    for choice in question.choices:
        at.checkbox(key=widget_key(qid, choice.value)).set_value(choice.value in picked)


def _fill_text(at: Any, qid: str, question: Question, value: AnswerValue) -> None:
    box = at.text_area if _boxed(cast(TextQuestion, question)) else at.text_input
    box(key=widget_key(qid)).set_value(value)


class Input(NamedTuple):
    """One of the page's inputs: drawing it, reading what it holds from the session (button
    callbacks run before the widgets are drawn again), and filling it in an AppTest page."""

    draw: Callable[[str, Any, AnswerValue | None, dt.date], object]
    read: Callable[[str, Question, Any, dt.date], object]
    fill: Callable[[Any, str, Question, AnswerValue], None]


# The input for each ``widget`` name a question type gives (triage/tree/model.py).
INPUTS: dict[str, Input] = {
    "radio": Input(
        _radio,
        lambda qid, q, state, today: state.get(widget_key(qid)),
        lambda at, qid, q, value: at.radio(key=widget_key(qid)).set_value(value),
    ),
    "boxes": Input(
        _boxes,
        lambda qid, q, state, today: [
            c.value for c in q.choices if state.get(widget_key(qid, c.value))
        ],
        _fill_boxes,
    ),
    "date": Input(
        _date,
        lambda qid, q, state, today: as_day(state.get(widget_key(qid)), today),
        lambda at, qid, q, value: at.text_input(key=widget_key(qid)).set_value(value),
    ),
    "text": Input(_text, lambda qid, q, state, today: state.get(widget_key(qid)) or "", _fill_text),
}
