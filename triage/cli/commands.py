"""The handlers behind each ``triage`` sub-command. Each takes the parsed arguments and the
output stream and returns an exit code; errors are raised as ``TriageError``s for the CLI to
print.

Each command imports what it needs inside its function: a walk never loads Jinja2, the checks,
the route proofs or the graph code, so a fresh ``triage walk`` starts quickly.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from triage.errors import (
    AnswerError,
    CaseError,
    Problem,
    TreeError,
    TriageError,
    UnknownQuestionError,
    UsageError,
    problem_count,
)
from triage.paths import display_path, is_inside, tree_ids, tree_path, trees_dir

if TYPE_CHECKING:
    from triage.tree.checks import Report
    from triage.tree.loader import LoadedTree, SourceMap
    from triage.tree.model import Case, Tree
    from triage.walk.engine import Walk

OK, PROBLEMS, USAGE = 0, 1, 2


def emit_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _check(path: Path) -> Report:
    """Check one tree file; its problems capped (see :func:`triage.errors.cap_problems`)."""
    from dataclasses import replace

    from triage.documents.template_checks import template_checks
    from triage.errors import cap_problems
    from triage.paths import responses_dir
    from triage.tree.checks import check_file

    report = check_file(path, responses_dir(), template_checks(), display=display_path(path))
    return replace(report, problems=cap_problems(report.problems))


def _problem_line(p: Problem) -> str:
    text = f"{p.file}:{p.line}:{p.column}: {p.severity}: {p.message}"
    return f"{text} (hint: {p.hint})" if p.hint else text


def _report_json(report: Report) -> dict[str, Any]:
    return {
        "file": report.file,
        "ok": report.ok,
        "problem_count": problem_count(report.problems),
        "problems": [p.to_json() for p in report.problems],
    }


def validate(args: argparse.Namespace, out: TextIO) -> int:
    reports = []
    for name in args.paths:
        path = Path(name)
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "no such file"
            raise UsageError(f'{what}: "{name}"', "give the path of a tree .yaml file")
        reports.append(_check(path))
    if args.format == "json":
        emit_json({"files": [_report_json(r) for r in reports]}, out)
    else:
        for r in reports:
            for p in r.problems:
                out.write(_problem_line(p) + "\n")
            if r.ok:
                warnings = len(r.problems)
                out.write(
                    f"{r.file}: ok" + (f" ({warnings} warning(s))" if warnings else "") + "\n"
                )
            elif r.tree is None:
                out.write(
                    f"{r.file}: could not be loaded; the whole-tree checks run once "
                    "these are fixed\n"
                )
    return OK if all(r.ok for r in reports) else PROBLEMS


def check(args: argparse.Namespace, out: TextIO) -> int:
    folder = Path(args.folder) if args.folder else trees_dir()
    if folder.is_file():  # one tree: `triage check decision_trees/upwork.yaml`
        files = [folder]
    elif not folder.is_dir():
        raise UsageError(
            f'no such folder or tree file "{args.folder}"', "give a folder of trees or a tree file"
        )
    else:
        files = sorted(folder.glob("*.yaml"))
    if not files:
        raise UsageError(f'no tree files in "{display_path(folder)}"', "trees end in .yaml")
    reports = [_check(p) for p in files]
    if args.format == "json":
        emit_json(
            {
                "ok": all(r.ok for r in reports),
                "trees": [
                    {
                        **_report_json(r),
                        "scenarios": [s.to_json() for s in r.scenarios],
                        "coverage": r.coverage.to_json() if r.coverage else None,
                    }
                    for r in reports
                ],
            },
            out,
        )
    else:
        for r in reports:
            for p in r.problems:
                out.write(_problem_line(p) + "\n")
            passed = sum(s.ok for s in r.scenarios)
            line = f"{r.file}: {'ok' if r.ok else 'FAILED'}; scenarios {passed}/{len(r.scenarios)}"
            if r.coverage:
                c = r.coverage
                line += (
                    f"; outcomes covered {sum(c.outcomes.values())}/{len(c.outcomes)}"
                    f" ({c.outcome_ratio:.0%}); branches covered "
                    f"{sum(c.branches.values())}/{len(c.branches)} ({c.branch_ratio:.0%})"
                )
            out.write(line + "\n")
    return OK if all(r.ok for r in reports) else PROBLEMS


def load_case_tree(case: Case, base: Path | None = None, any_path: bool = False) -> LoadedTree:
    """Load the tree a case names: an id, or a path (relative to the working folder or the
    case file) inside the trees folder; with ``any_path`` (``--allow-tree-path``), anywhere.

    A file from elsewhere that does not load is not quoted: it may not be a tree at all (say
    /etc/shadow), and its problems would show its lines.
    """
    from triage.tree.loader import load_tree

    folder = trees_dir()
    if not case.tree:
        ids = ", ".join(tree_ids(folder)) or "(none yet)"
        raise CaseError(
            'the case names no tree: it has no "tree" line',
            f'add "tree" with one of these ids, the files in {display_path(folder)}/: {ids}',
        )
    path = tree_path(case.tree, allow_paths=True, base=base, within=None if any_path else folder)
    try:
        return load_tree(path, display=display_path(path))
    except TreeError:
        if is_inside(path, folder) or _looks_like_tree(path):
            raise
        shown = case.tree if len(case.tree) <= 100 else case.tree[:100] + "..."
        raise CaseError(
            f'tree "{shown}" could not be read as a decision tree',
            f"if it is one, see its problems with: triage validate {shown}",
        ) from None


def _looks_like_tree(path: Path) -> bool:
    """Whether the file parses to a mapping with a tree's "nodes" key."""
    from triage.tree.loader import parse_yaml, read_limited

    try:
        data, _ = parse_yaml(read_limited(path, path.name), path.name)
    except TriageError:
        return False
    return isinstance(data, dict) and "nodes" in data


