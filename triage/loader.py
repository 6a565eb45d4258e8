"""Load trees and cases from YAML (or JSON) text, with every problem located for the author.

Parsing is done by :mod:`triage.yamlsafe`. This module validates the data with the pydantic
models and rewrites pydantic's errors in plain words, at the line and column of the key at fault.
"""

from __future__ import annotations

import os
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from triage.errors import CaseError, Problem, TreeError, did_you_mean
from triage.model import Case, Tree
from triage.yamlsafe import Limits, SourceMap, decode, parse_yaml

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "LoadedTree",
    "SourceMap",
    "load_case",
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
    data, positions = parse_yaml(source, file, limits)
    tree = _validate(Tree, data, positions, "the tree")
    return LoadedTree(tree, file, positions, source)


def load_tree(path: str | Path, display: str | None = None) -> LoadedTree:
    """Load a tree file. ``display`` names it in messages (default: see :func:`display_name`)."""
    name = display or display_name(path)
    return load_tree_text(_read(path, name, DEFAULT_LIMITS.max_bytes, TreeError), name)


def load_case_text(text: str | bytes, file: str = "<case>") -> Case:
    """Parse and validate a case file (YAML or JSON). Raises CaseError naming every problem."""
    try:
        data, positions = parse_yaml(text, file, DEFAULT_LIMITS)
        return _validate(Case, data, positions, "the case")
    except TreeError as error:
        lines = [_case_line(p) for p in error.problems]
        case_error = CaseError("\n".join(dict.fromkeys(lines)))
        case_error.problems = error.problems  # type: ignore[attr-defined]
        raise case_error from None


def load_case(path: str | Path) -> Case:
    """Load a case file (YAML or JSON). Raises CaseError."""
    name = display_name(path)
    return load_case_text(_read(path, name, DEFAULT_LIMITS.max_bytes, CaseError), name)


def display_name(path: str | Path) -> str:
    """The path relative to the working directory if inside it, else the bare file name.

    Messages end up in pages and bug reports: they must not show the machine's folders.
    """
    absolute = Path(os.path.normpath(Path(path).absolute()))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.name


