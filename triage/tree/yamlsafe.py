"""Hardened YAML: text → plain Python data plus a map of where every value sits in the file.

Tree files are edited by hand and uploaded through the page, so the parser must refuse anything
surprising rather than guess. It reads libyaml's *event stream* (a flat sequence, never recursive)
and builds dicts, lists and scalars from it with an explicit stack, in one pass:

- the limits (depth, node count, scalar length) are checked on each event before anything is
  added, so a hostile file stops after a few events. No node graph is ever composed: composing is
  recursive in C (PyYAML 6.0.3 + libyaml 0.2.5 segfaults on 100k nested brackets) and in Python.
  libyaml's parser itself keeps an explicit state stack, so the event stream is safe at any
  depth; reading *all* events of 100k brackets is quadratic (15 s), stopping at level 65 takes
  1 ms. One pass is also 4-5x faster than ``yaml.load(..., CSafeLoader)``;
- plain scalars are resolved with the YAML 1.2 core schema: ``yes``/``no``/``on``/``off`` stay
  text, ``1:20`` stays text, ``012`` is 12, dates stay text (pydantic parses them);
- anchors, aliases, merge keys, tags, duplicate keys and extra documents are problems. No tag is
  ever constructed, so ``!!python/...`` can never run code;
- mapping keys are always text (``yes:``, ``1:`` are the keys "yes", "1"): every key in our
  formats is a name.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from triage.errors import Problem, TreeError

# libyaml when present; the pure-Python parser yields the same events, only slower.
_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DataPath = tuple[str | int, ...]


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
    marks: Mapping[DataPath, tuple[int, int]] = field(hash=False)

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


# Every problem this module reports, by code: (message, hint), filled in with str.format.
WORDS: dict[str, tuple[str, str]] = {
    "too-large": ("the file is larger than {limit:,} bytes", "split it into smaller files"),
    "not-utf8": ("the file is not UTF-8 text: byte 0x{byte} at byte offset {offset} cannot be "
                 "read", "save the file with the UTF-8 encoding"),
    "control-char": ("the file contains an invisible control character (U+{char:04X})",
                     "delete it, or retype the text around it; is this really a text file?"),
    "too-many-nodes": ("the file has more than {limit} values", "split it into smaller files"),
    "too-deep": ("the file nests lists or mappings more than {limit} levels deep",
                 "a tree never needs this much nesting; check for unclosed [ or {{ brackets"),
    "scalar-too-long": ("this value is {length} characters long; the limit is {limit}",
                        "shorten it, or split it into several values"),
    "anchor": ('anchors ("&{name}") are not allowed',
               "write the values out in full; tree files do not reuse parts"),
    "alias": ('aliases ("*{name}") are not allowed', "write the value out in full"),
    "tag": ('tags ("{name}") are not allowed',
            'remove it; to make a value text, put it in quotes: "..."'),
    "merge-key": ('merge keys ("<<") are not allowed', "write the keys out in full"),
    "duplicate-key": ('key "{name}" appears twice: on line {first} and on line {again}',
                      "keep one of them"),
    "complex-key": ("a key must be a plain word, not a list or a mapping", ""),
    "multi-document": ('the file holds more than one document ("---" starts a new one)',
                       'keep one tree per file; remove the second "---" and what follows'),
    "tab-indent": ("a tab is used for indentation", "indent with spaces only"),
    "merged-item": ('this "- " line is indented further than a list item: YAML reads it as more '
                    "of the text above, not as a new item",
                    'align its "-" with the "-" of the items above; if the "-" belongs to the '
                    'text, write the text as a block after "|"'),
    "empty": ("the file is empty: it has no keys, only blank lines or comments", ""),
    "root-not-mapping": ('the file should be made of "key: value" lines, but it is {kind}', ""),
}  # fmt: skip


def problem(code: str, file: str, line: int, column: int, **fields: Any) -> Problem:
    """A Problem with this module's words for ``code``."""
    message, hint = WORDS[code]
    return Problem(code, message.format(**fields), hint.format(**fields), file, line, column)


class _StopError(Exception):
    """A limit was crossed or the structure is unusable: stop reading events at once."""


