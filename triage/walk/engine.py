"""The walk: from a tree and a case to the path taken and the next question or the outcome.

The engine is pure. A :class:`Walk` is immutable; :meth:`Walk.answer` and :meth:`Walk.back`
return new walks. The page, the CLI, scripts and tests all go through :func:`start`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, cast

from triage.errors import AnswerError, TriageError, UnknownQuestionError, did_you_mean
from triage.tree.model import (
    AnswerValue,
    Case,
    Choice,
    Outcome,
    Question,
    Routed,
    Tree,
    question_types,
)
from triage.walk.conditions import Facts, facts_for, holds, known_dates
from triage.walk.dates import add_business_days, add_days

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


@dataclass(frozen=True)
class TreeFacts:
    """What every walk of one tree looks up, worked out once per tree (a batch walks one tree
    thousands of times): the choices of each question (a yes/no question builds its two
    choices on each ask) and their values. Nodes are told apart by their ``type`` rather than
    ``isinstance``, which a pydantic model class answers slowly."""

    choices: Mapping[str, tuple[Choice, ...]]
    values: Mapping[str, list[str]]
    early: tuple[str, ...]  # the deadlines shown before an outcome
    # The step out of a node that depends on its answer alone (a choice with its own go:, or a
    # node without conditional routes), by node and answer: filled in as walks meet them. Only
    # for answers from a closed set (yes/no, one choice, a branch's None). Steps are frozen,
    # so one can stand in every walk's path.
    steps: dict[str, dict[str | None, Step]] = field(default_factory=dict)
    # Nodes whose way on is the same for every answer and every date: no conditional routes
    # and no choice with its own go: (their otherwise: or go:), with that way once known.
    fixed_ways: frozenset[str] = frozenset()
    ways: dict[str, tuple[str, str, str]] = field(default_factory=dict)


_FACTS: dict[int, tuple[Tree, TreeFacts]] = {}  # id(tree) -> (the tree, its facts); a few trees
_NO_CHOICES: tuple[Choice, ...] = ()
_NO_VALUES: list[str] = []
_CHOSEN = question_types(lambda t: t.picks_one)  # answered by picking one choice
_FIXED = _CHOSEN | {"branch"}  # answers from a closed set (or none)
_DATED = question_types(lambda t: t.answers_date)


def tree_facts(tree: Tree) -> TreeFacts:
    """The :class:`TreeFacts` of ``tree``, computed on its first walk."""
    entry = _FACTS.get(id(tree))
    if entry is not None and entry[0] is tree:
        return entry[1]
    choices = {
        qid: tuple(question.choices) for qid, question in tree.questions.items() if question.choices
    }
    fixed_ways = frozenset(
        nid
        for nid, node in tree.nodes.items()
        if node.type != "outcome"
        and not cast(Routed, node).routes
        and not any(c.go for c in choices.get(nid, ()))
    )
    facts = TreeFacts(
        choices,
        {qid: [c.value for c in cs] for qid, cs in choices.items()},
        tuple(k for k, d in tree.deadlines.items() if d.early),
        fixed_ways=fixed_ways,
    )
    if len(_FACTS) >= 8:  # the page may hold several trees (uploads); keep the latest few
        _FACTS.clear()
    _FACTS[id(tree)] = (tree, facts)
    return facts


def normalise_answer(
    qid: str, question: Question, value: object, today: dt.date | None = None
) -> AnswerValue:
    """Check ``value`` against question ``qid`` and return it in its stored form.

    Raises :class:`AnswerError` naming the question and the allowed values.
    """
    return question.normalise(qid, value, today)


def route(node: Routed, answer: AnswerValue | None, facts: Facts) -> tuple[str, str, str] | None:
    """Where the walk goes from ``node`` given its answer: (next node, reason, way), or None."""
    question = cast(Question, node) if node.is_question else None
    choices = question.choices if question is not None and question.picks_one else ()
    return _route(node, answer, facts, choices)


def _route(
    node: Routed, answer: AnswerValue | None, facts: Facts, choices: tuple[Choice, ...]
) -> tuple[str, str, str] | None:
    """:func:`route` with the node's choices at hand."""
    kind: str = getattr(node, "type", "")
    if answer is not None and kind in _CHOSEN and isinstance(answer, str):
        for choice in choices:
            if choice.value == answer and choice.go:
                return choice.go, choice.label, f"choice:{choice.value}"
    for i, candidate in enumerate(node.routes):
        if holds(candidate.when, facts):
            return candidate.go, candidate.because, f"route:{i}"
    if node.otherwise is not None:
        return node.otherwise.go, node.otherwise.because, "otherwise"
    go: str | None = getattr(node, "go", None) if kind != "branch" else None  # questions' go:
    if go:
        return go, "", "go"
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
        return "complete" if self.tree.nodes[self.at].type == "outcome" else "needs_answer"

    @property
    def outcome(self) -> Outcome | None:
        node = self.tree.nodes[self.at]
        return node if node.type == "outcome" else None

    @property
    def question(self) -> Question | None:
        node = self.tree.nodes[self.at]
        return None if node.type in ("outcome", "branch") else cast(Question, node)

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
        if not node.is_question:
            raise AnswerError(qid, value, hint=f'"{qid}" is not a question')
        on_path = qid == self.at or any(s.node == qid for s in self.path)
        if not on_path:
            raise AnswerError(qid, value, hint=f'"{qid}" is not on this walk\'s path')
        stored = normalise_answer(qid, cast(Question, node), value, self.today)
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
        names = outcome.deadlines if outcome else tree_facts(self.tree).early
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
                "choices": [{"value": c.value, "label": c.label} for c in question.choices],
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

    ``dates`` are the walk's :func:`~triage.walk.conditions.known_dates`, when already at hand."""
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
    due = _due(anchor, rule.days, rule.business_days)
    return DeadlineDate(
        name=name,
        label=rule.label,
        date=due,
        days_left=(due - walk.today).days,
        business_days=rule.business_days,
        source=rule.source,
    )