@dataclass(frozen=True)
class CaseFile:
    """A case read from the command line, with where its values sit in the file."""

    case: Case
    base: Path | None
    positions: SourceMap | None = None


# Codes of case problems that mean "could not read the file" (exit 2), not "bad content" (1).
UNREADABLE = {"unreadable", "not-utf8", "too-large", "empty"}


def _read_case(name: str) -> CaseFile:
    from triage.tree.loader import load_case_located, read_limited

    path = Path(name)
    if name != "-" and not path.is_file():
        what = "a folder" if path.is_dir() else "no such case file"
        raise UsageError(f'{what}: "{name}"', "give a .yaml or .json case file")
    try:
        if name == "-":
            case, positions = load_case_located(sys.stdin.buffer.read(), "<stdin>")
            return CaseFile(case, None, positions)
        name = display_path(path)
        case, positions = load_case_located(read_limited(path, name, error=CaseError), name)
    except CaseError as error:
        if error.problems and error.problems[0].code in UNREADABLE:
            raise UsageError(error.message, error.hint) from None
        raise
    return CaseFile(case, path.parent, positions)


def _walk_case(source: CaseFile, any_path: bool = False) -> Walk:
    from triage.walk.engine import start

    tree = load_case_tree(source.case, source.base, any_path).tree
    try:
        return start(tree, source.case)
    except (AnswerError, UnknownQuestionError) as error:
        if source.positions is None:
            raise
        line, column = source.positions.at("answers", error.question)
        raise CaseError(
            f"{source.positions.file}:{line}:{column}: {error.message}", error.hint
        ) from None


def walk(args: argparse.Namespace, out: TextIO) -> int:
    if args.batch:
        if args.case:
            raise UsageError("give either a CASE file or --batch FILE.jsonl, not both")
        if args.format == "text":
            raise UsageError("--batch always writes JSON lines; leave out --format text")
        return _walk_batch(args.batch, out, args.allow_tree_path)
    if not args.case:
        raise UsageError("give a CASE file, or --batch FILE.jsonl")
    result = _walk_case(_read_case(args.case), args.allow_tree_path)
    if args.format == "json":
        emit_json(result.to_json(), out)
        return OK
    out.write(describe_walk(result))
    return OK


