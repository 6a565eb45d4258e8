"""Documents for a finished walk: the report outline, the public reply, the change request.

Templates live in ``responses/`` (``TRIAGE_RESPONSES`` overrides it) and load from files only.
The text a person typed is data handed to the templates, never template source: a review that
says ``{{ 7*7 }}`` comes out as ``{{ 7*7 }}``.

Two sandboxed Jinja2 environments (``StrictUndefined``, so a misspelt name fails loudly):

- **Markdown** (``md``): every ``{{ … }}`` output goes through :func:`triage.markdown.escape`
  unless it is :class:`~triage.markdown.Trusted` (tree-authored wording, or a fragment one of
  the filters below built). Escaping is the default, so a filter applied to a person's text
  (``upper``, ``truncate``…) gives a plain string that is still escaped.
- **plain text** (``txt``): nothing is escaped (``O'Brien & Sons`` stays as it is). Both formats
  drop NUL bytes and fence right-to-left overrides in (see :func:`triage.markdown.clean`).

Each document is ``responses/NAME.md.j2`` / ``NAME.txt.j2`` for the outcome's ``template:``.
Three plain-text parts are rendered first and handed to the document as ready text:
``_reply.txt.j2`` (the public reply: ``respond`` outcomes, and disputes with a ``fallback:``),
``_report.txt.j2`` (the report to paste: disputes) and ``_message.txt.j2`` (the private message
to the client: ``request_change``). A part that renders to nothing is ``None``.

What templates see (see :func:`template_context`): ``context``, ``answers`` and ``labels``
(every question of the tree, ``None`` when not answered), ``outcome``, ``ground`` and
``grounds``, ``deadlines`` (a list) and ``deadline`` (by name, every deadline of the tree),
``today``, ``path``, ``tree``, ``sources`` and ``source``, ``reply``, ``report``, ``message``,
and ``md`` (true in the Markdown environment).

Filters (each format has its own): ``h1 h2 h3`` headings, ``strong``, ``link(url)``, ``quote``
(a quoted block), ``block`` (text to copy: a quote in Markdown, bare in plain text), ``date``
(``18 December 2026``), ``stars`` (``2 stars``), ``when`` (days left → ``in 7 days``) and
``sentence`` (capital first letter, full stop at the end).

Writing Markdown templates: put markup in the template's text or build it with the filters. A
string in ``{{ … }}`` is output like any value, so ``{{ "**x**" }}`` shows the asterisks; and
the result of a macro or a ``{% set %}…{% endset %}`` block is escaped once more when it is
output, so use ``{% include %}`` for shared wording instead.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import quote as url_quote

import jinja2
from jinja2 import FileSystemLoader, StrictUndefined, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from triage.engine import Walk
from triage.errors import Problem, TemplateError, TriageError, did_you_mean
from triage.loader import LoadedTree
from triage.markdown import Trusted, clean, escape
from triage.model import (
    CaseContext,
    DateQuestion,
    ManyChoice,
    OneChoice,
    Outcome,
    Source,
    TextQuestion,
    Tree,
    YesNo,
)
from triage.registry import display_path, responses_dir

__all__ = [
    "GROUNDS",
    "Format",
    "NotFinishedError",
    "Record",
    "Trusted",
    "render_message",
    "render_reply",
    "render_report",
    "render_walk",
    "template_context",
    "template_problems",
]

Format = Literal["md", "txt"]
FORMATS: tuple[Format, ...] = get_args(Format)

REPLY, REPORT, MESSAGE = "_reply.txt.j2", "_report.txt.j2", "_message.txt.j2"
PART_PURPOSE = {
    REPLY: "the public reply",
    REPORT: "the report text",
    MESSAGE: "the message to the client",
}

# Upwork's four groups of feedback it removes, in plain words (docs: shared/domain/upwork.md,
# from "Feedback Removal", support.upwork.com/hc/en-us/articles/219801228).
GROUNDS: dict[str, dict[str, str]] = {
    "manipulation": {
        "name": "manipulation of the feedback system",
        "short": "feedback manipulation",
        "rule": (
            "Upwork removes feedback that manipulates the feedback system: bribing, pressuring "
            "or extorting someone for a feedback outcome, buying or selling feedback, and fake "
            "contracts. Threatening a bad review unless a refund, a discount or free work is "
            "given counts, and so does offering a bonus or a refund for a good review."
        ),
    },
    "inappropriate": {
        "name": "abusive or offensive language",
        "short": "abusive or offensive language",
        "rule": (
            "Upwork removes feedback with abusive or offensive language, such as insults, slurs, "
            "or hateful or discriminatory remarks. Harsh but civil criticism is treated as the "
            "client's opinion and stays."
        ),
    },
    "irrelevant": {
        "name": "feedback unrelated to the contract",
        "short": "feedback unrelated to the contract",
        "rule": (
            "Upwork removes feedback that is completely unrelated to the contract, such as a "
            "rant about politics, about Upwork itself, or about another freelancer or job. "
            "Criticism that is even partly about the work does not qualify."
        ),
    },
    "conflict_of_interest": {
        "name": "insider feedback or a conflict of interest",
        "short": "a conflict of interest",
        "rule": (
            "Upwork removes insider feedback and feedback given with a conflict of interest, for "
            "example from an account closely connected to the freelancer's, or from a "
            "competitor posing as a client."
        ),
    },
}


class NotFinishedError(TriageError):
    """A document was asked for a walk that has not reached an outcome yet."""


# --- values handed to templates ------------------------------------------------------------


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


class _Undefined(StrictUndefined):
    """StrictUndefined that names the record and suggests the closest key."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Record) and isinstance(name, str):
            hint = did_you_mean(name, obj)
            return f'{obj._name} has no "{name}"' + (f" ({hint})" if hint else "")
        return str(super()._undefined_message)


