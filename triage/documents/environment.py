"""The two sandboxed Jinja2 environments (Markdown and plain text) and their filters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from jinja2 import FileSystemLoader
from jinja2.sandbox import ImmutableSandboxedEnvironment

from triage.documents.context import (
    FORMATS,
    Format,
    Undefined,
    as_date,
    one_line,
)
from triage.documents.markdown import Cleaned, Trusted, clean, escape
from triage.errors import TemplateError
from triage.paths import responses_dir
from triage.walk.dates import long_day


def _finalize(fmt: Format) -> Callable[[Any], str]:
    def finalize(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Trusted):
            return value
        if isinstance(value, dt.date):
            return long_day(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
        return escape(text) if fmt == "md" else clean(text)

    return finalize


# What ends a sentence, and what may follow that end ("Done." / (Done.) / "Done.").
_ENDINGS, _CLOSERS = frozenset(".!?…:"), "\"'”’)]"
_BACKTICKS = re.compile(r"`+")
# Characters left as they are in a link target; spaces, brackets, quotes and <> are encoded.
_URL_SAFE = ":/?#@!$&*+,;=%~-._"


def _filters(fmt: Format) -> dict[str, Callable[..., Any]]:
    md = fmt == "md"

    def text(value: Any, after_bracket: bool = True) -> str:
        """A value as safe text for this format (Trusted values pass as they are)."""
        if isinstance(value, Trusted):
            return value
        raw = "" if value is None else str(value)
        return escape(raw, after_bracket=after_bracket) if md else clean(raw)

    def heading(level: int) -> Callable[[Any], Trusted]:
        def make(value: Any) -> Trusted:
            title = one_line(text(value))
            if md:
                return Trusted("#" * level + " " + title)
            if level == 3:
                return Trusted(title)
            return Trusted(title + "\n" + ("=" if level == 1 else "-") * len(title))

        return make

    def strong(value: Any) -> Trusted:
        inner = text(value).strip()
        return Trusted(f"**{inner}**" if md and inner else inner)

    def link(title: Any, url: Any) -> Trusted:
        address = str(url)
        shown = text(title)
        if not md:
            return Trusted(f'"{shown}" ({clean(address)})')
        if not address.startswith(("https://", "http://")):
            return Trusted(f"{shown} ({escape(address)})")
        target = url_quote(address, safe=_URL_SAFE)
        return Trusted(f"[{shown}]({target})")

    def quote(value: Any) -> Trusted:
        lines = text(value, after_bracket=False).split("\n")
        if md:
            # A quoted line keeps its own line: each one that goes on ends in a hard break.
            shown = [
                f"> {line}  " if line and i + 1 < len(lines) and lines[i + 1] else f"> {line}"
                for i, line in enumerate(lines)
            ]
            return Trusted("\n".join(s.rstrip() if s == "> " else s for s in shown))
        return Trusted("\n".join(f"    {line}" if line else "" for line in lines))

    def block(value: Any) -> Trusted:
        """Text to copy and paste. Plain text: as it is. Markdown: a fenced block, which shows
        its text literally (no escapes to strip when the .md is pasted or read as text); the
        fence is longer than any run of backticks inside, so the text cannot close it."""
        raw = value if isinstance(value, Cleaned) else clean("" if value is None else str(value))
        if not md:
            return Trusted(raw)
        longest = max((len(run) for run in _BACKTICKS.findall(raw)), default=0)
        fence = "`" * max(3, longest + 1)
        return Trusted(f"{fence}text\n{raw}\n{fence}")

    def date(value: Any) -> Trusted:
        day = as_date(value)
        return Trusted(long_day(day) if day else "")

    def day(value: Any) -> dt.date | None:
        """A date (or ``YYYY-MM-DD`` text) as a date, for comparing and sorting."""
        return as_date(value)

    def stars(value: Any, adjective: bool = False) -> Trusted:
        """``2 stars``; with ``adjective=True``: ``2-star``."""
        if value is None:
            return Trusted("")
        number = float(value)
        shown = str(int(number)) if number.is_integer() else f"{number:g}"
        if adjective:
            return Trusted(f"{shown}-star")
        return Trusted(f"{shown} star" + ("" if number == 1 else "s"))

    def words(values: Iterable[Any], last: str = "and") -> Trusted:
        """``a``, ``a and b``, ``a, b and c``: a list in a sentence (items escaped as needed)."""
        items = [text(v) for v in values]
        if len(items) < 3:
            return Trusted(f" {last} ".join(items))
        return Trusted(", ".join(items[:-1]) + f", {last} " + items[-1])

    def when(days_left: int) -> Trusted:
        if days_left > 1:
            return Trusted(f"in {days_left} days")
        if days_left == 1:
            return Trusted("tomorrow")
        if days_left == 0:
            return Trusted("today")
        if days_left == -1:
            return Trusted("passed yesterday")
        return Trusted(f"passed {-days_left} days ago")

    def sentence(value: Any) -> str:
        raw = "" if value is None else str(value).strip()
        if raw and raw.rstrip(_CLOSERS)[-1:] not in _ENDINGS:
            raw += "."
        raw = raw[:1].upper() + raw[1:]
        return Trusted(raw) if isinstance(value, Trusted) else raw

    return {
        "h1": heading(1),
        "h2": heading(2),
        "h3": heading(3),
        "strong": strong,
        "link": link,
        "quote": quote,
        "block": block,
        "date": date,
        "day": day,
        "stars": stars,
        "when": when,
        "words": words,
        "sentence": sentence,
    }


@lru_cache(maxsize=16)
def _environment(fmt: Format, folders: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(list(folders)),
        undefined=Undefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize(fmt),
    )
    env.filters.update(_filters(fmt))
    env.globals.update({"md": fmt == "md", "fmt": fmt})
    return env


def environment(
    fmt: Format, folders: Sequence[Path] | Path | None = None
) -> ImmutableSandboxedEnvironment:
    """The environment for ``fmt`` over ``folders``, searched in order (default:
    :func:`responses_dir`)."""
    if fmt not in FORMATS:
        raise TemplateError(f'"{fmt}" is not a document format', "use md or txt")
    if folders is None:
        folders = [responses_dir()]
    elif isinstance(folders, Path):
        folders = [folders]
    return _environment(fmt, tuple(str(f) for f in folders))
