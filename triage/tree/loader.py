"""Load trees and cases from YAML (or JSON) text, with every problem located for the author.

Parsing is done by :mod:`triage.tree.yamlsafe`. This module validates the data with the pydantic
models and rewrites pydantic's errors in plain words, at the line and column of the key at fault.

A tree file that loads is kept in a disk cache (:class:`TreeCache`), so the next command that
reads the same bytes skips the parsing and the validation. The cache never changes a result:
its key is the file's bytes, the name shown in messages, the package version and the source of
the modules that shape a loaded tree; a missing, stale, unreadable or unwritable cache falls
back to loading the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from triage.errors import CaseError, Problem, TreeError
from triage.paths import display_path
from triage.tree.model import CONTEXT_DATES, Case, Tree
from triage.tree.yamlsafe import (
    Limits,
    SourceMap,
    decode,
    parse_decoded,
    parse_json_line,
    parse_yaml,
)
from triage.walk.dates import LATEST_DAY, check_case_day, parse_day

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "LoadedTree",
    "SourceMap",
    "display_name",
    "load_case",
    "load_case_json",
    "load_case_located",
    "load_case_text",
    "load_tree",
    "load_tree_text",
    "parse_data",
    "parse_yaml",
    "read_data_file",
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
    data, positions = parse_decoded(source, file, limits, merged_items=True)
    tree = validate(Tree, data, positions, "the tree")
    return LoadedTree(tree, file, positions, source)


def load_tree(path: str | Path, display: str | None = None) -> LoadedTree:
    """Load a tree file. ``display`` names it in messages (default: see :func:`display_name`).

    A file loaded before with the same bytes comes from the disk cache (see :class:`TreeCache`).
    """
    name = display or display_name(path)
    raw = read_limited(path, name)
    cache = TreeCache.default()
    if cache is None:
        return load_tree_text(raw, name)
    key = cache.key(raw, name)
    loaded = cache.get(key)
    if loaded is None:
        loaded = load_tree_text(raw, name)  # a TreeError is raised, never cached
        cache.put(key, loaded)
    return loaded


# The modules whose code decides what a loaded tree holds: a change to any of them is a new key.
_SHAPING = ("tree/model.py", "tree/yamlsafe.py", "tree/loader.py", "walk/dates.py", "errors.py")


class TreeCache:
    """Parsed trees on disk, one pickle per (file bytes, display name, code) key.

    The folder is ``TRIAGE_CACHE_DIR``, else ``$XDG_CACHE_HOME/feedback-triage``, else
    ``~/.cache/feedback-triage``; ``TRIAGE_CACHE=0`` turns the cache off. The folder is created
    for the user alone (mode 0700) and used only if it belongs to the user and no one else can
    write to it: a pickle is code, and only the user's own files are unpickled.
    """

    MAGIC = b"feedback-triage tree cache 1\n"
    KEEP = 32  # entries kept; the oldest go when a new one is written

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> TreeCache | None:
        """The cache the environment names, or None when it is turned off."""
        if os.environ.get("TRIAGE_CACHE", "1").strip().lower() in ("0", "no", "false", "off"):
            return None
        named = os.environ.get("TRIAGE_CACHE_DIR")
        if named:
            return cls(Path(named))
        xdg = os.environ.get("XDG_CACHE_HOME")
        try:
            base = Path(xdg) if xdg else Path.home() / ".cache"
        except RuntimeError:  # no home folder: no cache
            return None
        return cls(base / "feedback-triage")

    def key(self, raw: bytes, name: str) -> str:
        digest = hashlib.sha256()
        for part in _code_fingerprint():
            digest.update(part)
        digest.update(name.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def _private(self, stat: os.stat_result) -> bool:
        getuid = getattr(os, "getuid", None)
        return getuid is None or (stat.st_uid == getuid() and not stat.st_mode & 0o022)

    def get(self, key: str) -> LoadedTree | None:
        """The tree stored under ``key``, or None (missing, stale, damaged or not ours)."""
        loaded = self.get_object(key)
        return loaded if isinstance(loaded, LoadedTree) else None

    def get_object(self, key: str, load: Callable[[memoryview], object] = pickle.loads) -> object:
        """What is stored under ``key`` (read with ``load``), or None."""
        entry = self._entry(key)
        try:
            if not self._private(self.folder.stat()) or not self._private(entry.lstat()):
                return None
            data = entry.read_bytes()
        except OSError:
            return None
        head = self.MAGIC + key.encode() + b"\n"
        if not data.startswith(head):
            return None
        try:
            return load(memoryview(data)[len(head) :])
        except Exception:  # a damaged or outdated entry: load the file instead
            return None

    def put(self, key: str, loaded: object, dump: Callable[[object], bytes] | None = None) -> None:
        """Store ``loaded`` under ``key`` (written with ``dump``, default a plain pickle); any
        failure (read-only disk, ...) is ignored."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self._private(self.folder.stat()):
                return
            body = (dump or _pickled)(loaded)
            temporary = self.folder / f".{key}.{os.getpid()}.tmp"
            with temporary.open("wb") as handle:
                handle.write(self.MAGIC + key.encode() + b"\n")
                handle.write(body)
            temporary.replace(self._entry(key))
            self._prune()
        except Exception:  # the cache is an optimisation: loading never depends on it
            return

    def _prune(self) -> None:
        entries = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[: max(0, len(entries) - self.KEEP)]:
            old.unlink(missing_ok=True)


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


