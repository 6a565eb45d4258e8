"""Pydantic validation errors rewritten for the person editing the YAML: unknown key with "did
you mean", missing key, wrong type, unknown choice, each at the line and column of the key."""

from __future__ import annotations

import re
import types
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from triage.errors import Problem, describe_char, did_you_mean
from triage.tree.model import VISIBLE, Tree
from triage.tree.yamlsafe import SourceMap

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


# Words authors reach for that the format spells otherwise: suggested when the real key is
# allowed at that place (a misspelling is suggested first, by similarity).
SYNONYMS = {
    "next": "go",
    "goto": "go",
    "go_to": "go",
    "then": "go",
    "target": "go",
    "options": "choices",
    "answers": "choices",
    "choice": "choices",
    "question": "ask",
    "prompt": "ask",
    "text": "ask",
    "hint": "help",
    "description": "help",
    "explain": "why",
    "reason": "because",
    "condition": "when",
    "if": "when",
    "else": "otherwise",
    "default": "otherwise",
    "kind_of_outcome": "kind",
    "checklist": "evidence",
    "steps": "next_steps",
}


def explain(
    error: ValidationError, model: type[BaseModel], data: Any, positions: SourceMap, subject: str
) -> list[Problem]:
    """One located, plain-words Problem per pydantic error (deduplicated, in file order)."""
    found: dict[tuple[Any, ...], Problem] = {}
    unions: dict[tuple[str | int, ...], list[tuple[ErrorDetails, tuple[str | int, ...]]]] = {}
    for err in error.errors(include_url=False, include_context=True):
        if _after_item_errors(err):
            continue
        path, union_at = _walk(data, err["loc"], err["type"] == "missing")
        if union_at is None:
            problem = _problem(err, model, path, positions, subject)
            found.setdefault((problem.code, problem.line, problem.column, problem.message), problem)
        else:  # one error per member of a `str | list[str]`: merged below
            unions.setdefault(union_at, []).append((err, path))
    for union_at, members in unions.items():
        # If the value had one member's shape (a list, or text too long), only the errors of
        # that member matter.
        deeper = [(err, path) for err, path in members if len(path) > len(union_at)]
        deeper = deeper or [(e, p) for e, p in members if not e["type"].endswith("_type")]
        if deeper:
            problems = [_problem(err, model, path, positions, subject) for err, path in deeper]
        else:
            wanted = " or ".join(dict.fromkeys(_expected(e["type"]) for e, _ in members))
            message = f"{_name(union_at, subject)} should be {wanted}, got {_show(members[0][0])}"
            problems = [
                Problem("wrong-type", message, "", positions.file, *positions.at(*union_at))
            ]
        for problem in problems:
            found.setdefault((problem.code, problem.line, problem.column, problem.message), problem)
    return sorted(found.values(), key=lambda p: (p.line, p.column))


def _after_item_errors(err: ErrorDetails) -> bool:
    """A "too few items" error that only counts the items that validated: the list has enough,
    and the errors inside it are reported on their own."""
    if err["type"] != "too_short":
        return False
    ctx = err.get("ctx") or {}
    given = err["input"]
    return isinstance(given, list | tuple) and len(given) >= int(ctx.get("min_length", 0))


