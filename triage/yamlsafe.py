"""Hardened YAML: text → plain Python data plus a map of where every value sits in the file.

Tree files are edited by hand and uploaded through the page, so the parser must refuse anything
surprising rather than guess. It reads libyaml's *event stream* (a flat sequence, never recursive)
and builds dicts, lists and scalars from it with an explicit stack, in one pass:

- the limits (depth, node count, scalar length) are checked on each event before anything is
  added, so a hostile file stops after a few events. No node graph is ever composed: composing is
  recursive in C (PyYAML 6.0.3 + libyaml 0.2.5 segfaults on 100k nested brackets) and in Python;
- plain scalars are resolved with the YAML 1.2 core schema: ``yes``/``no``/``on``/``off`` stay
  text, ``1:20`` stays text, ``012`` is 12, dates stay text (pydantic parses them);
- anchors, aliases, merge keys, tags, duplicate keys and extra documents are problems. No tag is
  ever constructed, so ``!!python/...`` can never run code;
- mapping keys are always text (``yes:``, ``1:`` are the keys "yes", "1"): every key in our
  formats is a name.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from triage.errors import Problem, TreeError

# libyaml when present; the pure-Python parser yields the same events, only slower.
_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one file. Checked while streaming, before data grows past them."""

    max_bytes: int = 1_000_000
    max_depth: int = 64
    max_nodes: int = 200_000
    max_scalar: int = 20_000


