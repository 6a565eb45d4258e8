"""Text that came from a person, made safe to drop into a Markdown document.

:func:`escape` turns any text into Markdown that shows exactly that text: no link, image,
emphasis, heading, list, table, code, HTML or maths can form from it. It is applied to every
value a Markdown template outputs (see :mod:`triage.documents.render`) unless the value is
:class:`Trusted`: text written by a tree author or built by the template itself.

What is escaped, and where:

- everywhere: ``\\ ` * _ [ ] | ~ $ @`` get a backslash; ``& < >`` become ``&amp; &lt; &gt;``
  (so no HTML tag, entity or ``<autolink>`` forms);
- ``!`` before ``[`` (an image), and ``(`` / ``)`` at the start of the text or after ``]`` (a
  link target);
- at the start of a line (after up to three spaces): ``# + - =`` and the ``.`` or ``)`` after a
  number (``1.``), so no heading, list, rule or setext underline forms;
- ``://`` and ``www.``, so GitHub-style bare links (which Streamlit's Markdown also makes
  clickable) stay text.

Apart from those marks the text is unchanged: ``O'Brien`` stays ``O'Brien``. The page has its
own escaper for Streamlit's Markdown (:mod:`triage.ui.text_marks`, which says why the two differ).
:func:`clean` is the part both formats share: it drops NUL bytes, normalises line ends and fences
right-to-left overrides in so they cannot turn the rest of the document around.
"""

from __future__ import annotations

import re

__all__ = ["Cleaned", "Trusted", "clean", "escape", "escape_line_start"]


class Trusted(str):
    """Text that is already fit for the output format: tree-authored wording, or a fragment a
    template filter built (and escaped) itself. Any string operation on it (``upper``,
    ``replace``, ``+``) gives a plain ``str`` again, which is escaped like any other value."""

    __slots__ = ()


class Cleaned(str):
    """A ready text the tool rendered (a reply, a report): every value from the case in it was
    already passed through :func:`clean` once, so a block showing it as it is doesn't clean (and
    fence) the whole text again. Unlike :class:`Trusted` it is still escaped anywhere else in a
    Markdown document."""

    __slots__ = ()


# Bidirectional controls: embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_FSI, _PDI = "\u2068", "\u2069"


def clean(text: str) -> str:
    """What every output format does to a person's text: NUL, ESC and the other C0/C1 control
    characters dropped (tab and newline kept), CR LF and lone CR
    turned into LF, and text holding bidirectional controls wrapped in an isolate (U+2068 …
    U+2069). A closing isolate ends every override opened inside it (Unicode UAX #9), so a
    U+202E in a review reverses at most the review, never the words the tool writes after it.
    The characters themselves are kept: the text still reads as the person wrote it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Other control characters (ESC starts terminal escape sequences) are dropped; tab and
    # newline stay.
    text = _CONTROL.sub("", text)
    if _BIDI.search(text):
        text = f"{_FSI}{text}{_PDI}"
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ALWAYS = frozenset("\\`*_[]|~$@")
# At a line's start, after at most three spaces: a heading, list, quote or setext/rule marker.
_LINE_START = re.compile(r"^( {0,3})([#+=-])", re.MULTILINE)
_ORDERED = re.compile(r"^( {0,3}\d{1,9})([.)])", re.MULTILINE)
_SCHEME = re.compile(r"(?<=[A-Za-z0-9])://")
_WWW = re.compile(r"(?<![\w.])(www)\.", re.IGNORECASE)


def escape(text: str, *, after_bracket: bool = True) -> str:
    """``text`` as Markdown that displays exactly ``text`` (after :func:`clean`).

    ``after_bracket=False`` when the caller knows the text does not follow a ``]`` (it starts a
    quoted line, say), so a leading ``(`` needs no backslash."""
    text = clean(text)
    out: list[str] = []
    previous = "]" if after_bracket else "\n"
    for i, char in enumerate(text):
        if char in _HTML:
            out.append(_HTML[char])
        elif (
            char in _ALWAYS
            or (char == "!" and text[i + 1 : i + 2] == "[")
            or (char in "()" and previous == "]")
        ):
            out.append("\\" + char)
        else:
            out.append(char)
        previous = char
    escaped = "".join(out)
    escaped = escape_line_start(escaped)
    escaped = _SCHEME.sub(r"\\://", escaped)
    return _WWW.sub(r"\1\\.", escaped)


def escape_line_start(text: str) -> str:
    """Escape the markers that make a line a heading, a list item, a rule or an underline."""
    text = _LINE_START.sub(r"\1\\\2", text)
    return _ORDERED.sub(r"\1\\\2", text)
