"""Whole-tree checks. Every problem is collected in one pass, each located at file:line:col with
a stable code, a message for the person editing the YAML, and a hint.

Codes (stable; tests and scripts may rely on them):
``bad-reference``, ``unknown-source``, ``no-source``, ``unknown-deadline``, ``bad-condition``,
``unreachable``, ``no-outcome-path``, ``cycle``, ``no-route``, ``not-exhaustive``, ``overlap``,
``unused-route``, ``ground``, ``missing-template``, ``template-variable``, ``scenario-failed``,
``scenario-answer``, ``duplicate-scenario``, ``untested-outcome``, ``tree-id``,
``too-complex``, ``duplicate-choice``, ``invisible-char`` (a warning); ``template-variable``
and ``template-syntax`` come from :func:`triage.documents.render.template_problems`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from triage.errors import Problem, Severity, TreeError, TriageError, char_name, did_you_mean
from triage.paths import display_path, template_dirs
from triage.tree.kinds import kinds_of
from triage.tree.loader import LoadedTree, load_tree
from triage.tree.model import (
    CONTEXT_DATES,
    Branch,
    Condition,
    Outcome,
    Question,
    Tree,
)
from triage.tree.route_proofs import find as find_route_problems
from triage.tree.scenarios import Coverage, ScenarioResult, coverage, run_scenarios
from triage.tree.topology import Edge, cycles, edges, reachable, reaches_outcome
from triage.walk.conditions import date_subjects, walk_conditions

# Extra template checks plug in here (see triage.documents.render); kept as a hook so this
# module does not import Jinja2.
TemplateCheck = Callable[[LoadedTree], Iterator[Problem]]


@dataclass(frozen=True)
class Report:
    """Everything ``triage check`` knows about one tree file."""

    file: str
    problems: tuple[Problem, ...]
    scenarios: tuple[ScenarioResult, ...] = ()
    coverage: Coverage | None = None
    tree: Tree | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class _Collector:
    def __init__(self, loaded: LoadedTree) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = []

    def add(
        self,
        where: tuple[str | int, ...],
        code: str,
        message: str,
        hint: str = "",
        severity: Severity = "error",
    ) -> None:
        line, column = self.loaded.positions.at(*where)
        self.problems.append(Problem(code, message, hint, self.loaded.file, line, column, severity))


def check_loaded(
    loaded: LoadedTree,
    templates: Path | None = None,
    template_checks: tuple[TemplateCheck, ...] = (),
) -> Report:
    """Run every check on a loaded tree. ``templates`` is the responses/ folder (None: skip)."""
    out = _Collector(loaded)
    tree = loaded.tree
    out_edges = edges(tree)
    succ = {nid: [e.target for e in es if e.target in tree.nodes] for nid, es in out_edges.items()}
    _references(tree, out_edges, out)
    _choices(tree, out)
    _ground_ids(tree, out)
    _wording(tree, out)
    _graph(tree, succ, out)
    _conditions(tree, out)
    _routes(tree, succ, out)
    _outcomes(tree, out, templates)
    out.problems.extend(invisible_characters(loaded.text, loaded.file))
    for extra in template_checks:
        out.problems.extend(extra(loaded))
    results: list[ScenarioResult] = []
    cover: Coverage | None = None
    if tree.start in tree.nodes:
        # The engine stops at loops and dead ends itself, so scenarios run on any tree.
        results = _scenarios(tree, out)
        cover = coverage(tree, results)
        for oid, hit in cover.outcomes.items():
            if not hit:
                out.add(
                    ("nodes", oid),
                    "untested-outcome",
                    f'no scenario reaches outcome "{oid}"',
                    "add a scenario whose answers end here",
                    "warning",
                )
    stem = Path(loaded.file).stem
    if stem and not stem.startswith("<") and stem != tree.id:
        out.add(
            ("id",),
            "tree-id",
            f'the tree\'s id "{tree.id}" differs from its file name',
            f'rename one so cases can find the tree as "{stem}"',
            "warning",
        )
    problems = sorted(out.problems, key=lambda p: (p.line, p.column, p.code))
    return Report(loaded.file, tuple(problems), tuple(results), cover, tree)


def check_file(
    path: str | Path,
    templates: Path | None = None,
    template_checks: tuple[TemplateCheck, ...] = (),
    display: str | None = None,
) -> Report:
    """Load and check one tree file. A tree that does not load reports its load problems."""
    try:
        loaded = load_tree(path, display=display)
    except TreeError as error:
        return Report(display or Path(path).name, error.problems)
    return check_loaded(loaded, templates, template_checks)


# Characters that show nothing yet change what a reader sees: bidirectional embeddings, overrides
# and isolates (they can reverse a line), zero-width characters and marks, line and paragraph
# separators, and a byte-order mark inside the file (the loader strips one at the very start).
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def invisible_characters(text: str, file: str) -> Iterator[Problem]:
    """A warning at each invisible or bidirectional character in a tree's text."""
    if not INVISIBLE.search(text):
        return
    for match in INVISIBLE.finditer(text):
        index = match.start()
        line_start = text.rfind("\n", 0, index) + 1
        yield Problem(
            "invisible-char",
            f"an invisible character, {char_name(match.group())}, is in the text",
            "it can hide words or reverse how a line reads where the text is shown; "
            "delete it unless it is really meant",
            file,
            text.count("\n", 0, index) + 1,
            index - line_start + 1,
            "warning",
        )


