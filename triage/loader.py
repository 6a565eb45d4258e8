"""Load trees and cases from YAML (or JSON) text, with every problem located for the author.

Parsing is done by :mod:`triage.yamlsafe`. This module validates the data with the pydantic
models and rewrites pydantic's errors in plain words, at the line and column of the key at fault.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from triage.dates import LATEST_DAY, check_case_day, parse_day
from triage.errors import CaseError, Problem, TreeError
from triage.explain import explain
from triage.model import CONTEXT_DATES, Case, Tree
from triage.registry import display_path
from triage.yamlsafe import Limits, SourceMap, decode, parse_decoded, parse_yaml

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "LoadedTree",
    "SourceMap",
    "display_name",
    "explain",
    "load_case",
    "load_case_located",
    "load_case_text",
    "load_tree",
    "load_tree_text",
    "parse_yaml",
]

DEFAULT_LIMITS = Limits()
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedTree:
    """A validated tree with its file name, source positions and decoded text."""

    tree: Tree = field(hash=False)
    file: str
    positions: SourceMap
    text: str


def load_tree_text(
    text: str | bytes, file: str = "<upload>", limits: Limits = DEFAULT_LIMITS
) -> LoadedTree:
    """Parse and validate a tree. Raises TreeError listing every problem found."""
    source = decode(text, file, limits)
    data, positions = parse_decoded(source, file, limits)
    tree = validate(Tree, data, positions, "the tree")
    return LoadedTree(tree, file, positions, source)


def load_tree(path: str | Path, display: str | None = None) -> LoadedTree:
    """Load a tree file. ``display`` names it in messages (default: see :func:`display_name`)."""
    name = display or display_name(path)
    return load_tree_text(read_limited(path, name), name)


def load_case_text(text: str | bytes, file: str = "<case>") -> Case:
    """Parse and validate a case file (YAML or JSON). Raises CaseError naming every problem."""
    return load_case_located(text, file)[0]


def load_case_located(text: str | bytes, file: str = "<case>") -> tuple[Case, SourceMap]:
    """Like :func:`load_case_text`, with where each value sits, so that later errors about
    the answers (an answer that does not fit the tree) can point at their line."""
    try:
        data, positions = parse_yaml(text, file, DEFAULT_LIMITS)
        case = validate(Case, data, positions, "the case")
        far = list(_far_dates(case, positions))
        if far:
            raise TreeError(far)
        return case, positions
    except TreeError as error:
        lines = [_case_line(p) for p in error.problems]
        case_error = CaseError("\n".join(dict.fromkeys(lines)), problems=error.problems)
        raise case_error from None


def _far_dates(case: Case, positions: SourceMap) -> Iterator[Problem]:
    """A problem for each date in the case too far ahead to count deadlines from (the
    calendar ends in 9999): ``today``, the context's dates and answers written as dates."""
    found: list[tuple[tuple[str, ...], str, dt.date]] = []
    if case.today is not None:
        found.append((("today",), '"today"', case.today))
    for name in CONTEXT_DATES:
        value = getattr(case.context, name, None)
        if isinstance(value, dt.date):
            found.append((("context", name), f'context "{name}"', value))
    latest = LATEST_DAY.isoformat()
    for qid, answer in case.answers.items():
        # Dates in YYYY-MM-DD sort as text: only a later one needs reading.
        if isinstance(answer, str) and len(answer) == 10 and answer > latest:
            try:
                day = parse_day(answer)
            except ValueError:
                continue
            found.append((("answers", qid), f'the answer to "{qid}"', day))
    for path, what, day in found:
        try:
            check_case_day(day)
        except ValueError as error:
            yield Problem(
                "date-out-of-range",
                f"{what} is {error}",
                "check the year",
                positions.file,
                *positions.at(*path),
            )


def load_case(path: str | Path) -> Case:
    """Load a case file (YAML or JSON). Raises CaseError."""
    name = display_name(path)
    return load_case_text(read_limited(path, name, error=CaseError), name)


def display_name(path: str | Path) -> str:
    """The path as messages show it (see :func:`triage.registry.display_path`): never the
    machine's folders."""
    return display_path(path)


def read_limited(
    path: str | Path,
    name: str,
    limit: int = DEFAULT_LIMITS.max_bytes,
    error: type[Exception] = TreeError,
) -> bytes:
    """Read at most one byte past the limit, so a huge file is refused without reading it all.
    An unreadable file raises ``error`` (TreeError or CaseError) with an ``unreadable`` problem."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as failure:
        reason = failure.strerror or type(failure).__name__
        message = f"cannot read the file: {reason}"
        hint = "check the file name and that the file is readable"
        problem = Problem("unreadable", message, hint, name)
        if error is CaseError:
            raise CaseError(f"{name}: {message}", hint, [problem]) from None
        raise TreeError([problem]) from None


def _case_line(problem: Problem) -> str:
    where = f"{problem.file}:{problem.line}:{problem.column}" if problem.line else problem.file
    hint = f" ({problem.hint})" if problem.hint else ""
    return f"{where}: {problem.message}{hint}"


def validate(model: type[M], data: Any, positions: SourceMap, subject: str) -> M:
    """``data`` as ``model``; pydantic's errors become located problems in one TreeError."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = explain(error, model, data, positions, subject)
    except RecursionError:  # the depth limit makes this unreachable; never let it escape
        problems = [Problem("too-deep", "the file nests too deeply", file=positions.file)]
    raise TreeError(problems)
