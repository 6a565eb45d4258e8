"""Static check of response templates: every `answers.X`, `context.Y`, … a template uses must
exist in the tree and the case, and every template must parse."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import jinja2
from jinja2 import nodes

from triage.errors import Problem, did_you_mean
from triage.loader import LoadedTree
from triage.model import (
    CaseContext,
    Outcome,
    Tree,
)
from triage.registry import display_path, responses_dir, template_dirs
from triage.template_context import CLOSING, FORMATS, MESSAGE, PART_PURPOSE, REPLY, REPORT
from triage.template_env import environment


def _parts_for(outcome: Outcome) -> list[tuple[str, list[str]]]:
    """(key in the tree, templates it brings in) for one outcome."""
    docs = [f"{outcome.template}.{fmt}.j2" for fmt in FORMATS]
    parts = {
        "dispute": [REPORT],
        "respond": [REPLY],
        "request_change": [MESSAGE],
        "no_action": [CLOSING],
    }
    named = [("template", docs + parts.get(outcome.kind, []))]
    if outcome.kind == "dispute" and outcome.fallback_reply:
        named.append(("fallback_reply", [REPLY]))
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
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            yield node.node.name, node.attr, node.lineno
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.node, nodes.Name)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            yield node.node.name, node.arg.value, node.lineno


def _included(ast: nodes.Template) -> Iterator[str]:
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        assert isinstance(node, nodes.Include | nodes.Import | nodes.FromImport)
        names: Iterable[nodes.Expr] = (
            node.template.items
            if isinstance(node.template, nodes.List | nodes.Tuple)
            else [node.template]
        )
        for name in names:
            if isinstance(name, nodes.Const) and isinstance(name.value, str):
                yield name.value


def template_checks() -> tuple[Callable[[LoadedTree], Iterator[Problem]], ...]:
    """The template checks ``triage check`` and the Authors page hand to :mod:`triage.checks`."""
    return (template_problems,)


def template_problems(loaded: LoadedTree) -> Iterator[Problem]:
    """Static check of the templates a tree's outcomes use (and what they include).

    ``template-variable``: ``answers.X`` / ``labels.X`` where X is not a question of the tree,
    ``context.Y`` where Y is not a case context field, ``deadline.Z`` / ``sources.Z`` where Z is
    not a deadline or source of the tree. ``template-syntax``: a template that does not parse.
    ``missing-template``: a part or an included template that is not there (a missing document
    template is reported by :mod:`triage.checks`). Each problem is located at the outcome's
    ``template:`` (or ``fallback_reply:``) key and names the template file and line; a mistake in a
    template shared by several outcomes is reported once.
    """
    folder = responses_dir()
    if not folder.is_dir():
        return
    env = environment("txt", template_dirs(loaded.tree.id, folder))
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