_NO_KEY = object()  # the next scalar in this mapping is a key
_BAD_KEY = object()  # the pending key was refused: drop its value


class _Builder:
    """Builds plain data from the event stream, recording positions and problems."""

    def __init__(self, file: str, limits: Limits, source: str = "") -> None:
        self.file = file
        self.limits = limits
        # With the source, plain text running over several lines is checked for a "- " line:
        # an over-indented list item that YAML silently joins to the text above.
        self.source = source
        self.lines: list[str] | None = None
        self.marks: dict[DataPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.documents = 0
        self.root: Any = None
        self.root_text = ""  # the root's text when it is a single scalar

    def problem(self, code: str, event: Any, **fields: Any) -> None:
        mark = event.start_mark
        self.problems.append(problem(code, self.file, mark.line + 1, mark.column + 1, **fields))

    def stop(self, code: str, event: Any, **fields: Any) -> _StopError:
        self.problem(code, event, **fields)
        return _StopError()

    def check_node(self, event: Any, depth: int) -> None:
        """Count the node and refuse tags and anchors; raise _StopError past a limit."""
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.stop("too-many-nodes", event, limit=self.limits.max_nodes)
        if depth > self.limits.max_depth:
            raise self.stop("too-deep", event, limit=self.limits.max_depth)
        if event.__class__ is yaml.AliasEvent:
            return
        if event.anchor is not None:
            self.problem("anchor", event, name=event.anchor)
        if event.tag is not None:
            self.problem("tag", event, name=_short_tag(event.tag))

    def run(self, loader: Any) -> None:
        """Consume every event. Frames are [container, path, pending key or _NO_KEY]."""
        get_event = loader.get_event
        stack: list[list[Any]] = []
        max_scalar = self.limits.max_scalar
        while (event := get_event()) is not None:
            cls = event.__class__
            if cls is yaml.ScalarEvent:
                self.check_node(event, len(stack))
                text = event.value
                if len(text) > max_scalar:
                    raise self.stop("scalar-too-long", event, length=len(text), limit=max_scalar)
                plain = not event.style and event.tag is None
                if plain and self.source and event.end_mark.line > event.start_mark.line:
                    self.merged_items(event)
                if not stack:
                    self.root = resolve_plain(text) if plain else text
                    self.root_text = text
                    self.marks[()] = _pos(event)
                elif stack[-1][2] is _NO_KEY and stack[-1][0].__class__ is dict:
                    self.key(stack[-1], text, event, plain)
                else:
                    self.add(stack[-1], resolve_plain(text) if plain else text, event)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                self.check_node(event, len(stack) + 1)
                new: dict[str, Any] | list[Any] = {} if cls is yaml.MappingStartEvent else []
                path: DataPath = ()
                if not stack:
                    self.root = new
                    self.marks[()] = _pos(event)
                elif stack[-1][2] is _NO_KEY and stack[-1][0].__class__ is dict:
                    raise self.stop("complex-key", event)
                else:
                    path = self.add(stack[-1], new, event)
                stack.append([new, path, _NO_KEY])
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                stack.pop()
            elif cls is yaml.AliasEvent:
                self.check_node(event, len(stack))
                self.problem("alias", event, name=event.anchor)
                if stack and stack[-1][2] is _NO_KEY and stack[-1][0].__class__ is dict:
                    stack[-1][2] = _BAD_KEY
                elif stack:
                    self.add(stack[-1], None, event)
            elif cls is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise self.stop("multi-document", event)

    def merged_items(self, event: Any) -> None:
        """A problem for each line of a plain multi-line scalar that starts with "- "."""
        if self.lines is None:
            # splitlines breaks where libyaml does (\r, \x85, U+2028, U+2029 as well as \n);
            # the other characters it breaks at are refused before parsing.
            self.lines = self.source.splitlines()
        for number in range(event.start_mark.line + 1, event.end_mark.line + 1):
            line = self.lines[number] if number < len(self.lines) else ""
            rest = line.lstrip(" ")
            if rest == "-" or rest.startswith("- "):
                column = len(line) - len(rest) + 1
                self.problems.append(problem("merged-item", self.file, number + 1, column))

    def key(self, frame: list[Any], text: str, event: Any, plain: bool) -> None:
        """Record a mapping key: refuse merge keys and duplicates, remember its position."""
        path = (*frame[1], text)
        if plain and text == "<<":
            self.problem("merge-key", event)
            frame[2] = _BAD_KEY
        elif text in frame[0]:
            again = event.start_mark.line + 1
            self.problem("duplicate-key", event, name=text, first=self.marks[path][0], again=again)
            frame[2] = _BAD_KEY
        else:
            frame[2] = text
            self.marks[path] = _pos(event)

    def add(self, frame: list[Any], value: Any, event: Any) -> DataPath:
        """Put a finished value (or a new, still empty collection) into its parent."""
        container = frame[0]
        if container.__class__ is list:
            path = (*frame[1], len(container))
            container.append(value)
            self.marks[path] = _pos(event)
            return path
        key = frame[2]
        frame[2] = _NO_KEY
        if key is _BAD_KEY:  # a refused key: read its value, keep it out of the data
            return (*frame[1], "<refused>")
        container[key] = value
        return (*frame[1], key)


def _pos(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _location(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset in UTF-8 ``data``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace"))
    return data.count(b"\n", 0, offset) + 1, column + 1


def decode(data: str | bytes, file: str, limits: Limits) -> str:
    """Check size and encoding, strip a BOM, and return the text. Raises TreeError."""
    if isinstance(data, str):  # each character is at least one byte: encode no more than needed
        raw = data[: limits.max_bytes + 1].encode("utf-8", "surrogatepass")
    else:
        raw = data
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if len(raw) > limits.max_bytes:
        line, column = _location(raw, limits.max_bytes)
        raise TreeError([problem("too-large", file, line, column, limit=limits.max_bytes)])
    try:
        # Decoding the bytes again also catches lone surrogates in a str (from a bad upload).
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _location(raw, error.start)
        byte = raw[error.start : error.start + 1].hex()
        found = problem("not-utf8", file, line, column, byte=byte, offset=error.start)
        raise TreeError([found]) from None


# libyaml's words → plain words, matched on the start of libyaml's "problem" text.
_SYNTAX = {
    "could not find expected ':'": 'this line has no "key: value" colon',
    "mapping values are not allowed": 'unexpected ": " in a value; put the value in quotes, '
                                      "or fix the indentation",
    "did not find expected key": "this line is not indented like the lines around it",
    "expected <block end>": "this line is not indented like the lines around it",
    "did not find expected '-'": 'this line is not indented like the "- " list items above it',
    "found unexpected end of stream": "the file ends inside an unclosed quote or bracket",
    "did not find expected ',' or ']'": "a [ list ] is not closed, or a comma is missing",
    "did not find expected ',' or '}'": "a { mapping } is not closed, or a comma is missing",
    "found character that cannot start": "this character cannot start a value; put the value "
                                         "in quotes",
    "did not find expected alphabetic": 'a value cannot start with "*", "&" or "!"; put the '
                                        "value in quotes",
    "found unknown escape character": 'unknown \\ escape inside "double quotes"; use single '
                                      "quotes instead",
    "block sequence entries are not": 'a "- " list item cannot start here; put it on its own line',
    "did not find expected <document": "unexpected text after the end of the document",
}  # fmt: skip
# For these the start of the unfinished thing is more useful than where libyaml gave up.
_USE_CONTEXT = ("could not find expected ':'", "found unexpected end of stream")


# The characters YAML refuses anywhere in a file (libyaml's and PyYAML's reader check this set).
@cache
def _not_printable() -> re.Pattern[str]:
    """The pattern (compiled on first use: its ranges take 7 ms, and only a bad file needs it)."""
    return re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _char_location(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``text[index]``; lines end at line feeds."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _syntax_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """Turn a libyaml error into a located, plain-words Problem."""
    if isinstance(error, yaml.reader.ReaderError):
        # The reader stops at the first character YAML refuses. Find it in the text itself:
        # libyaml reports a byte offset and the pure-Python reader a character offset.
        bad = _not_printable().search(text)
        index = bad.start() if bad else min(max(error.position, 0), len(text))
        char = ord(bad.group()) if bad else error.character
        return problem("control-char", file, *_char_location(text, index), char=char)
    said = str(getattr(error, "problem", "") or error)
    mark = getattr(error, "problem_mark", None)
    if said.startswith(_USE_CONTEXT) and getattr(error, "context_mark", None) is not None:
        mark = error.context_mark  # type: ignore[attr-defined]
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    lines = text.splitlines()
    if lines and line > len(lines):  # libyaml's virtual line after the end: show the real end
        line, column = len(lines), len(lines[-1]) + 1
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source[: len(source) - len(source.lstrip(" \t"))]
    if "\t" in indent and ("tab" in said or "cannot start any token" in said):
        return problem("tab-indent", file, line, indent.index("\t") + 1)
    context = getattr(error, "context", None)
    hint = f"YAML said: {context + ', ' if context else ''}{said}"
    if mark is not None and mark.index >= len(text) and "expected" in said:
        words = "the file ends too early: a bracket, quote or value is missing"
    else:
        found = [words for start, words in _SYNTAX.items() if said.startswith(start)]
        words = found[0] if found else f"the YAML is not valid: {said}"
    return Problem("yaml-syntax", words, hint, file, line, column)


def _flow_too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """Where ``[`` / ``{`` brackets first nest deeper than ``limit``, or None.

    libyaml's scanner looks far ahead inside brackets (PyYAML 6.0.4 reads up to ~1,000 levels
    before the first event), so deep flow nesting is caught here, before libyaml sees it.
    Quoted text and comments are skipped; brackets inside block scalars are counted, which could
    only refuse a text holding more than ``limit`` unclosed brackets.
    """
    if text.count("[") + text.count("{") <= limit:
        return None  # cheap: most files never get near the limit
    depth = 0
    line, column = 1, 0
    quote = ""
    comment = False
    previous = "\n"
    for ch in text:
        column += 1
        if ch == "\n":
            line, column, comment = line + 1, 0, False
            quote = "" if quote == "'" else quote
        elif comment:
            pass
        elif quote:
            if ch == quote and previous != "\\":
                quote = ""
        elif ch in "'\"" and previous in " \t[{,:\n":
            quote = ch
        elif ch == "#" and previous in " \t\n":
            comment = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line, column
        elif ch in "]}":
            depth = max(0, depth - 1)
        previous = ch
    return None


def parse_yaml(
    text: str | bytes, file: str = "<input>", limits: Limits = Limits()
) -> tuple[Any, SourceMap]:
    """Parse one hardened YAML document into plain data and its SourceMap.

    Raises TreeError listing every problem found (syntax, refused features, limits, encoding,
    empty file, root that is not a mapping).
    """
    return parse_decoded(decode(text, file, limits), file, limits)


def parse_decoded(
    source: str, file: str = "<input>", limits: Limits = Limits(), merged_items: bool = False
) -> tuple[Any, SourceMap]:
    """:func:`parse_yaml` for text :func:`decode` has already checked.

    ``merged_items`` (trees): refuse a "- " line that YAML joins to the text above it. Case
    files are left alone: PyYAML's dumper wraps long text and may start a line with "- "."""
    # The root mapping is level 1, so brackets may nest one level less than the limit.
    too_deep = _flow_too_deep(source, limits.max_depth - 1)
    if too_deep is not None:
        raise TreeError([problem("too-deep", file, *too_deep, limit=limits.max_depth)])
    builder = _Builder(file, limits, source if merged_items else "")
    loader = None
    try:
        loader = _Loader(source)  # the pure-Python reader checks characters right here
        builder.run(loader)
    except _StopError:
        pass
    except yaml.YAMLError as error:
        builder.problems.append(_syntax_problem(error, source, file))
    finally:
        if loader is not None:
            loader.dispose()
    problems, root = builder.problems, builder.root
    if not problems and root is None and builder.root_text:  # "~" or "null" and nothing else
        kind = f'only a null value ("{builder.root_text}"), not keys and values'
        problems.append(problem("root-not-mapping", file, *builder.marks[()], kind=kind))
    elif not problems and root is None:
        problems.append(problem("empty", file, 1, 1))
    elif not problems and not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else "a single value"
        problems.append(problem("root-not-mapping", file, *builder.marks[()], kind=kind))
    if problems:
        raise TreeError(problems)
    return root, SourceMap(file, builder.marks)


# --- one JSON text per line (``triage walk --batch``) ------------------------------------------
#
# A batch line is decoded by ``json.loads`` (C speed), not by the YAML parser, with the same
# protections: a size limit, duplicate keys refused (``object_pairs_hook``), nesting, value count
# and value length limited, NaN and Infinity refused. The limits are checked before decoding
# only when the line is long enough to cross them. Positions are worked out only when something
# is wrong: :func:`json_positions` reads the line again and gives the same SourceMap the YAML
# path would (a key's position for a mapping entry, the item's start for a list item).

JSON_WORDS: dict[str, tuple[str, str]] = {
    "too-large": ("the line is longer than {limit:,} bytes", "split the case into smaller parts"),
    "duplicate-key": ('key "{name}" appears twice in the same object: at column {first} and at '
                      "column {again}", "keep one of them"),
    "too-deep": ("the line nests lists or objects more than {limit} levels deep",
                 "a case never needs this much nesting"),
    "too-many-nodes": ("the line has more than {limit} values", "split it into smaller cases"),
    "scalar-too-long": ("this value is {length} characters long; the limit is {limit}",
                        "shorten it"),
    "not-a-number": ("{name} is not a JSON number", "write a number, or null"),
    "surrogate": ("{name} is half of a character pair (a lone surrogate), not text",
                  "write the whole character, or leave it out"),
}  # fmt: skip

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[{}\[\],:]|[^\s{}\[\],:"]+')
_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _JsonDuplicateError(Exception):
    """A JSON object holds a key twice (raised by the pairs hook; located afterwards)."""


class _JsonConstantError(Exception):
    """NaN or Infinity, which JSON does not have (raised by ``parse_constant``)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _JsonDuplicateError
    return mapping


def _constant(name: str) -> Any:
    raise _JsonConstantError(name)


_decode_json = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant).decode


def json_problem(code: str, file: str, column: int, **fields: Any) -> Problem:
    message, hint = JSON_WORDS[code]
    return Problem(code, message.format(**fields), hint, file, 1, column)


def json_positions(
    text: str, file: str, limits: Limits = Limits(), stop_at_first: bool = False
) -> tuple[SourceMap, list[Problem]]:
    """Read a JSON text's tokens: where each value sits, and the limits and rules it breaks.

    Columns count characters from 1 on the text's one line. Meant for text that is (nearly)
    valid JSON: anything else is read as far as it goes, never raised.
    """
    marks: dict[DataPath, tuple[int, int]] = {}
    problems: list[Problem] = []
    # Frames: [path, keys seen (key -> column) or None for a list, next list index, pending key]
    stack: list[list[Any]] = []
    nodes = 0
    expect_key = False

    def value_path(column: int) -> DataPath | None:
        """The path of a value starting at ``column``; None for a refused key's value."""
        if not stack:
            marks[()] = (1, column)
            return ()
        frame = stack[-1]
        if frame[1] is None:  # a list item
            path = (*frame[0], frame[2])
            frame[2] += 1
            marks[path] = (1, column)
            return path
        key, frame[3] = frame[3], None
        return None if key is None else (*frame[0], key)

    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        column = match.start() + 1
        if token in ("{", "["):
            nodes += 1
            path = value_path(column)
            # As in the YAML path, where the root counts as a level: at most max_depth - 1
            # brackets deep.
            if len(stack) + 1 >= limits.max_depth:
                problems.append(json_problem("too-deep", file, column, limit=limits.max_depth))
                break
            stack.append([path if path is not None else ("<refused>",),
                          {} if token == "{" else None, 0, None])  # fmt: skip
            expect_key = token == "{"
        elif token in ("}", "]"):
            if stack:
                stack.pop()
            expect_key = False
        elif token == ",":
            expect_key = bool(stack) and stack[-1][1] is not None
        elif token == ":":
            expect_key = False
        else:
            nodes += 1
            if nodes > limits.max_nodes:
                problems.append(json_problem("too-many-nodes", file, column,
                                             limit=limits.max_nodes))  # fmt: skip
                break
            if len(token) - 2 > limits.max_scalar:
                length = len(token) - 2
                problems.append(json_problem("scalar-too-long", file, column, length=length,
                                             limit=limits.max_scalar))  # fmt: skip
                if stop_at_first:
                    break
            if expect_key and stack:
                frame = stack[-1]
                try:
                    key = json.loads(token) if token.startswith('"') else token
                except ValueError:
                    key = token
                key = str(key)
                seen: dict[str, int] = frame[1]
                if key in seen:
                    problems.append(json_problem("duplicate-key", file, column, name=key,
                                                 first=seen[key], again=column))  # fmt: skip
                    frame[3] = None
                else:
                    seen[key] = column
                    frame[3] = key
                    marks[(*frame[0], key)] = (1, column)
                expect_key = False
                continue
            value_path(column)
            if token in _CONSTANTS:
                problems.append(json_problem("not-a-number", file, column, name=token))
        if problems and stop_at_first:
            break
    return SourceMap(file, marks), problems


def parse_json_line(
    raw: bytes, file: str = "<line>", limits: Limits = Limits()
) -> tuple[Any, Callable[[], SourceMap]]:
    """Decode one line of JSON with the protections of :func:`parse_yaml`.

    Returns the data and a function that works out its SourceMap (only called when a later
    check needs to point at a value). Raises TreeError with located problems for a line that
    is too long, nests too deep, holds too many or too long values, repeats a key or uses NaN;
    ``json.JSONDecodeError`` for a line that is not JSON and ``UnicodeDecodeError`` for one that
    is not UTF-8 (the caller words those).
    """
    if len(raw) > limits.max_bytes:
        raise TreeError([json_problem("too-large", file, limits.max_bytes + 1,
                                      limit=limits.max_bytes)])  # fmt: skip
    text = raw.decode("utf-8")
    # Limits can only be crossed by a line this long or with this many brackets: read it first.
    brackets = text.count("[") + text.count("{")
    if len(raw) > min(limits.max_nodes, limits.max_scalar) or brackets >= limits.max_depth:
        _, problems = json_positions(text, file, limits, stop_at_first=True)
        limits_crossed = [p for p in problems if p.code != "duplicate-key"]
        if limits_crossed:
            raise TreeError(limits_crossed)
    try:
        data = _decode_json(text)
    except (_JsonDuplicateError, _JsonConstantError) as refused:
        problems = json_positions(text, file, limits)[1]
        if not problems:  # not JSON after all (say NaN, then a syntax error): say where
            json.loads(text)  # raises json.JSONDecodeError when it is not
            code = "duplicate-key" if isinstance(refused, _JsonDuplicateError) else "not-a-number"
            problems = [json_problem(code, file, 1, name="?", first="?", again="?")]
        raise TreeError(problems) from None
    except RecursionError:  # the bracket count above makes this unreachable
        raise TreeError([json_problem("too-deep", file, 1, limit=limits.max_depth)]) from None
    if _SURROGATE_ESCAPE.search(text) and _has_surrogate(data):
        raise TreeError([_lone_surrogate(text, file)])
    return data, lambda: json_positions(text, file, limits)[0]


def _has_surrogate(data: Any) -> bool:
    """Whether any text in the decoded data holds a surrogate code point."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _lone_surrogate(text: str, file: str) -> Problem:
    """The first surrogate escape in ``text`` that is not half of a high-low pair."""
    escapes = list(_SURROGATE_ESCAPE.finditer(text))
    index = 0
    while index < len(escapes):
        here = escapes[index]
        high = here.group()[2].lower() in "89ab"
        after = escapes[index + 1] if index + 1 < len(escapes) else None
        paired = (
            high
            and after is not None
            and after.start() == here.end()
            and after.group()[2].lower() in "cdef"
        )
        if not paired:
            return json_problem("surrogate", file, here.start() + 1, name=here.group())
        index += 2
    return json_problem("surrogate", file, 1, name="\\u....")