_FINGERPRINT: list[bytes] = []


def _code_fingerprint() -> list[bytes]:
    """The versions and module sources a cached tree depends on (read once per process)."""
    if not _FINGERPRINT:
        import pydantic_core
        import yaml
        from pydantic.version import VERSION

        from triage import __version__

        parts = [
            TreeCache.MAGIC,
            __version__.encode(),
            sys.version.encode(),
            VERSION.encode(),
            pydantic_core.__version__.encode(),
            getattr(yaml, "__version__", "").encode(),
        ]
        _FINGERPRINT.extend(parts + module_sources(_SHAPING))
    return _FINGERPRINT


def module_sources(names: Sequence[str]) -> list[bytes]:
    """The source of each module of the package named (``"tree/model.py"``), or its name when
    it can't be read: what a cache key covers so that a change to the code is a new key."""
    here = Path(__file__).resolve().parent.parent  # the package
    sources: list[bytes] = []
    for module in names:
        try:
            sources.append((here / module).read_bytes())
        except OSError:
            sources.append(module.encode())
    return sources


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


def load_case_json(raw: bytes, file: str = "case") -> Case:
    """A case from one line of JSON (``triage walk --batch``), decoded with ``json.loads`` and
    validated directly, with the protections of :func:`load_case_located` (see
    :func:`triage.tree.yamlsafe.parse_json_line`) and its located messages: ``case:1:COL: ...``,
    the column counted in the line. Raises CaseError.
    """
    import json

    try:
        data, locate = parse_json_line(raw, file, DEFAULT_LIMITS)
    except UnicodeDecodeError as error:
        column = len(raw[: error.start].decode("utf-8", "replace")) + 1
        message = (
            f"the line is not valid UTF-8 at column {column}: byte 0x{raw[error.start]:02x} "
            "cannot be read"
        )
        hint = "save the file as UTF-8"
        found = Problem("not-utf8", message, hint, file, 1, column)
        raise CaseError(message, hint, [found]) from None
    except json.JSONDecodeError as error:
        message = f"not valid JSON at column {error.colno}: {error.msg}"
        hint = 'each line must be one JSON object, e.g. {"tree": "upwork", "answers": {}}'
        found = Problem("not-json", message, hint, file, 1, error.colno)
        raise CaseError(message, hint, [found]) from None
    except TreeError as error:
        raise _case_error(error.problems) from None
    if not isinstance(data, dict):
        message, hint = "the line is not a JSON object", 'write {"tree": ..., "answers": {...}}'
        found = Problem("root-not-mapping", message, hint, file, 1, 1)
        raise CaseError(message, hint, [found])
    try:
        case = Case.model_validate(data)
    except (ValidationError, RecursionError):
        try:
            validate(Case, data, locate(), "the case")
        except TreeError as error:
            raise _case_error(error.problems) from None
        raise  # validate() raises whenever model_validate did
    if _may_be_far(case):
        far = list(_far_dates(case, locate()))
        if far:
            raise _case_error(far)
    return case


def _may_be_far(case: Case) -> bool:
    """Whether a date of the case may be past :data:`LATEST_DAY` (cheap; see _far_dates)."""
    context = case.context
    latest = LATEST_DAY
    if case.today is not None and case.today > latest:
        return True
    if any(
        isinstance(day := getattr(context, name, None), dt.date) and day > latest
        for name in CONTEXT_DATES
    ):
        return True
    text = latest.isoformat()
    return any(
        isinstance(a, str) and len(a) == 10 and a > text and a[0].isdigit()
        for a in case.answers.values()
    )


def _case_error(problems: Sequence[Problem]) -> CaseError:
    """One CaseError holding every problem, one located line each."""
    lines = [_case_line(p) for p in problems]
    return CaseError("\n".join(dict.fromkeys(lines)), problems=problems)


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
    """The path as messages show it (see :func:`triage.paths.display_path`): never the
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


def read_data_file(path: Path) -> tuple[bytes, str]:
    """Read a YAML data file beside the trees (tone rules, screen signals, outcome kinds):
    ``(content, name to show)``. An unreadable or oversized file is a ``TreeError``."""
    name = display_name(path)
    return read_limited(path, name), name


def parse_data(model: type[M], text: str | bytes, file: str, subject: str) -> M:
    """Hardened YAML → ``model``. Every problem, at its line and column, in one ``TreeError``."""
    data, positions = parse_yaml(text, file)
    return validate(model, data, positions, subject)


def validate(model: type[M], data: Any, positions: SourceMap, subject: str) -> M:
    """``data`` as ``model``; pydantic's errors become located problems in one TreeError."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        from triage.tree.explain import explain  # only for a file with mistakes

        problems = explain(error, model, data, positions, subject)
    except RecursionError:  # the depth limit makes this unreachable; never let it escape
        problems = [Problem("too-deep", "the file nests too deeply", file=positions.file)]
    raise TreeError(problems)