def _references(tree: Tree, out_edges: dict[str, list[Edge]], out: _Collector) -> None:
    ids = list(tree.nodes)
    if tree.start not in tree.nodes:
        out.add(
            ("start",),
            "bad-reference",
            f'"start: {tree.start}" points to no node',
            did_you_mean(tree.start, ids) or "name one of the ids under nodes",
        )
    for nid, es in out_edges.items():
        for e in es:
            if e.target not in tree.nodes:
                out.add(
                    e.where,
                    "bad-reference",
                    f'"go: {e.target}" in "{nid}" points to no node',
                    did_you_mean(e.target, ids) or "name one of the ids under nodes",
                )
    for nid, node in tree.nodes.items():
        if node.source is not None:
            _cited(tree, out, ("nodes", nid, "source"), f'"{nid}"', node.source)
        elif node.source is None and (node.is_question or isinstance(node, Outcome)):
            out.add(
                ("nodes", nid),
                "no-source",
                f'"{nid}" cites no policy source',
                "add source: KEY naming an entry under sources (URL and date checked)",
                "error" if node.is_question else "warning",
            )
    for gid, ground in tree.grounds.items():
        _cited(tree, out, ("grounds", gid, "source"), f'ground "{gid}"', ground.source)
    subjects = ("today", *date_subjects(tree))
    for name, rule in tree.deadlines.items():
        if rule.source is not None:
            _cited(tree, out, ("deadlines", name, "source"), f'deadline "{name}"', rule.source)
        if rule.from_ not in subjects:
            out.add(
                ("deadlines", name, "from"),
                "bad-reference",
                f'deadline "{name}" counts from "{rule.from_}", which is not a known date',
                did_you_mean(rule.from_, subjects) or f"use one of: {', '.join(subjects)}",
            )


def _choices(tree: Tree, out: _Collector) -> None:
    """Each choice of a question has its own value: an answer names exactly one choice."""
    for nid, node in tree.questions.items():
        seen: set[str] = set()
        for i, choice in enumerate(node.choices):
            if choice.value in seen:
                out.add(
                    ("nodes", nid, "choices", i),
                    "duplicate-choice",
                    f'"{nid}" has two choices with the value "{choice.value}"',
                    "give each choice its own value",
                )
            seen.add(choice.value)


def _ground_ids(tree: Tree, out: _Collector) -> None:
    """Each ground id is one of the shared vocabulary's, so a reason has one id everywhere."""
    from triage.tree.vocabulary import shared_grounds

    known = shared_grounds()
    if known is None:
        return
    for gid in tree.grounds:
        if gid not in known:
            out.add(
                ("grounds", gid),
                "unknown-ground-id",
                f'"{gid}" is not a ground id of the shared vocabulary (decision_trees/shared/'
                "grounds.yaml)",
                did_you_mean(gid, sorted(known))
                or "use one of its ids, or add the new kind of reason there first",
            )