@lru_cache(maxsize=4096)
def _due(anchor: dt.date, days: int, business_days: bool) -> dt.date:
    """The day ``days`` (business) days after ``anchor``; a batch meets the same few often."""
    return (add_business_days if business_days else add_days)(anchor, days)


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
    known = tree_facts(tree)
    nodes = tree.nodes
    answers = case.answers
    # The facts hold ``kept`` itself, so they see each new answer; the days since each date
    # change only when a date question is answered, and are counted again then. They are only
    # needed by conditional routes.
    facts: Facts | None = None
    steps, ways, fixed_ways = known.steps, known.ways, known.fixed_ways
    while True:
        if at in seen:
            raise DeadEndError(f'the tree loops back to "{at}"', "run triage check on the tree")
        seen.add(at)
        node = nodes.get(at)
        if node is None:
            raise DeadEndError(f'the tree points to a missing node "{at}"', "run triage check")
        kind = node.type
        if kind == "outcome":
            break
        answer: AnswerValue | None = None
        choices = known.choices.get(at, _NO_CHOICES)
        if kind != "branch":
            if at not in answers:
                break
            values = known.values.get(at, _NO_VALUES)
            answer = cast(Question, node).normalise(at, answers[at], today, values)
            kept[at] = answer
            if kind in _DATED:
                facts = None  # count the days again, with this date
        fixed = kind in _FIXED and (answer is None or answer.__class__ is str)
        memo = steps.get(at) if fixed else None
        taken = memo.get(answer) if memo is not None else None  # type: ignore[arg-type]
        if taken is None:
            routed = cast(Routed, node)
            way = ways.get(at)
            if way is None:
                if facts is None:
                    facts = facts_for(tree, case.context, kept, today)
                way = _route(routed, answer, facts, choices)
                if way is None:
                    raise DeadEndError(
                        f'no route leads on from "{at}"', "run triage check on the tree"
                    )
                if at in fixed_ways:
                    ways[at] = way
            taken = Step(node=at, answer=answer, reason=way[1], go=way[0], via=way[2])
            if fixed and (way[2].startswith("choice:") or not routed.routes):
                steps.setdefault(at, {})[answer] = taken  # type: ignore[index]
        path.append(taken)
        at = taken.go
    return Walk(tree=tree, case=case, path=tuple(path), at=at, answers=kept)