def _trusted(text: str | None) -> Trusted | None:
    return None if text is None else Trusted(text)


def _one_line(text: str) -> str:
    """Names and titles: one line, single spaces."""
    return " ".join(text.split())


def format_date(day: dt.date) -> str:
    """``18 December 2026``."""
    return f"{day.day} {day:%B %Y}"


def _as_date(value: object) -> dt.date | None:
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


def _answer_label(tree: Tree, qid: str, value: object) -> Any:
    """How an answer is shown: the chosen choice's label, a formatted date, or the text."""
    question = tree.questions[qid]
    if value is None:
        return None
    if isinstance(question, YesNo | OneChoice | ManyChoice):
        labels = {c.value: c.label for c in question.choices}
        picked = value if isinstance(value, list | tuple) else [value]
        return Trusted("; ".join(labels.get(str(v), str(v)) for v in picked))
    if isinstance(question, DateQuestion):
        day = _as_date(value)
        return Trusted(format_date(day)) if day else None
    assert isinstance(question, TextQuestion)
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
    """Everything a template sees, except the ready texts ``reply``, ``report``, ``message``."""
    outcome = walk.outcome
    if outcome is None:
        raise _not_finished(walk)
    tree = walk.tree
    ctx = walk.case.context
    fields: dict[str, Any] = {}
    for name in CaseContext.model_fields:
        value = getattr(ctx, name)
        if name in ("review_text", "messages"):
            value = value.strip("\n ")
        elif isinstance(value, str):
            value = _one_line(value)
        fields[name] = value
    answers = {
        qid: (tuple(v) if isinstance(v, list) else v)
        for qid in tree.questions
        for v in [walk.answers.get(qid)]
    }
    labels = {qid: _answer_label(tree, qid, answers[qid]) for qid in tree.questions}
    steps = []
    for step in walk.path:
        node = tree.nodes[step.node]
        asked = step.answer is not None
        steps.append(
            Record(
                "step",
                {
                    "node": step.node,
                    "question": Trusted(getattr(node, "ask", "") or getattr(node, "title", "")),
                    "short": Trusted(getattr(node, "short", "")),
                    "asked": asked,
                    "answer": labels.get(step.node) if asked else None,
                    "reason": Trusted(step.reason),
                },
            )
        )
    deadlines = tuple(_deadline(d, tree) for d in walk.deadlines)
    by_name: dict[str, Any] = dict.fromkeys(tree.deadlines)
    by_name.update({d.name: d for d in deadlines})
    return {
        "context": Record("context", fields),
        "answers": Record("answers", answers),
        "labels": Record("labels", labels),
        "outcome": _outcome(outcome, walk),
        "ground": _ground(outcome.ground, outcome, tree),
        "grounds": Record(
            "grounds", {g: _ground(g, outcome, tree) for g in GROUNDS}
        ),
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
                "settings": Record("settings", {"reply_limit": tree.settings.reply_limit}),
            },
        ),
        "sources": Record("sources", {k: _source(s) for k, s in tree.sources.items()}),
        "source": _source(tree.sources.get(outcome.source or "")),
        "reply": None,
        "report": None,
        "message": None,
    }


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
            "fallback": outcome.fallback,
        },
    )


