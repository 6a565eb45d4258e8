"""Errors and problems.

Every error the tool raises for bad input derives from :class:`TriageError`. Errors carry
structured fields (so the CLI can print JSON and the page can highlight) and stay picklable,
because Streamlit's cache pickles values.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a tree or a case, located for the person who edits the file."""

    code: str
    message: str
    hint: str = ""
    file: str = ""
    line: int = 0
    column: int = 0
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line:
            where = f"{where}:{self.line}:{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["file"]
        return data


@dataclass(frozen=True, slots=True)
class Omitted(Problem):
    """Stands for ``count`` further problems of code ``of`` that are not listed one by one
    (``of`` is empty when they are of several codes). Located at the first of them."""

    count: int = 0
    of: str = ""


# How many problems of one code, and of one file, are listed before the rest are summed up.
PER_CODE = 10
PER_FILE = 100


def cap_problems(
    problems: Iterable[Problem], per_code: int = PER_CODE, per_file: int = PER_FILE
) -> tuple[Problem, ...]:
    """The first ``per_code`` problems of each code (and at most ``per_file`` in all), in their
    order; the rest of each code become one :class:`Omitted` line, "… and 199,990 more like
    this (alias)", where the first of them would have been.

    One hostile file can hold 200,000 aliases or duplicate keys: every place that shows
    problems (the CLI, the Authors page, error messages) shows them through this. Capping a
    capped list changes nothing.
    """
    listed: list[Problem] = []
    seen: Counter[str] = Counter()
    # code ("*": several codes) -> [index of its summary in ``listed``, first left out, count]
    summaries: dict[str, list[Any]] = {}
    shown = 0
    for p in problems:
        if isinstance(p, Omitted):  # already summed up: add its count
            key, count = p.of or "*", p.count
        else:
            seen[p.code] += 1
            if seen[p.code] <= per_code and shown < per_file:
                listed.append(p)
                shown += 1
                continue
            key, count = (p.code if seen[p.code] > per_code else "*"), 1
        entry = summaries.get(key)
        if entry is None:  # where the first left-out one would have been: in file order
            summaries[key] = [len(listed), p, count]
            listed.append(p)  # replaced by the summary below
        else:
            entry[2] += count
    for key, (at, first, count) in summaries.items():
        listed[at] = _omitted(first, key, count)
    return tuple(listed)


def _omitted(first: Problem, key: str, count: int) -> Omitted:
    of = "" if key == "*" else key
    what = f"like this ({of})" if of else "problems (fix the ones above first)"
    return Omitted(
        "omitted",
        f"… and {count:,} more {what}",
        "",
        first.file,
        first.line,
        first.column,
        first.severity,
        count,
        of,
    )


def problem_count(problems: Iterable[Problem]) -> int:
    """How many problems a (capped) list stands for."""
    return sum(p.count if isinstance(p, Omitted) else 1 for p in problems)


# unicodedata has no names for control characters; these are the ones people meet.
_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE", 0xA0: "NO-BREAK SPACE",
}  # fmt: skip


def char_name(ch: str) -> str:
    """``U+043E CYRILLIC SMALL LETTER O``: the code point and its Unicode name."""
    code = ord(ch)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(ch, "")
    if not name:
        category = unicodedata.category(ch)
        name = {"Cc": "CONTROL CHARACTER", "Cs": "SURROGATE", "Co": "PRIVATE USE CHARACTER",
                "Cn": "UNASSIGNED CHARACTER"}.get(category, "CHARACTER")  # fmt: skip
    return f"U+{code:04X} {name}"


def describe_char(ch: str) -> str:
    """A character named for a message: ``"о" (U+043E CYRILLIC SMALL LETTER O)``; an invisible
    one (control, format, space) only by its name: ``U+0085 NEXT LINE``."""
    visible = unicodedata.category(ch)[0] not in "CZ"
    return f'"{ch}" ({char_name(ch)})' if visible else char_name(ch)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """Return ``did you mean "x"?`` for the closest option, or an empty string."""
    import difflib  # only when something is misspelt: a walk starts quicker without it

    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f'did you mean "{matches[0]}"?' if matches else ""


class TriageError(Exception):
    """Root of every error the tool raises about its input."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.message, self.hint))

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class TreeError(TriageError):
    """A tree could not be loaded. ``problems`` lists everything found, with locations."""

    def __init__(self, problems: Sequence[Problem], message: str = "") -> None:
        self.problems = cap_problems(problems)  # a hostile file can hold 200,000 of one kind
        first = self.problems[0] if self.problems else None
        super().__init__(message or (str(first) if first else "the tree is not valid"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.problems, self.message))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems) or self.message


class CaseError(TriageError):
    """A case file is unreadable or does not fit its shape. ``problems`` locates each fault."""

    def __init__(self, message: str, hint: str = "", problems: Sequence[Problem] = ()) -> None:
        super().__init__(message, hint)
        self.problems = cap_problems(problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.message, self.hint, self.problems))


class AnswerError(TriageError):
    """An answer does not fit its question. ``allowed`` names what would be accepted."""

    def __init__(
        self, question: str, value: object, allowed: Sequence[str] = (), hint: str = ""
    ) -> None:
        self.question = question
        self.value = value
        self.allowed = tuple(allowed)
        shown_value = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
        if self.allowed:
            shown = ", ".join(f'"{a}"' for a in self.allowed)
            message = f'"{shown_value}" is not an answer to "{question}"; allowed: {shown}'
        else:
            message = f'"{shown_value}" is not an answer to "{question}"'
        super().__init__(message, hint)

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.question, self.value, self.allowed, self.hint))


class UnknownQuestionError(TriageError):
    """An answer names a question the tree does not have."""

    def __init__(self, question: str, hint: str = "") -> None:
        self.question = question
        super().__init__(f'the tree has no question "{question}"', hint)

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.question, self.hint))


class TemplateError(TriageError):
    """A response template is missing or failed to render."""


class UsageError(TriageError):
    """The command line was used wrongly."""
