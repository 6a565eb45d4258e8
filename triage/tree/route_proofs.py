"""Are a node's conditional routes exhaustive, and do they overlap?

Conditions are data, so this is decided exactly by trying every combination that matters: each
choice of each question a condition names (and "not answered", unless every way to the node
answers it), and, for day counts, the values either side of every threshold plus "date unknown".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from triage.tree.model import (
    OTHER_VALUE,
    AnswerValue,
    DateQuestion,
    Routed,
    Tree,
)
from triage.walk.conditions import Facts, holds, walk_conditions

MAX_COMBINATIONS = 20_000
_OTHER = OTHER_VALUE


@dataclass(frozen=True, slots=True)
class RouteFinding:
    """``kind`` is "overlap" (``routes`` both hold) or "gap" (nothing holds)."""

    kind: str
    routes: tuple[int, ...]
    example: str


def _subjects(node: Routed) -> tuple[dict[str, set[str]], dict[str, set[int]], bool]:
    questions: dict[str, set[str]] = {}
    days: dict[str, set[int]] = {}
    running = False
    for candidate in node.routes:
        for c in walk_conditions(candidate.when):
            if c.running is not None:
                running = True
            elif c.question is not None:
                values = questions.setdefault(c.question, set())
                values.update(v for v in (c.is_, c.is_not, c.includes) if v is not None)
                values.update(c.in_ or ())
            elif c.days_since is not None:
                # 0 stands for "the date is known" when only ``known:`` is tested.
                marks = days.setdefault(c.days_since, {0})
                for n in (c.at_least, c.at_most, c.more_than, c.less_than):
                    if n is not None:
                        marks.update((n - 1, n, n + 1))
    return questions, days, running


def _answer_domain(
    tree: Tree, qid: str, mentioned: set[str], own: Routed | None
) -> list[AnswerValue]:
    node = tree.questions.get(qid)
    if node is None:
        return [*sorted(mentioned), _OTHER]
    # A choice with its own "go" never reaches the routes of its own question.
    return node.probe_values(mentioned, skip_own_go=node is own)


def find(
    tree: Tree,
    node_id: str,
    node: Routed,
    always_answered: Callable[[str], bool],
) -> list[RouteFinding] | None:
    """Overlaps and gaps among ``node``'s routes; None if there are too many combinations.

    ``always_answered(subject)`` tells whether every way from the start to this node answers
    that question or date question, so "not answered" need not be tried.
    """
    if not node.routes:
        return []
    questions, days, running = _subjects(node)
    axes: list[tuple[str, str, Sequence[object]]] = []
    if running:
        axes.append(("running", "running", [False, True]))
    for qid, mentioned in questions.items():
        domain: list[object] = list(
            _answer_domain(tree, qid, mentioned, node if qid == node_id else None)
        )
        if qid != node_id and not always_answered(qid):
            domain.append(None)
        axes.append(("answer", qid, domain))
    for subject, marks in days.items():
        day_domain: list[object] = [*sorted(marks)]
        dated = isinstance(tree.nodes.get(subject), DateQuestion) and always_answered(subject)
        if not dated:
            day_domain.append(None)
        axes.append(("days", subject, day_domain))
    total = 1
    for _, _, values in axes:
        total *= max(1, len(values))
    if total > MAX_COMBINATIONS:
        return None
    own_answer_needed = node_id in tree.questions and node_id not in questions
    fallback = node.otherwise is not None or bool(getattr(node, "go", None))
    findings: list[RouteFinding] = []
    seen: set[tuple[str, tuple[int, ...]]] = set()
    for combo in itertools.product(*(d for _, _, d in axes)):
        answers: dict[str, AnswerValue] = {}
        day_counts: dict[str, int | None] = {}
        is_running = False
        for (kind, name, _), value in zip(axes, combo, strict=True):
            if kind == "running":
                is_running = bool(value)
            elif kind == "answer" and value is not None:
                answers[name] = value  # type: ignore[assignment]
            elif kind == "days":
                day_counts[name] = value  # type: ignore[assignment]
        if own_answer_needed:
            answers.setdefault(node_id, _OTHER)
        facts = Facts(answers=answers, days_since=day_counts, running=is_running)
        matched = tuple(i for i, r in enumerate(node.routes) if holds(r.when, facts))
        if len(matched) > 1:
            key = ("overlap", matched[:2])
            if key not in seen:
                seen.add(key)
                findings.append(RouteFinding("overlap", matched[:2], _describe(axes, combo)))
        elif not matched and not fallback and ("gap", ()) not in seen:
            seen.add(("gap", ()))
            findings.append(RouteFinding("gap", (), _describe(axes, combo)))
    return findings


def _describe(axes: Sequence[tuple[str, str, Sequence[object]]], combo: Sequence[object]) -> str:
    parts = []
    for (kind, name, _), value in zip(axes, combo, strict=True):
        if kind == "running":
            parts.append("the contract is still running" if value else "it is not running")
        elif kind == "days":
            parts.append(f"{name} is unknown" if value is None else f"{value} days since {name}")
        elif value is None:
            parts.append(f'"{name}" is not answered')
        elif isinstance(value, list):
            shown = ", ".join(value) or "nothing"
            parts.append(f'"{name}" has {shown} ticked')
        else:
            parts.append(f'"{name}" is {value}')
    return " and ".join(parts) or "always"
