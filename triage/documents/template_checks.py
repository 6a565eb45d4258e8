"""Static check of response templates: every `answers.X`, `context.Y`, … a template uses must
exist in the tree and the case, and every template must parse."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes

from triage.documents.context import FORMATS, PART_PURPOSE
from triage.documents.environment import environment
from triage.errors import Problem, TriageError, did_you_mean
from triage.paths import display_path, responses_dir, template_dirs
from triage.tree.kinds import kind_of
from triage.tree.loader import LoadedTree
from triage.tree.model import (
    CaseContext,
    Outcome,
    Tree,
)
from triage.walk.conditions import date_subjects


def _parts_for(tree: Tree, outcome: Outcome) -> list[tuple[str, list[str]]]:
    """(key in the tree, templates it brings in) for one outcome: its documents and its
    kind's part templates (and the fallback parts when it asks for them)."""
    docs = [f"{outcome.template}.{fmt}.j2" for fmt in FORMATS]
    try:
        kind = kind_of(tree, outcome)
    except TriageError:
        return [("template", docs)]  # an unknown kind is reported by the tree checks
    named = [("template", docs + list(kind.parts.values()))]
    if outcome.fallback_reply and kind.fallback:
        named.append(("fallback_reply", list(kind.fallback.values())))
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
        "facts.dates": (
            set(date_subjects(tree)),
            "date",
            "dates: " + ", ".join(date_subjects(tree)),
        ),
        "facts.own": (
            {q for q, n in tree.questions.items() if n.own_line_answer()},
            "text question with own_line: true",
            "mark the text question with own_line: true",
        ),
        "facts.review_words": (set(tree.grounds), "ground", "use a ground id"),
        "sources": (set(tree.sources), "source", "use a key under sources"),
    }


def _referenced(ast: nodes.Template) -> Iterator[tuple[str, str, int]]:
    """(record, key, line) for every ``record.key`` and ``record["key"]`` in a template."""
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            yield node.node.name, node.attr, node.lineno
        elif (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Getattr)
            and isinstance(node.node.node, nodes.Name)
            and node.node.node.name == "facts"
        ):
            yield f"facts.{node.node.attr}", node.attr, node.lineno
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


def _strings(expr: nodes.Node) -> list[str]:
    """The string constants of a literal: ``"a"`` or ``("a", "b")``."""
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, nodes.Tuple | nodes.List):
        return [v for item in expr.items for v in _strings(item)]
    return []


