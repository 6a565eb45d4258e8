"""A question in the person's own case: ``{client_name}``, ``{project_title}``,
``{freelancer_name}`` and ``{contract_end}`` in its wording are filled from the case's facts.

What the person typed once is used wherever it helps ("Has Dana confirmed…"), and a fact they
left empty reads as plain words ("Has the client confirmed…"). ``triage check`` reports a
placeholder that is not one of these, with the nearest one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from triage.tree.model import CaseContext, Question

if TYPE_CHECKING:
    from triage.walk.engine import Walk
from triage.walk.dates import long_day

__all__ = ["PLACEHOLDERS", "as_asked", "fill", "placeholders", "text_as_asked", "worded"]

# Each placeholder: how the case's fact is written, and the words used when it is empty.
PLACEHOLDERS: dict[str, tuple[Callable[[CaseContext], str], str]] = {
    "client_name": (lambda c: c.client_name.strip(), "the {party}"),
    "project_title": (
        lambda c: f"“{c.project_title.strip()}”" if c.project_title.strip() else "",
        "the project",
    ),
    "freelancer_name": (lambda c: c.freelancer_name.strip(), "you"),
    "contract_end": (
        lambda c: long_day(c.contract_end) if c.contract_end else "",
        "the contract's end",
    ),
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Where a filled-in fallback opens a sentence, it gets a capital letter.
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")


def placeholders(text: str) -> Iterator[tuple[int, str]]:
    """(offset, name) of each ``{name}`` in ``text``."""
    for match in _PLACEHOLDER.finditer(text):
        yield match.start(), match.group(1)


def fill(text: str, context: CaseContext, party: str = "client") -> str:
    """``text`` with each known placeholder filled from ``context``; ``party`` is what the
    platform calls the reviewer (the tree's ``settings.other_party``), for an empty name."""
    if "{" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        known = PLACEHOLDERS.get(match.group(1))
        if known is None:
            return match.group(0)
        value_of, fallback = known
        value = value_of(context)
        if value:
            return value
        fallback = fallback.replace("{party}", party)
        before = text[: match.start()]
        return fallback[:1].upper() + fallback[1:] if _SENTENCE_START.search(before) else fallback

    return _PLACEHOLDER.sub(one, text)


def worded(question: Question, context: CaseContext, party: str = "client") -> Question:
    """``question`` with every text the person reads filled from the case."""
    return question.reworded(lambda text: fill(text, context, party))


def as_asked(walk: Walk, question: Question) -> Question:
    """``question`` as the person of ``walk`` reads it: their facts, their platform's words."""
    return worded(question, walk.case.context, walk.tree.settings.other_party)


def text_as_asked(walk: Walk, text: str) -> str:
    """One text of the tree as the person of ``walk`` reads it."""
    return fill(text, walk.case.context, walk.tree.settings.other_party)
