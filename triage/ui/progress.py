"""How far along a walk is: questions answered against the most that could still come."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from triage.tree.model import Tree
from triage.tree.topology import successors
from triage.walk.engine import Walk

__all__ = ["Progress", "most_questions_left", "progress"]


def most_questions_left(tree: Tree) -> dict[str, int]:
    """For every node, the most questions (itself included) on any way from it to an outcome.

    Iterative, and safe on trees with loops (a loop is cut where it closes), so a tree that
    ``triage check`` would reject still gets an estimate instead of an error.
    """
    succ = successors(tree)
    best: dict[str, int] = {}
    for root in tree.nodes:
        if root in best:
            continue
        on_stack: set[str] = {root}
        stack: list[tuple[str, list[str]]] = [(root, list(succ.get(root, ())))]
        while stack:
            node, todo = stack[-1]
            while todo and (todo[-1] in best or todo[-1] in on_stack):
                todo.pop()
            if todo:
                child = todo.pop()
                on_stack.add(child)
                stack.append((child, list(succ.get(child, ()))))
                continue
            stack.pop()
            on_stack.discard(node)
            own = 1 if tree.nodes[node].is_question else 0
            best[node] = own + max((best.get(c, 0) for c in succ.get(node, ())), default=0)
    return best


@dataclass(frozen=True, slots=True)
class Progress:
    """``number`` is the current question's position; ``most`` the most it could take in all."""

    number: int
    most: int
    finished: bool = False

    @property
    def fraction(self) -> float:
        if self.finished or self.most <= 0:
            return 1.0
        return min(1.0, (self.number - 1) / self.most)


def progress(walk: Walk, left: Mapping[str, int]) -> Progress:
    """Where ``walk`` stands: the question it is on, and the most questions the walk could take."""
    done = len(walk.asked)
    if walk.outcome is not None:
        return Progress(done, done, finished=True)
    return Progress(done + 1, done + max(1, left.get(walk.at, 1)))