def describe_walk(walk: Walk) -> str:
    """The walk in plain words, for the terminal."""
    lines = [f"Tree: {walk.tree.title}"]
    for step in walk.path:
        node = walk.tree.nodes[step.node]
        ask = getattr(node, "ask", None) or getattr(node, "title", "") or step.node
        shown = ", ".join(step.answer) if isinstance(step.answer, list) else step.answer
        lines.append(
            f"  - {ask}"
            + (f" -> {shown}" if shown is not None else "")
            + (f"  ({step.reason})" if step.reason and step.reason != shown else "")
        )
    if walk.outcome is not None:
        lines.append(
            f"Outcome: {walk.outcome.title} [{walk.outcome.kind}"
            + (f", {walk.outcome.ground}]" if walk.outcome.ground else "]")
        )
        lines.append(f"  {walk.outcome.summary}")
    elif walk.question is not None:
        from triage.walk.wording import as_asked

        question = as_asked(walk, walk.question)
        lines.append(f"Next question ({walk.at}): {question.ask}")
        for c in question.choices:
            lines.append(f"  {c.value}: {c.label}")
    for d in walk.deadlines:
        lines.append(f"Deadline: {d.label}: {d.date.isoformat()} ({d.days_left} days left)")
    return "\n".join(lines) + "\n"


def _walk_batch(name: str, out: TextIO, any_path: bool = False) -> int:
    """One JSON result per JSON case line. Each line is decoded with ``json.loads`` and checked
    like a case file (:func:`triage.tree.loader.load_case_json`); each tree is loaded once."""
    from triage.tree.loader import DEFAULT_LIMITS, load_case_json
    from triage.walk.engine import start

    if name != "-" and not Path(name).is_file():
        raise UsageError(f'no such file "{name}"', "give a .jsonl file: one JSON case per line")
    failed = False
    trees: dict[str, Tree | TriageError] = {}
    encode = json.JSONEncoder(ensure_ascii=False).encode
    limit = DEFAULT_LIMITS.max_bytes
    handle = sys.stdin.buffer if name == "-" else Path(name).open("rb")  # noqa: SIM115
    try:
        number = 0
        while raw := handle.readline(limit + 1):
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                _skip_line(handle)
            elif not raw.strip():
                continue
            result: dict[str, Any]
            try:
                case = load_case_json(raw[:-1] if raw.endswith(b"\n") else raw, "case")
                tree = trees.get(case.tree)
                if tree is None:
                    try:
                        tree = load_case_tree(case, None, any_path).tree
                    except TriageError as error:
                        tree = error  # every line naming this tree gets the same answer
                    trees[case.tree] = tree
                if isinstance(tree, TriageError):
                    failed = True
                    result = {"error": f"line {number}: {tree}"}
                else:
                    result = start(tree, case).to_json()
            except TriageError as error:
                failed = True
                result = {"error": f"line {number}: {error}"}
            out.write(encode(result) + "\n")
    finally:
        if name != "-":
            handle.close()
    return PROBLEMS if failed else OK


def _skip_line(handle: Any) -> None:
    """Read on to the end of an over-long line, a megabyte at a time."""
    while True:
        rest = handle.readline(1 << 20)
        if not rest or rest.endswith(b"\n"):
            return


