"""Evaluate the structured conditions of conditional routes. No ``eval``: a condition is data.

A condition looks at two kinds of facts, gathered in :class:`Facts`:
- answers given earlier on the path (unanswered questions make ``is``/``is_not``/``in``/
  ``includes`` false; only ``answered: false`` is true for them);
- whole days since a date (a context date or a date question), counted to the case's day.
  When that date is unknown, every comparison is false and only ``known: false`` holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from triage.tree.model import CONTEXT_DATES, AnswerValue, CaseContext, Condition, Tree


@dataclass(frozen=True)
class Facts:
    """What conditions may look at: answers on the path so far, and days since known dates."""

    answers: Mapping[str, AnswerValue]
    days_since: Mapping[str, int | None]
    running: bool = False


def date_subjects(tree: Tree) -> tuple[str, ...]:
    """Names a ``days_since`` or a deadline's ``from`` may use in this tree."""
    return CONTEXT_DATES + tuple(tree.date_questions)


def known_dates(
    tree: Tree, context: CaseContext, answers: Mapping[str, AnswerValue]
) -> dict[str, dt.date | None]:
    """Every date subject of the tree, with its value if known. A date question with ``fills``
    stands in for that case date when the case leaves it empty."""
    dates: dict[str, dt.date | None] = {name: getattr(context, name) for name in CONTEXT_DATES}
    for name, question in tree.date_questions.items():
        value = answers.get(name)
        day = dt.date.fromisoformat(value) if isinstance(value, str) and value else None
        dates[name] = day
        if day is not None and question.fills is not None and dates.get(question.fills) is None:
            dates[question.fills] = day
    return dates


def facts_for(
    tree: Tree, context: CaseContext, answers: Mapping[str, AnswerValue], today: dt.date
) -> Facts:
    dates = known_dates(tree, context, answers)
    return Facts(
        answers=answers,
        days_since={k: (today - v).days if v else None for k, v in dates.items()},
        running=context.contract_running,
    )


def holds(condition: Condition, facts: Facts) -> bool:
    """True when ``condition`` holds for ``facts``."""
    if condition.all_ is not None:
        return all(holds(c, facts) for c in condition.all_)
    if condition.any_ is not None:
        return any(holds(c, facts) for c in condition.any_)
    if condition.not_ is not None:
        return not holds(condition.not_, facts)
    if condition.question is not None:
        return _answer_holds(condition, facts.answers.get(condition.question))
    if condition.running is not None:
        return facts.running == condition.running
    assert condition.days_since is not None  # the model guarantees one subject
    return _days_hold(condition, facts.days_since.get(condition.days_since))


def _answer_holds(condition: Condition, answer: AnswerValue | None) -> bool:
    if condition.answered is not None:
        return (answer is not None) == condition.answered
    if answer is None:
        return False
    if condition.includes is not None:
        return isinstance(answer, list) and condition.includes in answer
    if isinstance(answer, list):
        # "is" on a several-choice answer would be ambiguous; authors use "includes".
        return False
    if condition.is_ is not None:
        return answer == condition.is_
    if condition.is_not is not None:
        return answer != condition.is_not
    return condition.in_ is not None and answer in condition.in_


def _days_hold(condition: Condition, days: int | None) -> bool:
    if condition.known is not None and (days is not None) != condition.known:
        return False
    bounds = (condition.at_least, condition.at_most, condition.more_than, condition.less_than)
    if all(b is None for b in bounds):
        return True  # only "known" was asked, and it held
    if days is None:
        return False
    return (
        (condition.at_least is None or days >= condition.at_least)
        and (condition.at_most is None or days <= condition.at_most)
        and (condition.more_than is None or days > condition.more_than)
        and (condition.less_than is None or days < condition.less_than)
    )


def walk_conditions(condition: Condition) -> Iterator[Condition]:
    """This condition and every condition nested in it."""
    yield condition
    for child in (condition.all_ or ()) + (condition.any_ or ()):
        yield from walk_conditions(child)
    if condition.not_ is not None:
        yield from walk_conditions(condition.not_)