def _read(path: str | Path, name: str, limit: int, error: type[Exception]) -> bytes:
    """Read at most one byte past the limit, so a huge file is refused without reading it all."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as failure:
        reason = failure.strerror or type(failure).__name__
        message = f"cannot read the file: {reason}"
        hint = "check the file name and that the file is readable"
        if error is CaseError:
            raise CaseError(f"{name}: {message}", hint) from None
        raise TreeError([Problem("unreadable", message, hint, name)]) from None


def _case_line(problem: Problem) -> str:
    where = f"{problem.file}:{problem.line}:{problem.column}" if problem.line else problem.file
    hint = f" ({problem.hint})" if problem.hint else ""
    return f"{where}: {problem.message}{hint}"


def _validate(model: type[M], data: Any, positions: SourceMap, subject: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = explain(error, model, data, positions, subject)
    except RecursionError:  # the depth limit makes this unreachable; never let it escape
        problems = [Problem("too-deep", "the file nests too deeply", file=positions.file)]
    raise TreeError(problems)


# --- pydantic errors in plain words ----------------------------------------------------------

_EXPECTED = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "text",
    "list": "a list",
    "dict": 'a group of "key: value" lines',
    "model": 'a group of "key: value" lines',
    "date": "a date written YYYY-MM-DD",
}
_BOUNDS = {"greater_than_equal": ("at least", "ge"), "less_than_equal": ("at most", "le"),
           "greater_than": ("more than", "gt"), "less_than": ("less than", "lt")}  # fmt: skip
_ID_PATTERNS = ("^[a-z][a-z0-9_]*$", "^[a-z0-9][a-z0-9_]*$")
_ITEM = {"choices": "choice", "routes": "route", "evidence": "evidence item",
         "scenarios": "scenario", "all": "condition", "any": "condition", "next_steps": "step",
         "deadlines": "deadline", "in": "value"}  # fmt: skip
_ENTRY = {"nodes": "node", "sources": "source", "deadlines": "deadline", "answers": "answer"}
_PLAIN = {"when": "the condition", "context": "context", "settings": "settings"}


def explain(
    error: ValidationError, model: type[BaseModel], data: Any, positions: SourceMap, subject: str
) -> list[Problem]:
    """One located, plain-words Problem per pydantic error (deduplicated, in file order)."""
    found: dict[tuple[Any, ...], Problem] = {}
    unions: dict[tuple[str | int, ...], list[tuple[ErrorDetails, tuple[str | int, ...]]]] = {}
    for err in error.errors(include_url=False, include_context=True):
        path, union_at = _walk(data, err["loc"], err["type"] == "missing")
        if union_at is not None:  # one error per member of a `str | list[str]`: merge below
            unions.setdefault(union_at, []).append((err, path))
            continue
        problem = _problem(err, model, path, positions, subject)
        found.setdefault((problem.code, problem.line, problem.column, problem.message), problem)
    for union_at, members in unions.items():
        deeper = [(err, path) for err, path in members if len(path) > len(union_at)]
        for err, path in deeper:  # the value had a member's shape: report inside it
            problem = _problem(err, model, path, positions, subject)
            found.setdefault((problem.code, problem.line, problem.column), problem)
        if not deeper:
            wanted = " or ".join(dict.fromkeys(_expected(e["type"]) for e, _ in members))
            line, column = positions.at(*union_at)
            message = f"{_name(union_at, subject)} should be {wanted}, got {_show(members[0][0])}"
            found.setdefault(union_at, Problem("wrong-type", message, "", positions.file,
                                               line, column))  # fmt: skip
    return sorted(found.values(), key=lambda p: (p.line, p.column))


def _walk(
    data: Any, loc: Sequence[str | int], missing: bool
) -> tuple[tuple[str | int, ...], tuple[str | int, ...] | None]:
    """Follow ``loc`` through the data: the path of keys that exist (plus a missing key), and
    where a non-discriminated union member segment such as "str" or "list[str]" was skipped."""
    path: list[str | int] = []
    union_at = None
    current = data
    for index, segment in enumerate(loc):
        if isinstance(current, dict):
            if segment in _NODE_TYPES and current.get("type") == segment:
                continue  # the discriminator tag pydantic adds after a node's id
            if segment in current:
                current = current[segment]
                path.append(segment)
                continue
        elif isinstance(current, list) and isinstance(segment, int) and segment < len(current):
            current = current[segment]
            path.append(segment)
            continue
        if missing and index == len(loc) - 1:
            path.append(segment)
        elif union_at is None:
            union_at = tuple(path)
    return tuple(path), union_at


def _problem(
    err: ErrorDetails, model: type[BaseModel], path: tuple[str | int, ...],
    positions: SourceMap, subject: str,
) -> Problem:  # fmt: skip
    kind: str = err["type"]
    ctx = err.get("ctx") or {}
    parent, key = path[:-1], (path[-1] if path else "")
    line, column = positions.at(*path)
    code, hint = "invalid", ""
    if kind == "extra_forbidden":
        code = "unknown-key"
        allowed = _keys(model, err["loc"][:-1])
        message = f'unknown key "{key}" in {_where(parent, subject)}'
        suggestion = did_you_mean(str(key), allowed)
        message += f"; {suggestion}" if suggestion else ""
        hint = f"allowed keys: {', '.join(allowed)}" if allowed else ""
    elif kind in ("missing", "union_tag_not_found"):
        code = "missing-key"
        line, column = positions.at(*(parent if kind == "missing" else path))
        needed = str(key) if kind == "missing" else "type"
        where = _where(parent if kind == "missing" else path, subject)
        message = f'{where} needs "{needed}"'
        if kind == "missing":
            info = _fields(_model_at(model, err["loc"][:-1])).get(needed)
            hint = info.description or "" if info else ""
        else:
            hint = f"type is one of: {', '.join(_NODE_TYPES)}"
    elif kind in ("literal_error", "union_tag_invalid"):
        code = "unknown-value"
        allowed = re.findall(r"'([^']*)'", ctx.get("expected") or ctx.get("expected_tags", ""))
        value = ctx.get("tag", err["input"])
        name = "type" if kind == "union_tag_invalid" else key
        if kind == "union_tag_invalid":
            line, column = positions.at(*path, "type")
        message = f'unknown {name} "{value}"'
        suggestion = did_you_mean(str(value), allowed)
        message += f"; {suggestion}" if suggestion else ""
        hint = f"allowed: {', '.join(allowed)}"
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") in _ID_PATTERNS:
        code = "bad-id"
        message = f"{_name(path, subject)} should be an id in snake_case, got {_show(err)}"
        example = re.sub(r"[^a-z0-9]+", "_", str(err["input"]).lower()).strip("_")
        hint = "lower-case letters, digits and _ only, starting with a letter"
        hint += f', e.g. "{example}"' if example else ""
    elif kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^https"):
        code = "bad-url"
        message = f"{_name(path, subject)} should start with https://, got {_show(err)}"
    elif kind.startswith("date"):
        code = "bad-date"
        message = f"{_name(path, subject)} should be a date written YYYY-MM-DD, got {_show(err)}"
        hint = str(ctx.get("error", ""))
    elif kind.endswith(("_type", "_parsing", "_from_float")):
        code = "wrong-type"
        message = f"{_name(path, subject)} should be {_expected(kind)}, got {_show(err)}"
        if kind == "string_type" and isinstance(err["input"], int | float | bool):
            hint = 'put the value in quotes to make it text: "..."'
    elif kind in ("too_short", "too_long"):
        code = kind.replace("_", "-")
        bound = ctx.get("min_length", ctx.get("max_length"))
        least = "at least" if kind == "too_short" else "at most"
        found_n = ctx.get("actual_length", len(err["input"]))
        message = f"{_name(path, subject)} needs {least} {bound} items, found {found_n}"
    elif kind == "string_too_short":
        code = "too-short"
        least = ctx.get("min_length", 1)
        message = f"{_name(path, subject)} " + (
            "cannot be empty" if least == 1 else f"needs at least {least} characters"
        )
    elif kind == "string_too_long":
        code = "too-long"
        message = (
            f"{_name(path, subject)} is {len(err['input'])} characters long; "
            f"the limit is {ctx.get('max_length')}"
        )
    elif kind in _BOUNDS:
        code = "out-of-range"
        limit = ctx.get(_BOUNDS[kind][1])
        limit = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
        message = f"{_name(path, subject)} should be {_BOUNDS[kind][0]} {limit}, got {_show(err)}"
    else:  # value_error from a model's own checks, and anything rarer
        message = f"{_where(path, subject)} is not valid: {_lower(err['msg'])}"
    return Problem(code, message, hint, positions.file, line, column)


def _lower(text: str) -> str:
    text = text.removeprefix("Value error, ").replace("Input should", "should")
    return text[:1].lower() + text[1:]


def _expected(kind: str) -> str:
    return _EXPECTED.get(kind.split("_")[0], "something else")


def _show(err: ErrorDetails) -> str:
    """The wrong value, as the author wrote it."""
    value = err["input"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return 'a group of "key: value" lines'
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return f'"{text[:60]}..."' if len(text) > 60 else f'"{text}"'


def _where(path: Sequence[str | int], subject: str) -> str:
    """Plain words for the mapping at ``path``: 'route 2 of node "ask_refund"'."""
    if not path:
        return subject
    last = path[-1]
    if isinstance(last, int) and len(path) > 1 and path[-2] in _ITEM:
        thing, rest = f"{_ITEM[str(path[-2])]} {last + 1}", path[:-2]
    elif isinstance(last, int):
        return f"item {last + 1} of {_name(path[:-1], subject)}"
    elif len(path) > 1 and path[-2] in _ENTRY:
        thing, rest = f'{_ENTRY[str(path[-2])]} "{last}"', path[:-2]
    else:
        thing, rest = _PLAIN.get(last, f'"{last}"'), path[:-1]
    return f"{thing} of {_where(rest, subject)}" if rest else thing


def _name(path: Sequence[str | int], subject: str) -> str:
    """Plain words for a value: its key in quotes, or a list item / entry in context."""
    if path and isinstance(path[-1], str) and not (len(path) > 1 and path[-2] in _ENTRY):
        return f'"{path[-1]}"'
    return _where(path, subject)


# --- the models' shapes, for allowed keys and descriptions ------------------------------------


@cache
def _fields(model: type[BaseModel] | None) -> dict[str, FieldInfo]:
    if model is None:
        return {}
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    return list(_fields(_model_at(model, loc)))


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and `| None` to reach the type that matters."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that validates the value at pydantic's ``loc`` (tags included)."""
    current: Any = model
    for segment in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = _fields(current).get(str(segment))
            current = info.annotation if info else None
        elif origin in (list, dict):
            current = get_args(current)[-1]
        elif origin in (Union, types.UnionType):
            current = _NODE_CLASSES.get(str(segment))
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _node_classes() -> dict[str, type[BaseModel]]:
    union = _unwrap(get_args(Tree.model_fields["nodes"].annotation)[1])
    return {get_args(cls.model_fields["type"].annotation)[0]: cls for cls in get_args(union)}


_NODE_CLASSES = _node_classes()
_NODE_TYPES = tuple(_NODE_CLASSES)
