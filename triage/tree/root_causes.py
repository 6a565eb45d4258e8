"""Problems that follow from another: a misspelt ``go:`` target leaves the nodes behind it
unreachable, paths without an outcome and scenarios that fail. Shown under the real problem,
so an author sees one problem first, not sixty."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from triage.errors import Problem

__all__ = ["FOLLOWS", "ROOTS", "Group", "group_problems"]

# A reference to a node that doesn't exist breaks the graph; these then follow from it.
ROOTS = frozenset({"bad-reference"})
FOLLOWS = frozenset(
    {"unreachable", "no-outcome-path", "scenario-failed", "untested-outcome", "scenario-answer"}
)


@dataclass(frozen=True)
class Group:
    """A problem, and the problems that may follow from it (empty for most)."""

    problem: Problem
    follow: tuple[Problem, ...] = ()


def group_problems(problems: Sequence[Problem]) -> list[Group]:
    """Every problem once, in order; when a broken reference is among the errors, the problems
    that a broken graph causes are listed under the first such reference instead."""
    roots = [p for p in problems if p.code in ROOTS and p.severity == "error"]
    if not roots:
        return [Group(p) for p in problems]
    follow = tuple(p for p in problems if p.code in FOLLOWS)
    groups: list[Group] = []
    for problem in problems:
        if problem.code in FOLLOWS:
            continue
        groups.append(Group(problem, follow if problem is roots[0] else ()))
    return groups