def _wording(tree: Tree, out: _Collector) -> None:
    """A ``{placeholder}`` in a question's words is one the page can fill from the case."""
    from triage.walk.wording import PLACEHOLDERS, placeholders

    for nid, node in tree.questions.items():
        for where, text in node.wording():
            for _, name in placeholders(text):
                if name not in PLACEHOLDERS:
                    out.add(
                        ("nodes", nid, *where),
                        "unknown-placeholder",
                        f'"{{{name}}}" in "{nid}" is not a fact the page knows',
                        did_you_mean(name, sorted(PLACEHOLDERS))
                        or "use one of: " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                    )


def _cited(
    tree: Tree, out: _Collector, where: tuple[str | int, ...], who: str, source: str
) -> None:
    """Report ``source`` if it names no entry under ``sources``."""
    if source not in tree.sources:
        out.add(
            where,
            "unknown-source",
            f'{who} cites source "{source}", which is not under sources',
            did_you_mean(source, tree.sources) or "add it under sources",
        )


def _graph(tree: Tree, succ: dict[str, list[str]], out: _Collector) -> None:
    """Reachability, dead ends and cycles."""
    loops = cycles(succ)
    for group in loops:
        out.add(
            ("nodes", group[0]),
            "cycle",
            f"these nodes loop back on each other: {', '.join(group)}",
            "a walk must always move forward; point one of them at a later node",
        )
    if tree.start in tree.nodes:
        seen = reachable(tree.start, succ)
        unreachable = [nid for nid in tree.nodes if nid not in seen]
        for nid in unreachable:
            out.add(
                ("nodes", nid),
                "unreachable",
                f'no way leads from the start to "{nid}"',
                "point a choice or route at it, or delete it",
            )
    good = reaches_outcome(tree, succ)
    for nid in tree.nodes:
        if nid not in good:
            out.add(
                ("nodes", nid),
                "no-outcome-path",
                f'from "{nid}" no way leads to an outcome',
                "every path must end at a node with type: outcome",
            )
    for nid, node in tree.nodes.items():
        if isinstance(node, Outcome):
            continue
        has_default = bool(node.otherwise) or bool(getattr(node, "go", None))
        question = cast(Question, node) if node.is_question else None
        if question is not None and question.picks_one:
            if not node.routes and not has_default:
                for i, choice in enumerate(question.choices):
                    if not choice.go:
                        path = question.choice_path(i, choice)  # the choice, not its go:
                        where = ("nodes", nid, *(path[:-1] if path[-1] == "go" else path))
                        out.add(
                            where,
                            "no-route",
                            f'choice "{choice.value}" of "{nid}" leads nowhere',
                            "give the choice a go:, or give the question routes or go:",
                        )
        elif not node.routes and not has_default:
            what = "branch" if isinstance(node, Branch) else "question"
            out.add(
                ("nodes", nid),
                "no-route",
                f'{what} "{nid}" leads nowhere',
                "add go: (or routes: with otherwise:)",
            )


