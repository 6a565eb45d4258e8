"""The first screen: the review, the client's messages, the contract's facts, and the platform.

Not a form on purpose: every field is kept (and mirrored in the link) as soon as the person
leaves it, so nothing typed is lost on a refresh, and the pre-screen updates as they paste.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import streamlit as st
from annotated_types import MaxLen

from triage.text.prescreen import ScreenResult, Signal, screen
from triage.tree.model import CaseContext, IntakeField, Tree
from triage.ui.state import PageState
from triage.ui.text_marks import Mark, escape, excerpts, highlight
from triage.walk.dates import long_day, read_day

__all__ = ["IntakeResult", "fill_first_screen", "show_intake", "show_screen"]


def _limit(field: str) -> int:
    """The case's own length limit for a context field, so the form and the case file agree."""
    return next(
        m.max_length for m in CaseContext.model_fields[field].metadata if isinstance(m, MaxLen)
    )


class IntakeResult:
    """What the intake produced this run: the new state, and whether to go on to the questions."""

    def __init__(self, state: PageState, go: bool, back: bool = False) -> None:
        self.state = state
        self.go = go
        self.back = back


def _end_date(typed: str, today: dt.date) -> tuple[dt.date | None, str]:
    """The contract's end date as typed, or why it can't be used."""
    if not typed.strip():
        return None, ""
    try:
        day = read_day(typed, today)
    except ValueError as error:
        return None, str(error)
    if day > today:
        return None, "That day is after today. If the contract is still open, tick the box above."
    if day < today - dt.timedelta(days=3653):
        return None, "That day is more than ten years ago; check the year."
    return day, ""


def _context(
    state: PageState, today: dt.date, fields: Sequence[IntakeField], party: str = "client"
) -> tuple[CaseContext, bool]:
    """The case's facts the tree asks for (``fields``); the others are kept as they are.
    ``party``: what the platform calls the reviewer (client, buyer, guest…)."""
    ctx = state.context
    update: dict[str, object] = {}
    running = state.running
    if "review_text" in fields:
        update["review_text"] = (
            st.text_area(
                f"The review, as the {party} wrote it",
                value=ctx.review_text,
                max_chars=_limit("review_text"),
                height=150,
                key="in_review",
                placeholder="Paste the review here, e.g. “Missed the deadline. Would not hire "
                "again.”",
                help="Copy it from your profile or the contract page. It stays on this page.",
            )
            or ""
        )
    names = [f for f in ("client_name", "project_title", "freelancer_name") if f in fields]
    for column, name in zip(st.columns(len(names)) if names else [], names, strict=True):
        label, key = _NAMES[name]
        label = label.replace("Client", party[:1].upper() + party[1:])
        with column:
            typed = st.text_input(label, value=getattr(ctx, name), max_chars=_limit(name), key=key)
        update[name] = (typed or "").strip()
    dated = [f for f in ("contract_end", "rating", "review_date") if f in fields]
    if dated:
        left, right = st.columns(2)
        if "rating" in fields or "review_date" in fields:
            with right:
                if "rating" in fields:
                    update["rating"] = st.number_input(
                        f"Stars the {party} gave",
                        min_value=0.0,
                        max_value=5.0,
                        value=ctx.rating,
                        step=0.5,
                        format="%.2f",
                        key="in_rating",
                        placeholder="e.g. 1.00",
                        help="The overall rating shown with the review, from 0 to 5.",
                    )
                if "review_date" in fields:
                    typed_review_day = st.text_input(
                        "Review date (optional)",
                        value=ctx.review_date.isoformat() if ctx.review_date else "",
                        key="in_review_date",
                        placeholder="e.g. 21 Nov 2026",
                        help="The day the review appeared. A report shows it came after the "
                        f"{party}'s demand, so the date helps.",
                    )
                    review_day, review_problem = _end_date(typed_review_day or "", today)
                    if review_problem:
                        st.caption(
                            f":orange[{escape(review_problem.replace('the box above', 'the box'))}]"
                        )
                    update["review_date"] = review_day
        if "contract_end" in fields:
            with left if ("rating" in fields or "review_date" in fields) else st.container():
                running, update["contract_end"] = _contract_end(state, today)
    if "messages" in fields:
        with st.expander(f"Add the {party}'s messages (optional)", icon=":material/forum:"):
            update["messages"] = (
                st.text_area(
                    f"Messages from the {party}",
                    value=ctx.messages,
                    max_chars=_limit("messages"),
                    height=150,
                    key="in_messages",
                    placeholder=f"Paste any messages where the {party} asked for something or "
                    "mentioned the review.",
                    help="Threats or offers made in messages can matter for a report.",
                )
                or ""
            )
    return ctx.model_copy(update=update), running


_NAMES = {
    "client_name": ("Client's name", "in_client"),
    "project_title": ("Project title", "in_project"),
    "freelancer_name": ("Your name", "in_freelancer"),
}


def _contract_end(state: PageState, today: dt.date) -> tuple[bool, dt.date | None]:
    """The "still running" box and the end date under it."""
    ctx = state.context
    running = st.checkbox("The contract is still running", value=state.running, key="in_running")
    # Typed, not picked: a calendar pop-up covers the buttons below it on a phone, and a
    # click on it changes the day. Any usual way of writing a date is read.
    typed = st.text_input(
        "Contract end date",
        value=ctx.contract_end.isoformat() if ctx.contract_end and not running else "",
        key="in_end",
        disabled=running,
        placeholder="e.g. 2026-11-20 or 20 Nov 2026",
        help="On the contract's page on the platform. Leave it empty if you're not sure.",
    )
    end, problem = _end_date(typed or "", today)
    if problem and not running:
        st.caption(f":orange[{escape(problem)}]")
    elif end is not None and not running:
        st.caption(f"Read as {long_day(end)}.")
    return running, None if running else end


