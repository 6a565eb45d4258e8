"""How far along a walk is: questions answered against the most that could still come."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from triage.walk.engine import Walk

__all__ = ["Progress", "progress"]


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