def _conditions(tree: Tree, out: _Collector) -> None:
    questions = tree.questions
    days_subjects = date_subjects(tree)
    conditions: list[tuple[tuple[str | int, ...], Condition]] = [
        (("nodes", nid, "routes", r, "when"), candidate.when)
        for nid, node in tree.nodes.items()
        if not isinstance(node, Outcome)
        for r, candidate in enumerate(node.routes)
    ]
    conditions += [
        (("grounds", g, "when"), info.when) for g, info in tree.grounds.items() if info.when
    ]
    for where, top in conditions:
        for cond in walk_conditions(top):
            if cond.days_since is not None and cond.days_since not in days_subjects:
                out.add(
                    where,
                    "bad-condition",
                    f'days_since "{cond.days_since}" is not a known date',
                    did_you_mean(cond.days_since, days_subjects)
                    or f"use one of: {', '.join(days_subjects)}",
                )
            if cond.question is None:
                continue
            q = questions.get(cond.question)
            if q is None:
                out.add(
                    where,
                    "bad-condition",
                    f'the condition tests "{cond.question}", which is not a question',
                    did_you_mean(cond.question, questions) or "name a question id",
                )
                continue
            if not q.choices:
                continue
            values = [c.value for c in q.choices]
            tested = [v for v in (cond.is_, cond.is_not, cond.includes) if v]
            tested += cond.in_ or ()
            for v in tested:
                if v not in values:
                    out.add(
                        where,
                        "bad-condition",
                        f'"{cond.question}" has no choice "{v}"',
                        did_you_mean(v, values) or f"choices are: {', '.join(values)}",
                    )
            if cond.includes is not None and not q.answers_many:
                out.add(
                    where,
                    "bad-condition",
                    f'"includes" works on several-choice questions; "{cond.question}" '
                    "takes one answer",
                    "use is: or in: instead",
                )
            if q.answers_many and (cond.is_ or cond.is_not or cond.in_):
                out.add(
                    where,
                    "bad-condition",
                    f'"{cond.question}" takes several answers; test it with includes:',
                    "e.g. {question: " + cond.question + ", includes: " + values[0] + "}",
                )


def _routes(tree: Tree, succ: dict[str, list[str]], out: _Collector) -> None:
    dominates: dict[tuple[str, str], bool] = {}

    def always_answered_for(nid: str) -> Callable[[str], bool]:
        def check(subject: str) -> bool:
            if subject in CONTEXT_DATES or subject not in tree.nodes:
                return False
            key = (subject, nid)
            if key not in dominates:
                dominates[key] = nid not in reachable(tree.start, succ, avoid=subject)
            return dominates[key]

        return check

    for nid, node in tree.nodes.items():
        if isinstance(node, Outcome) or not node.routes:
            continue
        if (
            node.is_question
            and cast(Question, node).picks_one
            and all(c.go for c in cast(Question, node).choices)
        ):
            out.add(
                ("nodes", nid, "routes"),
                "unused-route",
                f'every choice of "{nid}" has its own go:, so its routes are never used',
                "remove the routes or the go: of some choices",
                "warning",
            )
            continue
        found = find_route_problems(tree, nid, node, always_answered_for(nid))
        if found is None:
            out.add(
                ("nodes", nid, "routes"),
                "too-complex",
                f'the routes of "{nid}" test too many things at once to check them all',
                "split the decision over two branch nodes",
                "warning",
            )
            continue
        for f in found:
            if f.kind == "gap":
                out.add(
                    ("nodes", nid, "routes"),
                    "not-exhaustive",
                    f'the routes of "{nid}" cover no way on when {f.example}',
                    "add otherwise: with a go:",
                )
            else:
                a, b = (i + 1 for i in f.routes)
                out.add(
                    ("nodes", nid, "routes", f.routes[1]),
                    "overlap",
                    f'routes {a} and {b} of "{nid}" both apply when {f.example}',
                    "make the conditions exclude each other (add a not: or narrow one)",
                )