@dataclass(frozen=True)
class SourceMap:
    """Where each value of a loaded file sits: data path → (line, column), both 1-based.

    A mapping entry's position is that of its key; a list item's is the item's start.
    """

    file: str
    marks: Mapping[Path, tuple[int, int]] = field(hash=False)

    def at(self, *path: str | int) -> tuple[int, int]:
        """Position of the longest known prefix of ``path``; (1, 1) if none is known."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(path[:end])
            if mark is not None:
                return mark
        return (1, 1)


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1023-core-schema).
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_NUMBER_START = frozenset("0123456789+-.")


def resolve_plain(text: str) -> Any:
    """Value of an unquoted scalar under the YAML 1.2 core schema (None, bool, int, float, str)."""
    if text in _NULLS:
        return None
    boolean = _BOOLS.get(text)
    if boolean is not None:
        return boolean
    if text[0] not in _NUMBER_START:  # most scalars are words: skip the regexes
        return text
    try:
        if _INT.fullmatch(text):
            return int(text, 10)
        if _OCT.fullmatch(text):
            return int(text[2:], 8)
        if _HEX.fullmatch(text):
            return int(text[2:], 16)
        if _FLOAT.fullmatch(text):
            return float(text)
        if _INF.fullmatch(text):
            return float("-inf") if text[0] == "-" else float("inf")
        if _NAN.fullmatch(text):
            return float("nan")
    except ValueError:  # more digits than int() accepts: keep the text, the model will object
        return text
    return text


class _StopError(Exception):
    """A limit was crossed or the structure is unusable: stop reading events at once."""


class _Builder:
    """Builds plain data from the event stream, recording positions and problems."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.marks: dict[Path, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.documents = 0
        self.root: Any = None

    def problem(self, code: str, mark: Any, message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(code, message, hint, self.file, mark.line + 1, mark.column + 1)
        )

    def stop(self, code: str, mark: Any, message: str, hint: str = "") -> _StopError:
        self.problem(code, mark, message, hint)
        return _StopError()

    def check_node(self, event: Any, depth: int) -> None:
        """Count the node and refuse tags and anchors; raise _StopError past a limit."""
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.stop(
                "too-many-nodes",
                event.start_mark,
                f"the file has more than {self.limits.max_nodes} values",
                "split it into smaller files",
            )
        if depth > self.limits.max_depth:
            raise self.stop(
                "too-deep",
                event.start_mark,
                f"the file nests lists or mappings more than {self.limits.max_depth} levels deep",
                "a tree never needs this much nesting; check for unclosed [ or { brackets",
            )
        if event.__class__ is yaml.AliasEvent:
            return
        if event.anchor is not None:
            self.problem(
                "anchor",
                event.start_mark,
                f'anchors ("&{event.anchor}") are not allowed',
                "write the values out in full; tree files do not reuse parts",
            )
        if event.tag is not None:
            self.problem(
                "tag",
                event.start_mark,
                f'tags ("{_short_tag(event.tag)}") are not allowed',
                'remove it; to make a value text, put it in quotes: "..."',
            )

    def run(self, loader: Any) -> None:
        """Consume every event. Frames are [container, path, pending key or _NO_KEY]."""
        get_event = loader.get_event
        stack: list[list[Any]] = []
        max_scalar = self.limits.max_scalar
        marks = self.marks
        while (event := get_event()) is not None:
            cls = event.__class__
            if cls is yaml.ScalarEvent:
                self.check_node(event, len(stack))
                text = event.value
                if len(text) > max_scalar:
                    raise self.stop(
                        "scalar-too-long",
                        event.start_mark,
                        f"this value is {len(text)} characters long; the limit is {max_scalar}",
                    )
                plain = not event.style and event.tag is None
                if stack:
                    top = stack[-1]
                    container = top[0]
                    if top[2] is _NO_KEY and container.__class__ is dict:
                        self.key(top, text, event, plain)
                        continue
                    value = resolve_plain(text) if plain else text
                    self.add(top, value, event)
                else:
                    self.root = resolve_plain(text) if plain else text
                    marks[()] = _pos(event.start_mark)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                self.check_node(event, len(stack) + 1)
                new: dict[str, Any] | list[Any] = {} if cls is yaml.MappingStartEvent else []
                if stack:
                    top = stack[-1]
                    if top[2] is _NO_KEY and top[0].__class__ is dict:
                        raise self.stop(
                            "complex-key",
                            event.start_mark,
                            "a key must be a plain word, not a list or a mapping",
                        )
                    path = self.add(top, new, event)
                else:
                    self.root = new
                    path = ()
                    marks[()] = _pos(event.start_mark)
                stack.append([new, path, _NO_KEY])
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                stack.pop()
            elif cls is yaml.AliasEvent:
                self.check_node(event, len(stack))
                self.problem(
                    "alias",
                    event.start_mark,
                    f'aliases ("*{event.anchor}") are not allowed',
                    "write the value out in full",
                )
                if stack:
                    top = stack[-1]
                    if top[2] is _NO_KEY and top[0].__class__ is dict:
                        top[2] = _BAD_KEY
                    else:
                        self.add(top, None, event)
            elif cls is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise self.stop(
                        "multi-document",
                        event.start_mark,
                        'the file holds more than one document ("---" starts a new one)',
                        'keep one tree per file; remove the second "---" and what follows',
                    )

    def key(self, frame: list[Any], text: str, event: Any, plain: bool) -> None:
        """Record a mapping key: refuse merge keys and duplicates, remember its position."""
        container: dict[str, Any] = frame[0]
        path = (*frame[1], text)
        if plain and text == "<<":
            self.problem(
                "merge-key",
                event.start_mark,
                'merge keys ("<<") are not allowed',
                "write the keys out in full",
            )
            frame[2] = _BAD_KEY
        elif text in container:
            line = self.marks[path][0]
            self.problem(
                "duplicate-key",
                event.start_mark,
                f'key "{text}" appears twice: on line {line} and on line '
                f"{event.start_mark.line + 1}",
                "keep one of them",
            )
            frame[2] = _BAD_KEY
        else:
            frame[2] = text
            self.marks[path] = _pos(event.start_mark)

    def add(self, frame: list[Any], value: Any, event: Any) -> Path:
        """Put a finished value (or a new, still empty collection) into its parent."""
        container = frame[0]
        if container.__class__ is list:
            path = (*frame[1], len(container))
            container.append(value)
            self.marks[path] = _pos(event.start_mark)
            return path
        key = frame[2]
        frame[2] = _NO_KEY
        if key is _BAD_KEY:  # a refused key: read its value, keep it out of the data
            return (*frame[1], "<refused>")
        container[key] = value
        return (*frame[1], key)


