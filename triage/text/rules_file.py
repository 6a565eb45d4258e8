"""Reading a rules file (the tone rules, the pre-screen's signals): parsed and validated like a
tree, with every problem located.

A file read before comes back from the disk cache, validated object and all (the tree cache's
folder, with its checks: see :class:`~triage.tree.loader.TreeCache`), so a fresh process skips
the YAML, pydantic's validation and the phrase checks. Its regexes are not pickled as patterns
(unpickling would compile them again, the slow part): they come back from the stored regex code
(:mod:`triage.text.regex_cache`). The key covers the file's bytes, the model and the code that
shapes it; anything missing or stale falls back to parsing.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import re
from typing import Any, TypeVar

from pydantic import BaseModel

from triage.text.regex_cache import keep, restored, rules_session
from triage.tree.loader import TreeCache, module_sources, parse_data

__all__ = ["parse_rules_file"]

M = TypeVar("M", bound=BaseModel)

# The modules whose code decides what a parsed rules file holds: a change to any is a new key.
_SHAPING = tuple(
    f"text/{name}.py"
    for name in (
        "detectors",
        "phrases",
        "prescreen",
        "proximity",
        "regex_cache",
        "rules_file",
        "tone",
    )
)
_CODE: list[bytes] = []


def _code() -> bytes:
    if not _CODE:
        _CODE.extend(module_sources(_SHAPING))
    return b"\0".join(_CODE)


def _reduce_pattern(pattern: re.Pattern[str]) -> tuple[Any, tuple[str, int]]:
    keep(pattern)
    return restored, (pattern.pattern, pattern.flags)


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, re.Pattern: _reduce_pattern}
    pickler.dump(value)
    return buffer.getvalue()


def parse_rules_file(model: type[M], text: str | bytes, file: str, subject: str) -> M:
    """:func:`~triage.tree.loader.parse_data` for a rules file. Raises ``TreeError`` with
    located problems; ``subject`` names the file in them ("the tone rules")."""
    content = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    with rules_session(content):
        cache = TreeCache.default()
        if cache is None:
            return parse_data(model, text, file, subject)
        key = cache.key(b"\0".join((model.__qualname__.encode(), _code(), content)), file)
        found = cache.get_object(key)
        if isinstance(found, model):
            return found
        parsed = parse_data(model, text, file, subject)  # a TreeError is raised, never cached
        cache.put(key, parsed, _dumps)
        return parsed
