"""Reading a rules file (the tone rules, the pre-screen's signals): parsed and validated like a
tree, with every problem located, and its compiled regexes taken from the cache when the same
file was seen before (see :mod:`triage.text.regex_cache`)."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from triage.text.regex_cache import rules_session
from triage.tree.loader import parse_data

__all__ = ["parse_rules_file"]

M = TypeVar("M", bound=BaseModel)


def parse_rules_file(model: type[M], text: str | bytes, file: str, subject: str) -> M:
    """:func:`~triage.tree.loader.parse_data` for a rules file. Raises ``TreeError`` with
    located problems; ``subject`` names the file in them ("the tone rules")."""
    content = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    with rules_session(content):
        return parse_data(model, text, file, subject)