def render(args: argparse.Namespace, out: TextIO) -> int:
    from triage.documents.render import render_document

    walked = _walk_case(_read_case(args.case), args.allow_tree_path)
    document, findings = render_document(walked, args.format)
    if args.out:
        try:
            Path(args.out).write_text(document, encoding="utf-8")
        except OSError as error:
            raise UsageError(
                f'cannot write "{args.out}": {error.strerror or error}',
                "give a file path in a folder that exists",
            ) from None
    else:
        out.write(document)
    for f in findings:
        sys.stderr.write(f'triage: tone: "{f.text}": {f.message}\n')
    # The document is written either way; exit 1 says it needs an edit before it is used.
    return PROBLEMS if findings else OK


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.buffer.read().decode("utf-8", errors="replace")
    path = Path(name)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "no such file"
        raise UsageError(f'{what}: "{name}"', "give a text file, or - for standard input")
    if path.stat().st_size > 1_000_000:
        raise UsageError(f'"{name}" is larger than 1 MB', "paste only the review or reply")
    return path.read_bytes().decode("utf-8", errors="replace")


def screen(args: argparse.Namespace, out: TextIO) -> int:
    from triage.text.prescreen import screen as run_screen

    review = _read_text(args.file)
    messages = _read_text(args.messages) if args.messages else ""
    result = run_screen(review, messages)
    if args.format == "json":
        emit_json(result.to_json(), out)
        return OK
    if not result.signals:
        out.write(
            "No phrase suggests a removal ground. Read the review against the rules anyway.\n"
        )
    for s in result.signals:
        out.write(f'{s.ground}: {s.label}: "{s.text}" at {s.start}-{s.end}\n')
    if result.suggested_grounds:
        out.write(f"Suggested grounds to look at: {', '.join(result.suggested_grounds)}\n")
    return OK


def tone(args: argparse.Namespace, out: TextIO) -> int:
    from triage.text.tone import check as check_tone
    from triage.tree.model import REPLY_LIMIT

    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be a positive number of characters")
    text = _read_text(args.file)
    report = check_tone(
        text,
        purpose=args.purpose,
        limit=REPLY_LIMIT if args.limit is None else args.limit,
        platform=" ".join(args.platform.split())[:100] or "the platform",
    )
    if args.format == "json":
        emit_json(report.to_json(), out)
    else:
        for f in report.findings:
            out.write(
                f'{f.start}-{f.end}: {f.severity}: {f.message} "{f.text}"'
                + (f" (try: {f.suggestion})" if f.suggestion else "")
                + "\n"
            )
        out.write(f"{report.length}/{report.limit} characters; {len(report.findings)} finding(s)\n")
    return PROBLEMS if report.findings else OK


def graph(args: argparse.Namespace, out: TextIO) -> int:
    from triage.tree.diagram import to_dot, to_mermaid
    from triage.tree.loader import load_tree
    from triage.walk.engine import start

    try:
        path = tree_path(args.tree, allow_paths=True)
    except TriageError as error:
        raise UsageError(error.message, error.hint) from None
    tree = load_tree(path, display=display_path(path)).tree
    walked: list[tuple[str, str]] = []
    current = None
    if args.case:
        result = start(tree, _read_case(args.case).case)
        walked = [(s.node, s.go) for s in result.path]
        current = result.at
    out.write((to_mermaid if args.format == "mermaid" else to_dot)(tree, walked, current))
    return OK


def new_tree(args: argparse.Namespace, out: TextIO) -> int:
    from triage.paths import responses_dir
    from triage.tree.new_tree import create
    from triage.walk.dates import today_utc

    try:
        made = create(args.platform, trees_dir(), responses_dir(), today_utc())
    except TriageError as error:  # a name that makes no id, or a tree that exists: usage
        raise UsageError(error.message, error.hint) from None
    tree_file, templates = display_path(made.tree_file), display_path(made.templates)
    out.write(
        f"Created {tree_file} and {templates}/.\n"
        f"Next: fill in every REPLACE in {tree_file} from the platform's own help pages, then\n"
        f"  triage check {tree_file}\n"
        'The tutorial is docs/authoring.md, "Add a platform".\n'
    )
    return OK


def schema(args: argparse.Namespace, out: TextIO) -> int:
    from triage.tree.schema import tree_schema

    emit_json(tree_schema(), out)
    return OK