_NO_KEY = object()  # the next scalar in this mapping is a key
_BAD_KEY = object()  # the pending key was refused; drop its value


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _location(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset in UTF-8 ``data``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace"))
    return data.count(b"\n", 0, offset) + 1, column + 1


def decode(data: str | bytes, file: str, limits: Limits) -> str:
    """Check size and encoding, strip a BOM, and return the text. Raises TreeError."""
    if isinstance(data, str):
        if len(data) > limits.max_bytes:  # each character is at least one byte
            raw = data[: limits.max_bytes + 1].encode("utf-8", "surrogatepass")
        else:
            raw = data.encode("utf-8", "surrogatepass")
    else:
        raw = data
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if len(raw) > limits.max_bytes:
        line, column = _location(raw, limits.max_bytes)
        raise TreeError(
            [
                Problem(
                    "too-large",
                    f"the file is larger than {limits.max_bytes:,} bytes",
                    "split it into smaller files",
                    file,
                    line,
                    column,
                )
            ]
        )
    try:
        # Decoding the bytes again also catches lone surrogates in a str (from a bad upload).
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _location(raw, error.start)
        bad = raw[error.start : error.start + 1].hex()
        raise TreeError(
            [
                Problem(
                    "not-utf8",
                    f"the file is not UTF-8 text: byte 0x{bad} at byte offset {error.start} "
                    "cannot be read",
                    "save the file with the UTF-8 encoding",
                    file,
                    line,
                    column,
                )
            ]
        ) from None


# libyaml's words → plain words. Matched on the start of the "problem" text.
_SYNTAX = {
    "could not find expected ':'": 'this line has no "key: value" colon',
    "mapping values are not allowed": (
        'unexpected ": " in a value; put the value in quotes, or fix the indentation'
    ),
    "did not find expected key": "this line is not indented like the lines around it",
    "did not find expected '-' indicator": (
        'this line is not indented like the "- " list items above it'
    ),
    "found unexpected end of stream": "the file ends inside an unclosed quote or bracket",
    "did not find expected ',' or ']'": "a [ list ] is not closed, or a comma is missing",
    "did not find expected ',' or '}'": "a { mapping } is not closed, or a comma is missing",
    "found character that cannot start any token": (
        "this character cannot start a value; put the value in quotes"
    ),
    "did not find expected alphabetic or numeric character": (
        'a value cannot start with "*", "&" or "!"; put the value in quotes'
    ),
    "found unknown escape character": (
        'unknown \\ escape inside "double quotes"; use single quotes instead'
    ),
    "block sequence entries are not allowed": (
        'a "- " list item cannot start here; put it on its own line'
    ),
    "did not find expected <document start>": "unexpected text after the end of the document",
}
# For these the start of the unfinished thing is more useful than where libyaml gave up.
_USE_CONTEXT = ("could not find expected ':'", "found unexpected end of stream")


def _syntax_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """Turn a libyaml error into a located, plain-words Problem."""
    if isinstance(error, yaml.reader.ReaderError):  # offsets are UTF-8 byte offsets
        line, column = _location(text.encode("utf-8"), error.position)
        return Problem(
            "control-char",
            f"the file contains an invisible control character (U+{error.character:04X})",
            "delete it, or retype the text around it; is this really a text file?",
            file,
            line,
            column,
        )
    problem = str(getattr(error, "problem", "") or error)
    mark = getattr(error, "problem_mark", None)
    if problem.startswith(_USE_CONTEXT) and getattr(error, "context_mark", None) is not None:
        mark = error.context_mark  # type: ignore[attr-defined]
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    lines = text.splitlines()
    if lines and line > len(lines):  # libyaml's virtual line after the end: show the real end
        line, column = len(lines), len(lines[-1]) + 1
    if mark is not None and mark.index >= len(text) and problem.startswith("did not find"):
        said = f"YAML said: {problem}"
        message = "the file ends too early: a bracket, quote or value is missing"
        return Problem("yaml-syntax", message, said, file, line, column)
    if "tab" in problem or "cannot start any token" in problem:
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        indent = source[: len(source) - len(source.lstrip(" \t"))]
        if "\t" in indent:
            return Problem(
                "tab-indent",
                "a tab is used for indentation",
                "indent with spaces only",
                file,
                line,
                indent.index("\t") + 1,
            )
    context = getattr(error, "context", None)
    said = f"YAML said: {context + ', ' if context else ''}{problem}"
    for start, words in _SYNTAX.items():
        if problem.startswith(start):
            return Problem("yaml-syntax", words, said, file, line, column)
    return Problem("yaml-syntax", f"the YAML is not valid: {problem}", said, file, line, column)


def parse_yaml(
    text: str | bytes, file: str = "<input>", limits: Limits = Limits()
) -> tuple[Any, SourceMap]:
    """Parse one hardened YAML document into plain data and its SourceMap.

    Raises TreeError listing every problem found (syntax, refused features, limits, encoding,
    empty file, root that is not a mapping).
    """
    source = decode(text, file, limits)
    builder = _Builder(file, limits)
    loader = _Loader(source)
    try:
        builder.run(loader)
    except _StopError:
        pass
    except yaml.YAMLError as error:
        builder.problems.append(_syntax_problem(error, source, file))
    finally:
        loader.dispose()
    problems = builder.problems
    root = builder.root
    if not problems and root is None:
        problems.append(
            Problem(
                "empty",
                "the file is empty: it has no keys, only blank lines or comments",
                file=file,
                line=1,
                column=1,
            )
        )
    elif not problems and not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else "a single value"
        line, column = builder.marks.get((), (1, 1))
        problems.append(
            Problem(
                "root-not-mapping",
                f'the file should be made of "key: value" lines, but it is {kind}',
                file=file,
                line=line,
                column=column,
            )
        )
    if problems:
        raise TreeError(problems)
    return root, SourceMap(file, builder.marks)