def _ground(ground: str | None, outcome: Outcome, tree: Tree) -> Record | None:
    if ground is None or ground not in GROUNDS:
        return None
    words = GROUNDS[ground]
    return Record(
        "ground",
        {
            "id": ground,
            "name": Trusted(words["name"]),
            "short": Trusted(words["short"]),
            "rule": Trusted(words["rule"]),
            "source": _source(tree.sources.get(outcome.source or "")),
        },
    )


# --- the two environments ------------------------------------------------------------------


def _finalize(fmt: Format) -> Callable[[Any], str]:
    def finalize(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Trusted):
            return value
        if isinstance(value, dt.date):
            return format_date(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
        return escape(text) if fmt == "md" else clean(text)

    return finalize


# What ends a sentence, and what may follow that end ("Done." / (Done.) / "Done.").
_ENDINGS, _CLOSERS = frozenset(".!?…:"), "\"'”’)]"
# Characters left as they are in a link target; spaces, brackets, quotes and <> are encoded.
_URL_SAFE = ":/?#@!$&*+,;=%~-._"


def _filters(fmt: Format) -> dict[str, Callable[..., Any]]:
    md = fmt == "md"

    def text(value: Any) -> str:
        """A value as safe text for this format (Trusted values pass as they are)."""
        if isinstance(value, Trusted):
            return value
        raw = "" if value is None else str(value)
        return escape(raw) if md else clean(raw)

    def heading(level: int) -> Callable[[Any], Trusted]:
        def make(value: Any) -> Trusted:
            title = _one_line(text(value))
            if md:
                return Trusted("#" * level + " " + title)
            if level == 3:
                return Trusted(title)
            return Trusted(title + "\n" + ("=" if level == 1 else "-") * len(title))

        return make

    def strong(value: Any) -> Trusted:
        inner = text(value).strip()
        return Trusted(f"**{inner}**" if md and inner else inner)

    def link(title: Any, url: Any) -> Trusted:
        address = str(url)
        shown = text(title)
        if not md:
            return Trusted(f"{shown} ({clean(address)})")
        if not address.startswith(("https://", "http://")):
            return Trusted(f"{shown} ({escape(address)})")
        target = url_quote(address, safe=_URL_SAFE)
        return Trusted(f"[{shown}]({target})")

    def quote(value: Any) -> Trusted:
        lines = text(value).split("\n")
        if md:
            # A quoted line keeps its own line: each one that goes on ends in a hard break.
            shown = [
                f"> {line}  " if line and i + 1 < len(lines) and lines[i + 1] else f"> {line}"
                for i, line in enumerate(lines)
            ]
            return Trusted("\n".join(s.rstrip() if s == "> " else s for s in shown))
        return Trusted("\n".join(f"    {line}" if line else "" for line in lines))

    def block(value: Any) -> Trusted:
        return quote(value) if md else Trusted(text(value))

    def date(value: Any) -> Trusted:
        day = _as_date(value)
        return Trusted(format_date(day) if day else "")

    def stars(value: Any, adjective: bool = False) -> Trusted:
        """``2 stars``; with ``adjective=True``: ``2-star``."""
        if value is None:
            return Trusted("")
        number = float(value)
        shown = str(int(number)) if number.is_integer() else f"{number:g}"
        if adjective:
            return Trusted(f"{shown}-star")
        return Trusted(f"{shown} star" + ("" if number == 1 else "s"))

    def when(days_left: int) -> Trusted:
        if days_left > 1:
            return Trusted(f"in {days_left} days")
        if days_left == 1:
            return Trusted("tomorrow")
        if days_left == 0:
            return Trusted("today")
        if days_left == -1:
            return Trusted("passed yesterday")
        return Trusted(f"passed {-days_left} days ago")

    def sentence(value: Any) -> str:
        raw = "" if value is None else str(value).strip()
        if raw and raw.rstrip(_CLOSERS)[-1:] not in _ENDINGS:
            raw += "."
        raw = raw[:1].upper() + raw[1:]
        return Trusted(raw) if isinstance(value, Trusted) else raw

    return {
        "h1": heading(1),
        "h2": heading(2),
        "h3": heading(3),
        "strong": strong,
        "link": link,
        "quote": quote,
        "block": block,
        "date": date,
        "stars": stars,
        "when": when,
        "sentence": sentence,
    }


@lru_cache(maxsize=16)
def _environment(fmt: Format, folder: str) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(folder),
        undefined=_Undefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize(fmt),
    )
    env.filters.update(_filters(fmt))
    env.globals.update({"md": fmt == "md", "fmt": fmt})
    return env