def _walk(
    data: Any, loc: Sequence[str | int], missing: bool
) -> tuple[tuple[str | int, ...], tuple[str | int, ...] | None]:
    """Follow ``loc`` through the data: the path of keys that exist (plus a missing key), and
    where a non-discriminated union member segment such as "str" or "list[str]" was skipped."""
    path: list[str | int] = []
    union_at = None
    current = data
    for index, segment in enumerate(loc):
        if segment == "[key]":  # the error is about the key itself, already on the path
            continue
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
        message = f"unknown key {_quote(key)} in {_where(parent, subject)}"
        suggestion = did_you_mean(str(key), allowed)
        synonym = SYNONYMS.get(str(key).lower())
        if not suggestion and synonym in allowed:
            suggestion = f'did you mean "{synonym}"? (the key is called "{synonym}" here)'
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
        message = f"unknown {name} {_quote(value)}"
        suggestion = did_you_mean(str(value), allowed)
        message += f"; {suggestion}" if suggestion else ""
        hint = f"allowed: {', '.join(allowed)}"
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") in _ID_PATTERNS:
        code = "bad-id"
        message = f"{_name(path, subject)} should be an id in snake_case, got {_show(err)}"
        message += _odd_characters(str(err["input"]))
        example = re.sub(r"[^a-z0-9]+", "_", _latin(str(err["input"]))).strip("_")
        hint = "lower-case letters, digits and _ only, starting with a letter"
        hint += f', e.g. "{example}"' if example else ""
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") == VISIBLE:
        code = "blank"
        message = f"{_where(path, subject)} cannot be blank"
        hint = "write the text; spaces or invisible characters alone do not count"
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
    elif kind in ("too_short", "too_long"):  # lists
        code, bound = kind.replace("_", "-"), ctx.get("min_length", ctx.get("max_length"))
        least = "at least" if kind == "too_short" else "at most"
        count = ctx.get("actual_length", len(err["input"]))
        message = f"{_name(path, subject)} needs {least} {bound} items, found {count}"
    elif kind == "string_too_short":
        code, least = "too-short", ctx.get("min_length", 1)
        needs = "cannot be empty" if least == 1 else f"needs at least {least} characters"
        message = f"{_name(path, subject)} {needs}"
    elif kind == "string_too_long":
        code, length = "too-long", len(err["input"])
        message = (
            f"{_name(path, subject)} is {length} characters long; the limit is {ctx['max_length']}"
        )
    elif kind in _BOUNDS:
        code = "out-of-range"
        limit = ctx.get(_BOUNDS[kind][1])
        limit = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
        message = f"{_name(path, subject)} should be {_BOUNDS[kind][0]} {limit}, got {_show(err)}"
    else:  # value_error from a model's own checks, and anything rarer
        message = f"{_where(path, subject)} is not valid: {_lower(err['msg'])}"
    return Problem(code, message, hint, positions.file, line, column)


# Letters of other scripts that look like Latin ones: an id typed with one looks right but
# never matches. The example in the hint uses the Latin letter.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһԛԝӏɡαονικρτυχ",
    "aeopcyxijsdhqwlgaovikptux",
)


def _latin(text: str) -> str:
    """``text`` lower-cased, accents dropped and look-alike letters made Latin."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_LOOKALIKES)


def _odd_characters(text: str) -> str:
    """``; it contains "о" (U+043E CYRILLIC SMALL LETTER O)`` for the first character that is
    not printable ASCII (a look-alike letter or an invisible character), or an empty string."""
    odd = [ch for ch in dict.fromkeys(text) if not (ch.isascii() and ch.isprintable())]
    if not odd:
        return ""
    more = f" and {len(odd) - 1} other such character(s)" if len(odd) > 1 else ""
    return f"; it contains {describe_char(odd[0])}{more}"


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
    return _quote(value)


def _quote(value: object) -> str:
    """A value in quotes, on one line and cut short: messages are one line each. Invisible
    characters (controls, bidi marks, line separators) are shown as escapes like \\u0085."""
    text = _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value).replace("\n", "\\n"))
    return f'"{text[:60]}..."' if len(text) > 60 else f'"{text}"'


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


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
        thing, rest = f"{_ENTRY[str(path[-2])]} {_quote(last)}", path[:-2]
    else:
        thing, rest = _PLAIN.get(last, _quote(last)), path[:-1]
    return f"{thing} of {_where(rest, subject)}" if rest else thing


def _name(path: Sequence[str | int], subject: str) -> str:
    """Plain words for a value: its key in quotes, or a list item / entry in context."""
    if path and isinstance(path[-1], str) and not (len(path) > 1 and path[-2] in _ENTRY):
        return _quote(path[-1])
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
