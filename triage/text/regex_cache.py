"""Compiled phrase regexes kept on disk, so a fresh process loads the rules in milliseconds.

Turning a phrase list into a regex and compiling it costs far more than reading the rules
(Python's regex compiler is written in Python). What the compiler produces is a list of integers
that its C engine runs; this module stores that list, keyed on the rules file's content, the
Python version, the regex engine's version and the phrase compiler's own source. A fresh
process then hands the stored code straight to the engine.

It is only an optimisation: a missing, damaged, foreign or outdated entry, an unwritable folder
or another Python all fall back to compiling, silently. The folder is the tree cache's
(``TRIAGE_CACHE_DIR``, else ``$XDG_CACHE_HOME/feedback-triage``, else
``~/.cache/feedback-triage``; ``TRIAGE_CACHE=0`` turns both off). Entries are ``marshal`` data
(strings, numbers, lists), never pickles, and are read only from a folder only the user can
write to.
"""

from __future__ import annotations

import hashlib
import importlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["compiled", "keep", "raw", "restored", "rules_session"]

FORMAT = b"feedback-triage regex cache 1\n"
KEEP = 16  # files kept; the oldest go when a new one is written

# (source, flags, code, groups, groupindex, indexgroup): what the engine's compile() takes.
Entry = tuple[str, int, list[int], int, dict[str, int], tuple[str | None, ...]]


class _Session:
    def __init__(self, path: Path | None, stored: dict[str, Entry]) -> None:
        self.path = path
        self.stored = stored
        self.used: dict[str, Entry] = {}
        self.missed = False

    def by_source(self, source: str) -> Entry | None:
        """The entry, compiled here or stored, whose regex is ``source`` (a few hundred)."""
        for entries in (self.used, self.stored):
            for entry in entries.values():
                if entry[0] == source:
                    return entry
        return None


_active: list[_Session] = []


def _current() -> tuple[_Session, tuple[Any, Any, Any]] | None:
    """The rules session in progress and the regex engine, when both are there."""
    session = _active[-1] if _active else None
    engine = _engine() if session is not None else None
    return None if session is None or engine is None else (session, engine)


def _engine() -> tuple[Any, Any, Any] | None:
    """The regex engine's private parts (``_sre``, the parser, the compiler), or None."""
    try:
        return (
            importlib.import_module("_sre"),
            importlib.import_module("re._parser"),
            importlib.import_module("re._compiler"),
        )
    except ImportError:
        return None


def _folder() -> Path | None:
    from triage.tree.loader import TreeCache

    cache = TreeCache.default()
    return cache.folder if cache is not None else None


def _private(path: Path) -> bool:
    getuid = getattr(os, "getuid", None)
    stat = path.lstat()
    return getuid is None or (stat.st_uid == getuid() and not stat.st_mode & 0o022)


def _key(content: bytes, engine: tuple[Any, Any, Any]) -> str:
    digest = hashlib.sha256(FORMAT + sys.version.encode() + str(engine[0].MAGIC).encode())
    here = Path(__file__).resolve().parent
    for module in ("phrases.py", "regex_cache.py"):
        try:
            digest.update((here / module).read_bytes())
        except OSError:
            digest.update(module.encode())
    digest.update(content)
    return digest.hexdigest()[:40]


def _read(path: Path) -> dict[str, Entry]:
    try:
        if not _private(path.parent) or not _private(path):
            return {}
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


@contextmanager
def rules_session(content: bytes) -> Iterator[None]:
    """While a rules file with this ``content`` is parsed, let :func:`compiled` use and fill
    the stored regexes for it; write them back at the end if any had to be compiled."""
    engine = _engine()
    folder = _folder() if engine is not None else None
    path = folder / f"rules-{_key(content, engine)}.marshal" if folder and engine else None
    session = _Session(path, _read(path) if path is not None else {})
    _active.append(session)
    try:
        yield
    finally:
        _active.pop()
    if session.missed and path is not None:
        _write(path, session.used)


def _write(path: Path, entries: dict[str, Entry]) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(path.parent):
            return
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(entries))
        temporary.replace(path)
        old = sorted(path.parent.glob("rules-*.marshal"), key=lambda p: p.stat().st_mtime)
        for stale in old[: max(0, len(old) - KEEP)]:
            stale.unlink(missing_ok=True)
    except (OSError, ValueError):  # the cache is an optimisation: loading never depends on it
        return


def compiled(key: str, build: Callable[[], str], flags: int = 0) -> re.Pattern[str]:
    """The regex ``build()`` returns, compiled; inside :func:`rules_session` it is taken from
    the stored code when there is one (``build`` is then not even called)."""
    current = _current()
    if current is None:
        return re.compile(build(), flags)
    session, engine = current
    entry = session.stored.get(key) or session.used.get(key)
    if entry is not None:
        try:
            pattern = _from_entry(engine, entry)
            session.used[key] = entry
            return pattern
        except Exception:
            pass
    session.missed = True
    source = build()
    try:
        entry = _to_entry(engine, source, flags)
        pattern = _from_entry(engine, entry)
    except Exception:
        return re.compile(source, flags)
    session.used[key] = entry
    return pattern


def raw(source: str, flags: int = 0) -> re.Pattern[str]:
    """A rules file's own regex (an advanced ``pattern:``), compiled through :func:`compiled`:
    stored like the phrase lists. Raises ``re.error`` when it is not valid."""
    return compiled(repr(("raw", flags, source)), lambda: source, flags)


def keep(pattern: re.Pattern[str]) -> None:
    """Store ``pattern``'s code with the rules file being written to the cache, when it is not
    there yet (a signal may hold a tone rule's regex, compiled for the tone rules' file), so
    :func:`restored` finds it next time."""
    current = _current()
    if current is None:
        return
    session, engine = current
    source, flags = pattern.pattern, pattern.flags
    known = session.by_source(source)
    if known is not None and known[1] == flags:
        return
    try:
        entry = _to_entry(engine, source, flags)
    except Exception:
        return
    session.used[repr(("kept", flags, source))] = entry
    session.missed = True


def restored(source: str, flags: int) -> re.Pattern[str]:
    """A pattern read back from a cached rules file (see :mod:`triage.text.rules_file`): from
    the stored code when the session has it, else compiled again."""
    current = _current()
    if current is not None:
        session, engine = current
        entry = session.by_source(source)
        if entry is not None and entry[1] == flags:
            try:
                return _from_entry(engine, entry)
            except Exception:
                pass
    return re.compile(source, flags)


def _to_entry(engine: tuple[Any, Any, Any], source: str, flags: int) -> Entry:
    """What ``re._compiler.compile`` hands to the engine (CPython 3.11 to 3.13)."""
    _, parser, compiler = engine
    parsed = parser.parse(source, flags)
    code = [int(op) for op in compiler._code(parsed, flags)]  # plain ints for marshal
    groupindex = {str(k): int(v) for k, v in parsed.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    state_flags = int(flags | parsed.state.flags)
    return (source, state_flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _from_entry(engine: tuple[Any, Any, Any], entry: Entry) -> re.Pattern[str]:
    source, flags, code, groups, groupindex, indexgroup = entry
    pattern = engine[0].compile(source, flags, code, groups, groupindex, tuple(indexgroup))
    if not isinstance(pattern, re.Pattern) or pattern.pattern != source:
        raise TypeError("not a pattern")
    return pattern