def environment(fmt: Format, folder: Path | None = None) -> ImmutableSandboxedEnvironment:
    """The environment for ``fmt`` over ``folder`` (default: :func:`responses_dir`)."""
    if fmt not in FORMATS:
        raise TemplateError(f'"{fmt}" is not a document format', "use md or txt")
    return _environment(fmt, str(folder or responses_dir()))


# --- rendering -----------------------------------------------------------------------------


def _not_finished(walk: Walk) -> NotFinishedError:
    question = walk.question
    ask = f" ({question.ask})" if question is not None else ""
    return NotFinishedError(
        f'the case is not finished: the next question is "{walk.at}"{ask}',
        "answer it (triage walk CASE lists the choices), then render again",
    )


def _where(error: BaseException) -> str:
    """``file:line`` of the innermost template frame of a rendering error, if any."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return ""
    return f"{display_path(frames[-1].filename)}:{frames[-1].lineno}: "


def _render(fmt: Format, name: str, values: Mapping[str, Any]) -> str:
    folder = responses_dir()
    env = environment(fmt, folder)
    try:
        return env.get_template(name).render(values)
    except jinja2.TemplateNotFound as error:
        missing = error.name or name
        raise TemplateError(
            f'template "{missing}" not found in {display_path(folder)}',
            "run triage check to see which templates the tree needs",
        ) from None
    except jinja2.TemplateSyntaxError as error:
        where = f"{display_path(error.filename or name)}:{error.lineno}: "
        raise TemplateError(
            f"{where}template syntax error: {error.message}", "fix the template"
        ) from None
    except jinja2.TemplateError as error:
        raise TemplateError(
            f"{_where(error)}template {name} failed: {error.message or error}",
            "run triage check to find template mistakes",
        ) from None
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
        raise TemplateError(
            f"{_where(error)}template {name} failed: {type(error).__name__}: {error}",
            "fix the template",
        ) from None


def _part(name: str, values: Mapping[str, Any]) -> str | None:
    text = _render("txt", name, values).strip()
    return text or None


def _values(walk: Walk) -> dict[str, Any]:
    """The template context with the ready texts filled in for the outcome's kind."""
    values = template_context(walk)
    outcome = walk.outcome
    assert outcome is not None
    if outcome.kind == "respond" or (outcome.kind == "dispute" and outcome.fallback):
        values["reply"] = _part(REPLY, values)
    if outcome.kind == "dispute":
        values["report"] = _part(REPORT, values)
    if outcome.kind == "request_change":
        values["message"] = _part(MESSAGE, values)
    return values


def render_walk(walk: Walk, fmt: Format) -> str:
    """The document for a finished walk, as Markdown (``md``) or plain text (``txt``).

    Raises :class:`NotFinishedError` if the walk has not reached an outcome, and
    :class:`~triage.errors.TemplateError` if a template is missing or fails.
    """
    if fmt not in FORMATS:
        raise TemplateError(f'"{fmt}" is not a document format', "use md or txt")
    outcome = walk.outcome
    if outcome is None:
        raise _not_finished(walk)
    return _render(fmt, f"{outcome.template}.{fmt}.j2", _values(walk))


def render_reply(walk: Walk) -> str | None:
    """The public reply as plain text: for ``respond`` outcomes, and the fallback reply of a
    dispute. ``None`` for other outcomes, or when the reply template writes nothing (e.g. the
    reply window has closed)."""
    outcome = walk.outcome
    if outcome is None:
        raise _not_finished(walk)
    if outcome.kind == "respond" or (outcome.kind == "dispute" and outcome.fallback):
        return _part(REPLY, template_context(walk))
    return None


def render_message(walk: Walk) -> str | None:
    """The private message to the client, as plain text, for ``request_change`` outcomes."""
    outcome = walk.outcome
    if outcome is None:
        raise _not_finished(walk)
    if outcome.kind == "request_change":
        return _part(MESSAGE, template_context(walk))
    return None


def render_report(walk: Walk) -> str | None:
    """The report text to paste into Upwork's form, as plain text, for disputes."""
    outcome = walk.outcome
    if outcome is None:
        raise _not_finished(walk)
    if outcome.kind == "dispute":
        return _part(REPORT, template_context(walk))
    return None


# --- static check --------------------------------------------------------------------------


def _parts_for(outcome: Outcome) -> list[tuple[str, list[str]]]:
    """(key in the tree, templates it brings in) for one outcome."""
    docs = [f"{outcome.template}.{fmt}.j2" for fmt in FORMATS]
    parts = {"dispute": [REPORT], "respond": [REPLY], "request_change": [MESSAGE]}
    named = [("template", docs + parts.get(outcome.kind, []))]
    if outcome.kind == "dispute" and outcome.fallback:
        named.append(("fallback", [REPLY]))
    return named