def _outcomes(tree: Tree, out: _Collector, templates: Path | None) -> None:
    folders = template_dirs(tree.id, templates) if templates is not None else []
    missing_files: dict[str, list[str]] = {}  # template name -> its files not found
    try:
        kinds = kinds_of(tree, templates)
    except TriageError as error:
        problem = f"the outcome kinds can't be read: {error.message}"
        out.add(("nodes",), "kinds", problem, error.hint)
        kinds = {}
    grounds = ", ".join(tree.grounds) or "a ground declared under grounds:"
    for oid, node in tree.outcomes.items():
        kind = kinds.get(node.kind)
        if kind is None and kinds:
            out.add(
                ("nodes", oid, "kind"),
                "unknown-kind",
                f'"{oid}" has kind "{node.kind}", which is not a declared outcome kind',
                did_you_mean(node.kind, kinds)
                or f"use one of: {', '.join(kinds)} (or declare it in responses/kinds.yaml)",
            )
        if kind is not None and kind.needs_ground and node.ground is None:
            out.add(
                ("nodes", oid, "kind"),
                "ground",
                f'{node.kind} "{oid}" names no ground',
                f"add ground: one of {grounds}",
            )
        if node.ground is not None and node.ground not in tree.grounds:
            out.add(
                ("nodes", oid, "ground"),
                "ground",
                f'"{oid}" reports on ground "{node.ground}", which is not under grounds',
                "add it under grounds: with name, short, rule and source",
            )
        if kind is not None and not kind.needs_ground and node.ground is not None:
            out.add(
                ("nodes", oid, "ground"),
                "ground",
                f'"{oid}" is a {node.kind}; that kind of outcome has no ground',
                "remove ground:",
            )
        for i, name in enumerate(node.deadlines):
            if name not in tree.deadlines:
                out.add(
                    ("nodes", oid, "deadlines", i),
                    "unknown-deadline",
                    f'"{oid}" lists deadline "{name}", which is not under deadlines',
                    did_you_mean(name, tree.deadlines) or "add it under deadlines",
                )
        if templates is None:
            continue
        template = node.template
        if template not in missing_files:  # outcomes share templates: look each up once
            missing_files[template] = [
                f"{template}.{suffix}.j2"
                for suffix in ("md", "txt")
                if not any((f / f"{template}.{suffix}.j2").is_file() for f in folders)
            ]
        missing = missing_files[template]
        if missing:
            out.add(
                ("nodes", oid, "template"),
                "missing-template",
                f"template {' and '.join(missing)} not found in "
                + " or ".join(f"{display_path(f)}/" for f in folders),
                did_you_mean(template, _template_names(folders))
                or "create it, or name an existing template",
            )


def _template_names(folders: list[Path]) -> list[str]:
    return sorted({p.name.split(".")[0] for f in folders for p in f.glob("*.j2")})


def _scenarios(tree: Tree, out: _Collector) -> list[ScenarioResult]:
    names: dict[str, int] = {}
    questions = tree.questions
    flagged: set[int] = set()  # scenarios whose answers or expectation were reported here
    for i, scenario in enumerate(tree.scenarios):
        before = len(out.problems)
        if scenario.name in names:
            out.add(
                ("scenarios", i, "name"),
                "duplicate-scenario",
                f'two scenarios are named "{scenario.name}"',
                "give each a distinct name",
            )
        names[scenario.name] = i
        if scenario.expect not in tree.nodes:
            out.add(
                ("scenarios", i, "expect"),
                "bad-reference",
                f'scenario "{scenario.name}" expects "{scenario.expect}", which is no node',
                did_you_mean(scenario.expect, tree.nodes) or "name an outcome or question",
            )
        for qid, value in scenario.answers.items():
            q = questions.get(qid)
            if q is None:
                out.add(
                    ("scenarios", i, "answers", qid),
                    "scenario-answer",
                    f'scenario "{scenario.name}" answers "{qid}", which is not a question',
                    did_you_mean(qid, questions) or "use a question id",
                )
            elif q.choices:
                allowed = [c.value for c in q.choices]
                for v in value if isinstance(value, list) else [value]:
                    if v not in allowed:
                        out.add(
                            ("scenarios", i, "answers", qid),
                            "scenario-answer",
                            f'scenario "{scenario.name}": "{v}" is not a choice of "{qid}"',
                            did_you_mean(v, allowed) or f"choices are: {', '.join(allowed)}",
                        )
        if any(p.code != "duplicate-scenario" for p in out.problems[before:]):
            flagged.add(i)
    results = run_scenarios(tree)
    # A scenario whose answers were already reported above need not be reported twice.
    for result in results:
        if not result.ok and result.index not in flagged:
            out.add(
                ("scenarios", result.index),
                "scenario-failed",
                f'scenario "{result.name}" failed: {result.message}',
                "fix the tree or the scenario's answers",
            )
    return results
