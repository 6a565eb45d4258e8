"""What templates see: the walk turned into plain records (see :func:`template_context`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, Literal, get_args

from jinja2 import StrictUndefined

from triage.documents.case_facts import (
    OwnLine,
    grounds_found,
    own_lines,
    praise_in,
    quotes_in,
    walk_dates,
)
from triage.documents.markdown import Trusted
from triage.errors import TriageError, did_you_mean
from triage.text.prescreen import screen
from triage.text.tone import Finding
from triage.tree.model import (
    CaseContext,
    Outcome,
    Source,
    Tree,
)
from triage.walk.dates import long_day
from triage.walk.engine import Walk
from triage.walk.wording import text_as_asked

Format = Literal["md", "txt"]
FORMATS: tuple[Format, ...] = get_args(Format)

REPLY, REPORT, MESSAGE = "_reply.txt.j2", "_report.txt.j2", "_message.txt.j2"
CLOSING = "_closing.txt.j2"
PART_PURPOSE = {
    REPLY: "the public reply",
    REPORT: "the report text",
    MESSAGE: "the message to the client",
    CLOSING: "the sample closing message",
}


class NotFinishedError(TriageError):
    """A document was asked for a walk that has not reached an outcome yet."""


def not_finished(walk: Walk) -> NotFinishedError:
    question = walk.question
    ask = f" ({question.ask})" if question is not None else ""
    return NotFinishedError(
        f'the case is not finished: the next question is "{walk.at}"{ask}',
        "answer it (triage walk CASE lists the choices), then render again",
    )


class Record:
    """A read-only set of named values for templates: ``r.name`` or ``r["name"]``.

    It has no public methods, so a key such as ``items`` or ``get`` (a question id, say) never
    collides with one; a missing key is undefined, which ``StrictUndefined`` reports.
    """

    __slots__ = ("_data", "_name")

    def __init__(self, name: str, data: Mapping[str, Any]) -> None:
        self._name = name
        self._data = dict(data)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Record({self._name!r}, {self._data!r})"


class Undefined(StrictUndefined):
    """StrictUndefined that names the record and suggests the closest key."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Record) and isinstance(name, str):
            hint = did_you_mean(name, obj)
            return f'{obj._name} has no "{name}"' + (f" ({hint})" if hint else "")
        return str(super()._undefined_message)


def one_line(text: str) -> str:
    """Names and titles: one line, single spaces."""
    return " ".join(text.split())


def as_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _source(source: Source | None) -> Record | None:
    if source is None:
        return None
    return Record(
        "source",
        {"title": Trusted(source.title), "url": Trusted(source.url), "checked": source.checked},
    )


def _answer_label(walk: Walk, qid: str, value: object) -> Any:
    """How an answer is shown: the chosen choice's label, a formatted date, or the text."""
    question = walk.tree.questions[qid]
    if value is None:
        return None
    if question.answers_date:
        day = as_date(value)
        return Trusted(long_day(day)) if day else None
    if question.choices:
        labels = {c.value: c.label for c in question.choices}
        picked = value if isinstance(value, list | tuple) else [value]
        shown = "; ".join(labels.get(str(v), str(v)) for v in picked)
        if "{" in shown:  # worded with the case's facts: the person's words, escaped
            return text_as_asked(walk, shown)
        return Trusted(shown)
    return str(value)  # a person's words: escaped in Markdown


def _deadline(record: Any, tree: Tree) -> Record:
    source = tree.sources.get(record.source) if record.source else None
    return Record(
        "deadline",
        {
            "name": record.name,
            "label": Trusted(record.label),
            "date": record.date,
            "days_left": record.days_left,
            "passed": record.days_left < 0,
            "business_days": record.business_days,
            "source": _source(source),
        },
    )


