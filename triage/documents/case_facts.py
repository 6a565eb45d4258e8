"""Named facts about a finished walk, worked out once for the documents.

Templates hold wording; what they say about the case comes from here: which removal grounds the
answers support, the case's dates (with ``fills:`` applied), the person's own sentences and what
the tone check says of them, the client's words found in the pasted messages (with the date of
the message where one is given), the dates and praise found in the review.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from triage.text.prescreen import screen
from triage.text.tone import Finding, Purpose, check
from triage.tree.model import Tree
from triage.walk.conditions import facts_for, holds, known_dates, walk_conditions
from triage.walk.dates import find_days
from triage.walk.engine import Walk

__all__ = [
    "OwnLine",
    "Quote",
    "dates_in",
    "ground_questions",
    "grounds_found",
    "own_lines",
    "praise_in",
    "quotes_in",
    "walk_dates",
]


def dates_in(text: str, today: dt.date) -> Iterator[tuple[int, dt.date]]:
    """Every date written in ``text`` with its position (see :func:`triage.walk.dates.find_days`),
    from 1990 up to ``today``: the dates of messages and events that already happened."""
    for at, day in find_days(text, today):
        if dt.date(1990, 1, 1) <= day <= today:
            yield at, day


@dataclass(frozen=True)
class Quote:
    """A sentence of the client's messages that the pre-screen flagged, and the day it was sent
    (the date on its line, or on the nearest line above it; None when no date is written)."""

    text: str
    ground: str
    label: str
    date: dt.date | None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


# "[20 Nov 2026, 14:02] Dana:" or "Dana:" before a chat line: who and when, not their words.
_PREFIX = re.compile(r"^(?:\[[^\]\n]{1,40}\]\s*)?(?:[\w .'-]{1,40}:\s+)?")


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    sentence = text[left:right]
    prefix = _PREFIX.match(sentence)
    if prefix and prefix.end() <= start - left:
        sentence = sentence[prefix.end() :]
    return " ".join(sentence.split())


def quotes_in(messages: str, today: dt.date, ground: str | None = None) -> tuple[Quote, ...]:
    """The client's sentences in ``messages`` that suggest a removal ground (``ground`` only, if
    given), each once, in the order they were written, with the message's date."""
    if not messages.strip():
        return ()
    dated = list(dates_in(messages, today))
    quotes: list[Quote] = []
    seen: set[str] = set()
    for signal in screen("", messages).signals:
        if ground is not None and signal.ground != ground:
            continue
        sentence = _sentence_around(messages, signal.start, signal.end)
        if not sentence or sentence in seen:
            continue
        seen.add(sentence)
        line_end = messages.find("\n", signal.end)
        line_end = len(messages) if line_end < 0 else line_end
        before = [day for at, day in dated if at < line_end]
        quotes.append(Quote(sentence, signal.ground, signal.label, before[-1] if before else None))
    quotes.sort(key=lambda q: messages.find(q.text.split()[0]))
    return tuple(quotes)


# Praise: a clause with a praising word, no negation just before it and nothing negative in it.
_CLAUSES = re.compile(r"[.!?;\n]+|,?\s+\b(?:but|however|although|though|yet|except)\b", re.I)
_PRAISE = re.compile(
    r"\b(?:great|excellent|amazing|fantastic|awesome|wonderful|brilliant|outstanding|superb|"
    r"talented|skilled|skillful|professional|friendly|polite|kind|responsive|helpful|"
    r"knowledgeable|creative|reliable|pleasant|nice|good|fast|quick|quality work|"
    r"well done|did (?:a )?(?:good|great|nice|fine) job|thank(?:s| you))\b",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:not|no|never|n't|nothing|hardly|barely|wast(?:e|ed|ing)|terrible|horrible|awful|"
    r"worst|bad|poor|late|slow|avoid|scam|useless|rude|lazy|unprofessional|disappoint\w*|"
    r"only|if|would|could|should|supposed|claims?|seemed|pretend\w*|fake|lol|sure)\b|n't\b",
    re.IGNORECASE,
)


def praise_in(review: str) -> tuple[str, ...]:
    """The clauses of ``review`` that praise the freelancer ("Great freelancer, but…" gives
    "Great freelancer"). Sarcasm and hedges ("great job wasting my time", "would be good if")
    carry a negative word and are left out."""
    found: list[str] = []
    for clause in _CLAUSES.split(review):
        clause = " ".join(clause.split())
        if clause and _PRAISE.search(clause) and not _NEGATIVE.search(clause):
            found.append(clause)
    return tuple(found)


@dataclass(frozen=True)
class OwnLine:
    """A sentence the person typed (an answer to a text question), with what the tone check
    says of it as part of a public reply, as part of a private message to the client, and as
    part of the person's public feedback about the client."""

    question: str
    text: str
    reply_findings: tuple[Finding, ...]
    message_findings: tuple[Finding, ...]
    review_findings: tuple[Finding, ...]

    def findings(self, purpose: Purpose) -> tuple[Finding, ...]:
        """What the tone check says of the sentence in a text checked as ``purpose``."""
        return {
            "public_reply": self.reply_findings,
            "client_message": self.message_findings,
            "client_review": self.review_findings,
        }[purpose]


def own_lines(walk: Walk, limit: int) -> dict[str, OwnLine]:
    """Every non-empty answer on the walk's path to a text question marked ``own_line``,
    tone-checked as a public reply, as a message and as feedback about the client (a check of
    one sentence takes well under a millisecond, so all three are worked out)."""
    lines: dict[str, OwnLine] = {}
    for step in walk.path:
        question = walk.tree.questions.get(step.node)
        if question is None or not question.own_line_answer():
            continue
        if not isinstance(step.answer, str):
            continue
        text = step.answer.strip()
        if not text:
            continue
        platform = walk.tree.platform
        lines[step.node] = OwnLine(
            step.node,
            text,
            check(text, purpose="public_reply", limit=limit, platform=platform).findings,
            check(text, purpose="client_message", limit=limit, platform=platform).findings,
            check(text, purpose="client_review", limit=limit, platform=platform).findings,
        )
    return lines


def grounds_found(walk: Walk) -> tuple[str, ...]:
    """The grounds whose ``when`` holds for the walk's answers: the outcome's own ground first,
    then the others in the tree's order."""
    tree = walk.tree
    facts = facts_for(tree, walk.case.context, walk.answers, walk.today)
    found = [g for g, info in tree.grounds.items() if info.when and holds(info.when, facts)]
    own = walk.outcome.ground if walk.outcome is not None else None
    if own is not None:
        found = [own] + [g for g in found if g != own]
    return tuple(found)


def walk_dates(walk: Walk) -> dict[str, dt.date | None]:
    """The case's dates and the answers to date questions; a question with ``fills:`` stands in
    for the case date it fills when the case leaves it empty."""
    return known_dates(walk.tree, walk.case.context, walk.answers)


def ground_questions(tree: Tree) -> dict[str, frozenset[str]]:
    """For each ground, the questions its ``when`` tests: where a phrase that suggests the
    ground bears on the walk (the page quotes it there)."""
    return {
        ground: frozenset(c.question for c in walk_conditions(info.when) if c.question)
        for ground, info in tree.grounds.items()
        if info.when is not None
    }