def _marks(signals: Sequence[Signal], source: str) -> list[Mark]:
    return [Mark(s.start, s.end) for s in signals if s.source == source]


def show_screen(
    result: ScreenResult,
    review: str,
    messages: str,
    names: Mapping[str, str],
    party: str = "client",
) -> None:
    """The pre-screen: phrases that hint at a removal ground, highlighted in the person's text.
    ``names``: each ground in the tree's own words (a ground the tree doesn't have is not named)."""
    if not result.signals:
        return
    with st.container(border=True):
        st.markdown("**Phrases worth a closer look**")
        in_review = _marks(result.signals, "review")
        if in_review:
            st.markdown(highlight(review, in_review))
        in_messages = _marks(result.signals, "messages")
        if in_messages:
            st.markdown(f"In the {party}'s messages:")
            st.markdown("\n".join("- " + e for e in excerpts(messages, in_messages, width=60)[:6]))
        grounds = [g for g in result.suggested_grounds if g in names]
        if grounds:
            words = " or ".join(f"**{escape(names[g])}**" for g in grounds)
            reason = "reasons" if len(grounds) > 1 else "a reason"
            st.markdown(
                f"This may point to {words}: {reason} the platform can remove a review for."
            )
        st.caption("Only a hint: you decide in the questions, and the platform decides on reports.")


def _missing(context: CaseContext, running: bool, fields: Sequence[IntakeField]) -> list[str]:
    """What would help before the questions, and why (only what the tree asks for)."""
    missing = []
    if "review_text" in fields and not context.review_text.strip():
        missing.append(
            "paste the review if you can see it: the questions, the report and the reply quote "
            "it, and the tool looks in it for reasons the platform removes reviews for."
        )
    if "contract_end" in fields and context.contract_end is None and not running:
        missing.append(
            "give the contract's end date, or tick “The contract is still running”: the "
            "platform's deadlines count from it."
        )
    return [m[:1].upper() + m[1:] for m in missing]


def show_intake(
    state: PageState,
    tree: Tree,
    today: dt.date,
    ground_names: Mapping[str, str],
    *,
    can_go_back: bool = False,
) -> IntakeResult:
    """Draw the tree's first screen (the facts its ``intake:`` asks for) and return the state
    it describes. ``can_go_back``: offer a way back to the start screen."""
    offer = tree.offer
    if can_go_back and st.button(
        "Something else", key="in_back", type="tertiary", icon=":material/arrow_back:"
    ):
        return IntakeResult(state, go=False, back=True)
    st.title(escape(offer.heading if offer and offer.heading else tree.title), anchor=False)
    if offer and offer.intro:
        st.markdown(escape(offer.intro))
    fields = tree.intake
    context, running = _context(state, today, fields, tree.settings.other_party)
    if context.review_text.strip() or context.messages.strip():
        # Only then: an empty page never loads the pre-screen's rules.
        show_screen(
            screen(context.review_text, context.messages),
            context.review_text,
            context.messages,
            ground_names,
            tree.settings.other_party,
        )
    new = replace(state, context=context, running=running)
    label = "Continue to the questions" if state.answers else "Start"
    go = st.button(label, type="primary", key="in_start", icon=":material/arrow_forward:")
    missing = _missing(context, running, fields)
    if go and missing and not st.session_state.get("in_anyway"):
        # Asked once: the person may have no review to paste (private feedback, a score drop).
        st.session_state["in_anyway"] = True
        st.warning(
            "Before you start: " + " ".join(missing) + " Press the button again to start anyway.",
            icon=":material/info:",
        )
        go = False
    st.caption(
        ":material/link: What you enter is kept in this page's link, so a refresh won't lose it. "
        "Anyone you share the link with can see it."
    )
    return IntakeResult(new, go)


def fill_first_screen(at: Any, context: CaseContext) -> None:
    """Type ``context`` into the fields the first screen shows, in an AppTest page (``at``), as a
    person would: the one way the AppTest tests and the page benchmark fill it. A fact the tree's
    first screen doesn't ask for is not typed."""
    shown = {w.key for kind in ("text_area", "text_input") for w in getattr(at, kind)}
    for key, value in (
        ("in_review", context.review_text),
        ("in_client", context.client_name),
        ("in_project", context.project_title),
        ("in_freelancer", context.freelancer_name),
    ):
        if key in shown:
            (at.text_area if key == "in_review" else at.text_input)(key=key).set_value(value)
    if context.rating is not None and any(w.key == "in_rating" for w in at.number_input):
        at.number_input(key="in_rating").set_value(context.rating)
    if context.contract_running and any(w.key == "in_running" for w in at.checkbox):
        at.checkbox(key="in_running").check()
    for key, day in (("in_end", context.contract_end), ("in_review_date", context.review_date)):
        if day is not None and key in shown:
            at.text_input(key=key).set_value(day.isoformat())
    if context.messages and "in_messages" in shown:
        at.text_area(key="in_messages").set_value(context.messages)