def _known_names(tree: Tree) -> dict[str, tuple[set[str], str, str]]:
    """Record name → (its keys, what a key is, the hint when no key is close)."""
    questions = set(tree.questions)
    return {
        "answers": (questions, "question", "use a question id from nodes"),
        "labels": (questions, "question", "use a question id from nodes"),
        "context": (
            set(CaseContext.model_fields),
            "context field",
            "context fields: " + ", ".join(CaseContext.model_fields),
        ),
        "deadline": (set(tree.deadlines), "deadline", "use a key under deadlines"),
        "sources": (set(tree.sources), "source", "use a key under sources"),
    }


def _referenced(ast: nodes.Template) -> Iterator[tuple[str, str, int]]:
    """(record, key, line) for every ``record.key`` and ``record["key"]`` in a template."""
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        target = node.node
        if not isinstance(target, nodes.Name):
            continue
        if isinstance(node, nodes.Getattr):
            yield target.name, node.attr, node.lineno
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            yield target.name, node.arg.value, node.lineno


def _included(ast: nodes.Template) -> Iterator[str]:
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        names: Iterable[nodes.Expr] = (
            node.template.items if isinstance(node.template, nodes.List) else [node.template]
        )
        for name in names:
            if isinstance(name, nodes.Const) and isinstance(name.value, str):
                yield name.value


def template_problems(loaded: LoadedTree) -> Iterator[Problem]:
    """Static check of the templates a tree's outcomes use (and what they include).

    ``template-variable``: ``answers.X`` / ``labels.X`` where X is not a question of the tree,
    ``context.Y`` where Y is not a case context field, ``deadline.Z`` / ``sources.Z`` where Z is
    not a deadline or source of the tree. ``template-syntax``: a template that does not parse.
    ``missing-template``: a part or an included template that is not there (a missing document
    template is reported by :mod:`triage.checks`). Each problem is located at the outcome's
    ``template:`` (or ``fallback:``) key and names the template file and line; a mistake in a
    template shared by several outcomes is reported once.
    """
    folder = responses_dir()
    if not folder.is_dir():
        return
    env = environment("txt", folder)
    known = _known_names(loaded.tree)
    parsed: dict[str, tuple[nodes.Template | None, list[tuple[str, str, str]]]] = {}

    def scan(name: str) -> tuple[nodes.Template | None, list[tuple[str, str, str]]]:
        """(ast, [(code, message, hint)]) of one template file, cached."""
        if name in parsed:
            return parsed[name]
        found: list[tuple[str, str, str]] = []
        parsed[name] = (None, found)
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return parsed[name]
        shown = display_path(filename or name)
        try:
            ast = env.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as error:
            found.append(
                (
                    "template-syntax",
                    f"{shown}:{error.lineno}: template syntax error: {error.message}",
                    "fix the template; see https://jinja.palletsprojects.com/templates/",
                )
            )
            return parsed[name]
        parsed[name] = (ast, found)
        for record, key, line in _referenced(ast):
            if record not in known or key in known[record][0]:
                continue
            keys, what, fallback_hint = known[record]
            found.append(
                (
                    "template-variable",
                    f'{shown}:{line}: "{record}.{key}": the tree has no {what} "{key}"'
                    if record != "context"
                    else f'{shown}:{line}: "context.{key}": a case has no {what} "{key}"',
                    did_you_mean(key, keys) or fallback_hint,
                )
            )
        return parsed[name]

    def problems_of(names: list[str], top: set[str]) -> Iterator[tuple[str, str, str]]:
        queue, seen = list(names), set()
        while queue:
            name = queue.pop(0)
            if name in seen:
                continue
            seen.add(name)
            ast, found = scan(name)
            if ast is None and not found:  # not found
                if name not in top:
                    what = PART_PURPOSE.get(name, "included by another template")
                    yield (
                        "missing-template",
                        f"template {name} ({what}) not found in {display_path(folder)}",
                        "create it",
                    )
                continue
            yield from found
            if ast is not None:
                queue.extend(_included(ast))

    reported: set[tuple[str, str]] = set()
    for oid, outcome in loaded.tree.outcomes.items():
        for key, names in _parts_for(outcome):
            top = {n for n in names if not n.startswith("_")}
            for code, message, hint in problems_of(names, top):
                if (code, message) in reported:
                    continue
                reported.add((code, message))
                line, column = loaded.positions.at("nodes", oid, key)
                yield Problem(code, message, hint, loaded.file, line, column)
