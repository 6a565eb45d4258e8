"""The walk: from a tree and a case to the path taken and the next question or the outcome.

The engine is pure. A :class:`Walk` is immutable; :meth:`Walk.answer` and :meth:`Walk.back`
return new walks. The page, the CLI, scripts and tests all go through :func:`start`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from triage.conditions import Facts, facts_for, holds, known_dates
from triage.dates import add_business_days, add_days, parse_day
from triage.errors import AnswerError, TriageError, UnknownQuestionError, did_you_mean
from triage.model import (
    QUESTION_TYPES,
    AnswerValue,
    Branch,
    Case,
    DateQuestion,
    ManyChoice,
    OneChoice,
    Outcome,
    Question,
    Routed,
    TextQuestion,
    Tree,
    YesNo,
)

Status = Literal["complete", "needs_answer"]


class DeadEndError(TriageError):
    """The tree has no way on from a node for these answers. ``triage check`` finds these."""


@dataclass(frozen=True, slots=True)
class Step:
    """One node on the path: the answer given (None for a branch) and why the walk went on."""

    node: str
    answer: AnswerValue | None
    reason: str
    go: str
    via: str  # which way was taken: "choice:VALUE", "route:N", "otherwise" or "go"

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node, "answer": self.answer, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class DeadlineDate:
    name: str
    label: str
    date: dt.date
    days_left: int
    business_days: bool
    source: str | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "date": self.date.isoformat(), "days_left": self.days_left}


def normalise_answer(
    qid: str, question: Question, value: object, today: dt.date | None = None
) -> AnswerValue:
    """Check ``value`` against question ``qid`` and return it in its stored form.

    Raises :class:`AnswerError` naming the question and the allowed values.
    """
    if isinstance(question, YesNo | OneChoice):
        allowed = [c.value for c in question.choices]
        if isinstance(value, bool) and isinstance(question, YesNo):
            value = "yes" if value else "no"
        if not isinstance(value, str) or value not in allowed:
            raise AnswerError(qid, value, allowed)
        return value
    if isinstance(question, ManyChoice):
        allowed = [c.value for c in question.choices]
        picked = [value] if isinstance(value, str) else value
        if not isinstance(picked, list | tuple) or not all(isinstance(v, str) for v in picked):
            raise AnswerError(qid, value, allowed, hint="give a list of values")
        unknown = [v for v in picked if v not in allowed]
        if unknown:
            raise AnswerError(qid, unknown[0], allowed)
        alone = [c.label for c in question.choices if c.exclusive and c.value in picked]
        if alone and len(set(picked)) > 1:
            raise AnswerError(qid, picked, hint=f'"{alone[0]}" cannot be ticked with other choices')
        return [v for v in allowed if v in picked]  # choice order, no repeats
    if isinstance(question, DateQuestion):
        if question.optional and (value is None or (isinstance(value, str) and not value.strip())):
            return ""  # "I don't know": the date stays unknown
        try:
            day = value if isinstance(value, dt.date) else parse_day(str(value))
        except ValueError:
            raise AnswerError(qid, value, hint="write the date as YYYY-MM-DD") from None
        if today is not None and day > today and not question.allow_future:
            raise AnswerError(qid, day.isoformat(), hint="the day cannot be after today")
        return day.isoformat()
    assert isinstance(question, TextQuestion)
    if not isinstance(value, str):
        raise AnswerError(qid, value, hint="give a short text")
    text = value.replace("\x00", "").strip()
    if len(text) > question.max_length:
        raise AnswerError(
            qid, text[:40] + "…", hint=f"keep it under {question.max_length} characters"
        )
    return text


def route(node: Routed, answer: AnswerValue | None, facts: Facts) -> tuple[str, str, str] | None:
    """Where the walk goes from ``node`` given its answer: (next node, reason, way), or None."""
    if answer is not None and isinstance(node, YesNo | OneChoice) and isinstance(answer, str):
        for choice in node.choices:
            if choice.value == answer and choice.go:
                return choice.go, choice.label, f"choice:{choice.value}"
    for i, candidate in enumerate(node.routes):
        if holds(candidate.when, facts):
            return candidate.go, candidate.because, f"route:{i}"
    if node.otherwise is not None:
        return node.otherwise.go, node.otherwise.because, "otherwise"
    if isinstance(node, QUESTION_TYPES) and node.go:
        return node.go, "", "go"
    return None


@dataclass(frozen=True)
class Walk:
    """Where a case stands in a tree. Build one with :func:`start`."""

    tree: Tree
    case: Case
    path: tuple[Step, ...]
    at: str
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)

    @property
    def status(self) -> Status:
        return "complete" if isinstance(self.tree.nodes[self.at], Outcome) else "needs_answer"

    @property
    def outcome(self) -> Outcome | None:
        node = self.tree.nodes[self.at]
        return node if isinstance(node, Outcome) else None

    @property
    def question(self) -> Question | None:
        node = self.tree.nodes[self.at]
        return node if isinstance(node, QUESTION_TYPES) else None

    @property
    def today(self) -> dt.date:
        return self.case.on()

    @property
    def asked(self) -> tuple[Step, ...]:
        """The steps that were questions (branches left out)."""
        return tuple(s for s in self.path if s.answer is not None)

    def answer(self, value: object, question: str | None = None) -> Walk:
        """A new walk with ``value`` as the answer to ``question`` (default: the current one).

        Answering an earlier question keeps the later answers that are still on the new path.
        """
        qid = question or self.at
        node = self.tree.nodes.get(qid)
        if node is None:
            raise UnknownQuestionError(qid, did_you_mean(qid, self.tree.questions))
        if not isinstance(node, QUESTION_TYPES):
            raise AnswerError(qid, value, hint=f'"{qid}" is not a question')
        on_path = qid == self.at or any(s.node == qid for s in self.path)
        if not on_path:
            raise AnswerError(qid, value, hint=f'"{qid}" is not on this walk\'s path')
        stored = normalise_answer(qid, node, value, self.today)
        # The re-walk keeps the later answers still on the new path and drops the rest.
        answers = {**self.answers, qid: stored}
        return start(self.tree, self.case.model_copy(update={"answers": answers}))

    def back(self) -> Walk:
        """A new walk with the last answer taken back (the same walk if nothing was answered)."""
        asked = self.asked
        if not asked:
            return self
        answers = {k: v for k, v in self.answers.items() if k != asked[-1].node}
        return start(self.tree, self.case.model_copy(update={"answers": answers}))

    @property
    def deadlines(self) -> tuple[DeadlineDate, ...]:
        """The outcome's deadlines; before an outcome, the ones marked ``early``."""
        outcome = self.outcome
        names = (
            outcome.deadlines if outcome else [k for k, d in self.tree.deadlines.items() if d.early]
        )
        dates = known_dates(self.tree, self.case.context, self.answers)
        found = (deadline_date(self, n, dates) for n in names)
        return tuple(d for d in found if d is not None)

    def to_case(self) -> Case:
        """The case with only the answers on the path: what to save or share."""
        return self.case.model_copy(update={"answers": dict(self.answers)})

    def to_json(self) -> dict[str, Any]:
        """The ``triage walk`` JSON (see DESIGN.md)."""
        question = self.question
        outcome = self.outcome
        return {
            "tree": self.tree.id,
            "status": self.status,
            "next": None
            if question is None
            else {
                "id": self.at,
                "ask": question.ask,
                "type": question.type,
                "choices": [
                    {"value": c.value, "label": c.label} for c in getattr(question, "choices", ())
                ],
            },
            "outcome": None
            if outcome is None
            else {
                "id": self.at,
                "kind": outcome.kind,
                "ground": outcome.ground,
                "title": outcome.title,
            },
            "path": [s.to_json() for s in self.path],
            "deadlines": [d.to_json() for d in self.deadlines],
        }


