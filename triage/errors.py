"""Errors and problems.

Every error the tool raises for bad input derives from :class:`TriageError`. Errors carry
structured fields (so the CLI can print JSON and the page can highlight) and stay picklable,
because Streamlit's cache pickles values.
"""

from __future__ import annotations

import difflib
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


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """Return ``did you mean "x"?`` for the closest option, or an empty string."""
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
        self.problems = tuple(problems)
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
        self.problems = tuple(problems)

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