class _Values:
    """Which literal values a template may compare an answer with: the question's choice values,
    followed through ``{% set name = answers.X or … %}`` (in any template of the tree, since
    ``_case.j2`` names answers for the others), plus the grounds where ``facts.reply_topic``
    stands in the same expression, and the literals written there as fallbacks."""

    def __init__(self, tree: Tree) -> None:
        self.choices = {
            qid: {c.value for c in getattr(q, "choices", ())} | {""}
            for qid, q in tree.questions.items()
            if getattr(q, "choices", None)
        }
        self.grounds = set(tree.grounds)
        self.aliases: dict[str, tuple[str, set[str]]] = {}

    def subject(self, expr: nodes.Node) -> tuple[str, set[str]] | None:
        """(what the expression is, the values it can take), or None if not an answer."""
        if isinstance(expr, nodes.Getattr) and isinstance(expr.node, nodes.Name):
            if expr.node.name == "answers":
                values = self.choices.get(expr.attr)
                return (f"answers.{expr.attr}", values) if values is not None else None
            return self.aliases.get(expr.attr)
        if isinstance(expr, nodes.Name):
            return self.aliases.get(expr.name)
        return None

    def learn(self, ast: nodes.Template) -> bool:
        """Record the names set from answers; True when something new was learnt."""
        grew = False
        for assign in ast.find_all(nodes.Assign):
            if not isinstance(assign.target, nodes.Name):
                continue
            parts = [assign.node, *assign.node.find_all((nodes.Getattr, nodes.Name))]
            found = [s for s in map(self.subject, parts) if s is not None]
            if not found:
                continue
            values = set().union(*(v for _, v in found))
            consts = assign.node.find_all(nodes.Const)
            values |= {c.value for c in consts if isinstance(c.value, str)}
            topical = any(
                isinstance(g, nodes.Getattr) and g.attr == "reply_topic"
                for g in assign.node.find_all(nodes.Getattr)
            )
            if topical:
                values |= self.grounds
            # A name set in several places (or templates) can take every value of each: the
            # values only grow, so the rounds in template_problems always come to an end.
            what, known = self.aliases.get(assign.target.name, (found[0][0], set()))
            if not values <= known:
                self.aliases[assign.target.name] = (what, known | values)
                grew = True
        return grew

    def misspelt(self, ast: nodes.Template) -> Iterator[tuple[int, str, str, set[str]]]:
        """(line, what, value, allowed) for each literal an answer is compared with that it
        can never take."""
        for compare in ast.find_all(nodes.Compare):
            left = compare.expr
            for operand in compare.ops:
                right = operand.expr
                pairs: list[tuple[nodes.Node, list[str]]] = []
                if operand.op in ("eq", "ne", "in", "notin"):
                    pairs = [(left, _strings(right)), (right, _strings(left))]
                for expr, literals in pairs:
                    subject = self.subject(expr)
                    if subject is None:
                        continue
                    what, allowed = subject
                    for value in literals:
                        if value not in allowed:
                            yield compare.lineno, what, value, allowed
                left = right
        # {"value": "words", ...}.get(answers.X): a table of wording keyed by choice values.
        for call in ast.find_all(nodes.Call):
            table = call.node
            if not (
                isinstance(table, nodes.Getattr)
                and table.attr == "get"
                and isinstance(table.node, nodes.Dict)
                and call.args
            ):
                continue
            subject = self.subject(call.args[0])
            if subject is None:
                continue
            what, allowed = subject
            for pair in table.node.items:
                for value in _strings(pair.key):
                    if value not in allowed:
                        yield call.lineno, what, value, allowed


def template_checks() -> tuple[Callable[[LoadedTree], Iterator[Problem]], ...]:
    """The template checks ``triage check`` and the Authors page hand to
    :mod:`triage.tree.checks`."""
    return (template_problems,)


def template_problems(loaded: LoadedTree) -> Iterator[Problem]:
    """Static check of the templates a tree's outcomes use (and what they include).

    ``template-variable``: ``answers.X`` / ``labels.X`` where X is not a question of the tree,
    ``context.Y`` where Y is not a case context field, ``deadline.Z`` / ``sources.Z`` where Z is
    not a deadline or source of the tree. ``template-syntax``: a template that does not parse.
    ``missing-template``: a part or an included template that is not there (a missing document
    template is reported by :mod:`triage.tree.checks`). Each problem is located at the outcome's
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

    # Every template the outcomes bring in is parsed first, so the names _case.j2 sets from
    # answers are known when another template compares them with a literal.
    for outcome in loaded.tree.outcomes.values():
        for _, names in _parts_for(loaded.tree, outcome):
            for _ in problems_of(names, {n for n in names if not n.startswith("_")}):
                pass
    values = _Values(loaded.tree)
    asts = [(name, ast, found) for name, (ast, found) in parsed.items() if ast is not None]
    learnt = True
    while learnt:  # until no template teaches a new name (every template is read each round)
        learnt = any([values.learn(ast) for _, ast, _ in asts])  # noqa: C419
    for name, ast, found in asts:
        shown = display_path(str(Path(env.loader.get_source(env, name)[1] or name)))  # type: ignore[union-attr]
        for line, what, value, allowed in values.misspelt(ast):
            found.append(
                (
                    "template-value",
                    f'{shown}:{line}: "{value}" is never a value of {what}',
                    did_you_mean(value, sorted(allowed - {""}))
                    or "values: " + ", ".join(sorted(allowed - {""})),
                )
            )

    reported: set[tuple[str, str]] = set()
    for oid, outcome in loaded.tree.outcomes.items():
        for key, names in _parts_for(loaded.tree, outcome):
            top = {n for n in names if not n.startswith("_")}
            for code, message, hint in problems_of(names, top):
                if (code, message) in reported:
                    continue
                reported.add((code, message))
                line, column = loaded.positions.at("nodes", oid, key)
                yield Problem(code, message, hint, loaded.file, line, column)