def deadline_date(
    walk: Walk, name: str, dates: Mapping[str, dt.date | None] | None = None
) -> DeadlineDate | None:
    """Compute one named deadline, or None when the date it counts from is unknown.

    ``dates`` are the walk's :func:`~triage.conditions.known_dates`, when already at hand."""
    rule = walk.tree.deadlines.get(name)
    if rule is None:
        return None
    anchor: dt.date | None
    if rule.from_ == "today":
        anchor = walk.today
    else:
        if dates is None:
            dates = known_dates(walk.tree, walk.case.context, walk.answers)
        anchor = dates.get(rule.from_)
    if not isinstance(anchor, dt.date):
        return None
    due = (add_business_days if rule.business_days else add_days)(anchor, rule.days)
    return DeadlineDate(
        name=name,
        label=rule.label,
        date=due,
        days_left=(due - walk.today).days,
        business_days=rule.business_days,
        source=rule.source,
    )


def start(tree: Tree, case: Case) -> Walk:
    """Walk ``tree`` with the case's answers as far as they go.

    Answers off the resulting path are dropped. Raises :class:`UnknownQuestionError` for an
    answer to a question the tree lacks, :class:`AnswerError` for an answer that does not fit
    its question, and :class:`DeadEndError` if the tree has no way on (``triage check`` finds
    those before a tree ships).
    """
    questions = tree.questions
    for qid in case.answers:
        if qid not in questions:
            raise UnknownQuestionError(qid, did_you_mean(qid, questions))
    today = case.on()
    kept: dict[str, AnswerValue] = {}
    path: list[Step] = []
    at = tree.start
    seen: set[str] = set()
    while True:
        if at in seen:
            raise DeadEndError(f'the tree loops back to "{at}"', "run triage check on the tree")
        seen.add(at)
        node = tree.nodes.get(at)
        if node is None:
            raise DeadEndError(f'the tree points to a missing node "{at}"', "run triage check")
        if isinstance(node, Outcome):
            break
        answer: AnswerValue | None = None
        if not isinstance(node, Branch):
            if at not in case.answers:
                break
            answer = normalise_answer(at, node, case.answers[at], today)
            kept[at] = answer
        facts = facts_for(tree, case.context, kept, today)
        step = route(node, answer, facts)
        if step is None:
            raise DeadEndError(f'no route leads on from "{at}"', "run triage check on the tree")
        path.append(Step(node=at, answer=answer, reason=step[1], go=step[0], via=step[2]))
        at = step[0]
    return Walk(tree=tree, case=case, path=tuple(path), at=at, answers=kept)