def template_context(walk: Walk) -> dict[str, Any]:
    """Everything a template sees, except the ready texts ``reply``, ``report``, ``message``.
    ``own_lines`` holds the person's sentences with their tone findings, for the renderer."""
    outcome = walk.outcome
    if outcome is None:
        raise not_finished(walk)
    tree = walk.tree
    ctx = walk.case.context
    fields: dict[str, Any] = {}
    for name in CaseContext.model_fields:
        value = getattr(ctx, name)
        if name in ("review_text", "messages"):
            value = value.strip("\n ")
        elif isinstance(value, str):
            value = one_line(value)
        fields[name] = value
    answers = {
        qid: (tuple(v) if isinstance(v, list) else v)
        for qid in tree.questions
        for v in [walk.answers.get(qid)]
    }
    labels = {qid: _answer_label(walk, qid, answers[qid]) for qid in tree.questions}
    steps = []
    for step in walk.path:
        node = tree.nodes[step.node]
        asked = step.answer is not None
        steps.append(
            Record(
                "step",
                {
                    "node": step.node,
                    # Plain text, escaped in Markdown: it may hold the case's own facts.
                    "question": text_as_asked(
                        walk, getattr(node, "ask", "") or getattr(node, "title", "")
                    ),
                    "short": text_as_asked(walk, getattr(node, "short", "")),
                    "asked": asked,
                    "answer": labels.get(step.node) if asked else None,
                    "reason": Trusted(step.reason),
                },
            )
        )
    deadlines = tuple(_deadline(d, tree) for d in walk.deadlines)
    lines = own_lines(walk, tree.settings.reply_limit)
    by_name: dict[str, Any] = dict.fromkeys(tree.deadlines)
    by_name.update({d.name: d for d in deadlines})
    return {
        "context": Record("context", fields),
        "answers": Record("answers", answers),
        "labels": Record("labels", labels),
        "outcome": _outcome(outcome, walk),
        "ground": _ground(outcome.ground, tree),
        "grounds": Record("grounds", {g: _ground(g, tree) for g in tree.grounds}),
        "deadlines": deadlines,
        "deadline": Record("deadline", by_name),
        "today": walk.today,
        "path": tuple(steps),
        "tree": Record(
            "tree",
            {
                "id": tree.id,
                "title": Trusted(tree.title),
                "platform": Trusted(tree.platform),
                "settings": Record("settings", dict(tree.settings)),
            },
        ),
        "sources": Record("sources", {k: _source(s) for k, s in tree.sources.items()}),
        "source": _source(tree.sources.get(outcome.source or "")),
        "facts": _facts(walk, fields, lines),
        "own_lines": lines,
        "reply": None,
        "report": None,
        "message": None,
        "closing": None,
    }


def finding_records(findings: tuple[Finding, ...]) -> tuple[Record, ...]:
    """Tone findings as template records."""
    return tuple(
        Record(
            "finding",
            {
                "text": f.text,
                "message": Trusted(f.message),
                "suggestion": Trusted(f.suggestion),
                "severity": f.severity,
            },
        )
        for f in findings
    )


def _facts(walk: Walk, context: Mapping[str, Any], lines: Mapping[str, OwnLine]) -> Record:
    """What the documents state about the case, computed here so templates hold wording only
    (see docs/templates.md)."""
    tree = walk.tree
    found = grounds_found(walk)
    own = {
        qid: None
        if qid not in lines
        else Record(
            "own line",
            {
                "text": lines[qid].text,
                "reply_ok": not lines[qid].reply_findings,
                "message_ok": not lines[qid].message_findings,
                "review_ok": not lines[qid].review_findings,
                "reply_findings": finding_records(lines[qid].reply_findings),
                "message_findings": finding_records(lines[qid].message_findings),
                "review_findings": finding_records(lines[qid].review_findings),
            },
        )
        for qid, question in tree.questions.items()
        if question.own_line_answer()
    }
    quotes = tuple(
        Record("quote", {"text": q.text, "date": q.date, "ground": q.ground, "label": q.label})
        for q in quotes_in(str(context["messages"]), walk.today)
    )
    review_words: dict[str, list[str]] = {g: [] for g in tree.grounds}
    review = str(context["review_text"])
    if review:
        for signal in screen(review).signals:
            words = review_words.setdefault(signal.ground, [])
            if signal.text not in words:
                words.append(signal.text)
    return Record(
        "facts",
        {
            "grounds": tuple(_ground(g, tree) for g in found),
            "other_grounds": tuple(_ground(g, tree) for g in found[1:]),
            "all_grounds": tuple(_ground(g, tree) for g in tree.grounds),
            "reply_topic": found[0] if found else None,
            "dates": Record("dates", walk_dates(walk)),
            "own": Record("own", own),
            "quotes": quotes,
            "review_words": Record("review words", {g: tuple(w) for g, w in review_words.items()}),
            "praise": praise_in(review),
        },
    )


def _outcome(outcome: Outcome, walk: Walk) -> Record:
    return Record(
        "outcome",
        {
            "id": walk.at,
            "kind": outcome.kind,
            "ground": outcome.ground,
            "title": Trusted(outcome.title),
            "summary": Trusted(outcome.summary),
            "evidence": tuple(
                Record("evidence", {"item": Trusted(e.item), "why": Trusted(e.why)})
                for e in outcome.evidence
            ),
            "next_steps": tuple(Trusted(s) for s in outcome.next_steps),
            "template": outcome.template,
            "fallback_reply": outcome.fallback_reply,
        },
    )


def _ground(ground: str | None, tree: Tree) -> Record | None:
    words = tree.grounds.get(ground) if ground else None
    if words is None:
        return None
    return Record(
        "ground",
        {
            "id": ground,
            "name": Trusted(words.name),
            "short": Trusted(words.short),
            "rule": Trusted(words.rule),
            "reading": Trusted(words.reading),
            "source": _source(tree.sources.get(words.source)),
        },
    )
