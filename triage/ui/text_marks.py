"""Show text people typed (or tree authors wrote) through Streamlit's Markdown, safely.

Streamlit renders labels, captions and ``st.markdown`` as Markdown with extras: ``:red[...]``
colour directives, ``:material/...:`` icons, ``$...$`` maths, raw URLs turned into links. A review
that says ``[click](javascript:alert(1))`` or ``**urgent**`` must show exactly those characters.

CommonMark lets any ASCII punctuation be escaped with a backslash, and an escaped character is
always literal. Blocks of text (:func:`highlight`, :func:`escape_block`, :func:`excerpt`) escape
every ASCII punctuation character, which disarms links, images, emphasis, HTML, directives,
maths, tables, lists and headings at once. One-line labels (:func:`escape`) escape only the
characters that can start markup, because Streamlit also reads a widget's label aloud to screen
readers (as its ``aria-label``) with the backslashes left in.

Bare web and e-mail addresses are broken up with an invisible word joiner (see :data:`JOINER`).
Highlights are added around escaped fragments with Streamlit's own ``:color-background[...]``
directive, so no HTML is ever needed (and ``unsafe_allow_html`` is never used).

The documents people download have their own escaper, :func:`triage.documents.markdown.escape`,
on purpose: a saved ``.md`` is read in any editor or on GitHub, where ``:`` means nothing and a
backslash or an invisible joiner before it would only be noise, and its ``&``/``<`` become
entities; a label here must carry no entities (screen readers would read them out) and must
disarm Streamlit's directives, icons and maths, which no other Markdown has.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Mark",
    "escape",
    "escape_block",
    "excerpt",
    "excerpts",
    "highlight",
    "line_of",
    "link",
]

_PUNCTUATION = frozenset(string.punctuation)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
HIGHLIGHT = "orange-background"
COLOURS = frozenset(
    f"{c}-background" for c in ("red", "orange", "yellow", "green", "blue", "violet", "gray")
)


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the text to highlight: ``text[start:end]``."""

    start: int
    end: int
    colour: str = HIGHLIGHT


# Streamlit's Markdown (GitHub flavour) turns bare addresses into links *after* parsing, so
# backslash escapes cannot stop it: "www.x.com", "https://x.com" and "a@x.com" would become
# clickable. An invisible word joiner before each "." and after each ":" and "@" breaks those
# patterns without changing what the text looks like.
JOINER = "\u2060"
_SPECIAL = {ch: "\\" + ch for ch in _PUNCTUATION}
_SPECIAL.update({".": JOINER + "\\.", ":": "\\:" + JOINER, "@": "\\@" + JOINER})

# Characters that can start markup anywhere in a line: escapes, code, emphasis, links and images,
# HTML and autolinks, entities, strikethrough, maths, directives/emoji/icons, tables, headings.
INLINE_SPECIAL = frozenset("\\`*_[]<>&~$:|#")
# At the start of a line only: list items, setext underlines, ordered lists.
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")
_WWW = re.compile(r"(www)(\.)", re.IGNORECASE)


def _escape_chars(text: str) -> str:
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


@lru_cache(maxsize=4096)  # the same labels are escaped on every run of the page
def escape(text: str) -> str:
    """``text`` as literal one-line Markdown, for labels and short inline text.

    Only the characters that can start markup are escaped, so a screen reader reading the label
    hears few backslashes; addresses get a word joiner so they do not become links.
    """
    flat = " ".join(text.split())
    out: list[str] = []
    for ch in flat:
        out.append("\\" + ch if ch in INLINE_SPECIAL else ch)
        if ch in ":@":
            out.append(JOINER)
    escaped = _WWW.sub(lambda m: m.group(1) + JOINER + m.group(2), "".join(out))
    return _LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped
    )


def _block_lines(text: str) -> list[str]:
    # Leading spaces would make a code block; runs of spaces mean nothing in Markdown anyway.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_SPACES.sub(" ", line).strip() for line in lines]


def escape_block(text: str) -> str:
    """``text`` as literal Markdown that keeps its line breaks and paragraphs."""
    return highlight(text, ())


def _colour(colour: str) -> str:
    return colour if colour in COLOURS else HIGHLIGHT


def _wrap(fragment: str, colour: str) -> str:
    """Highlight an escaped fragment; directives cannot hold a line break, so wrap per line."""
    colour = _colour(colour)
    return "\n".join(
        f":{colour}[{part}]" if part.strip() else part for part in fragment.split("\n")
    )


def _clean(marks: Iterable[Mark], length: int) -> list[Mark]:
    """Marks clipped to the text, sorted, overlaps merged (the first mark's colour wins)."""
    ordered = sorted(
        (Mark(max(0, m.start), min(length, m.end), m.colour) for m in marks if m.end > m.start),
        key=lambda m: (m.start, m.end),
    )
    merged: list[Mark] = []
    for mark in ordered:
        if mark.start >= mark.end:
            continue
        if merged and mark.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Mark(last.start, max(last.end, mark.end), last.colour)
        else:
            merged.append(mark)
    return merged


def highlight(text: str, marks: Sequence[Mark]) -> str:
    """``text`` as literal Markdown with the ``marks`` highlighted. Line breaks are kept."""
    pieces: list[str] = []
    position = 0
    for mark in _clean(marks, len(text)):
        pieces.append(_escape_chars(text[position : mark.start]))
        pieces.append(_wrap(_escape_chars(text[mark.start : mark.end]), mark.colour))
        position = mark.end
    pieces.append(_escape_chars(text[position:]))
    joined = "".join(pieces)
    lines = _block_lines(joined)
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if out and out[-1] != "":
            out[-1] += "  "  # a hard line break keeps the writer's lines
        out.append(line)
    return "\n".join(out).strip()


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of ``offset`` in ``text``."""
    return text.count("\n", 0, max(0, offset)) + 1


def _flat(text: str) -> str:
    """Whitespace runs (line breaks included) as single spaces, edges kept."""
    return re.sub(r"\s+", " ", text)


def excerpt(text: str, start: int, end: int, width: int = 50, colour: str = HIGHLIGHT) -> str:
    """A one-line escaped excerpt of ``text`` around ``text[start:end]``, the span highlighted.

    Up to ``width`` characters of context are kept on each side, cut at a word boundary, with
    "…" where the text goes on.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    before = _flat(text[max(0, start - width) : start])
    after = _flat(text[end : end + width])
    if start - width > 0:
        cut = before.find(" ")
        before = "…" + (before[cut + 1 :] if 0 <= cut < len(before) - 1 else before)
    if end + width < len(text):
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    middle = _flat(text[start:end]).strip()
    lead, tail = _escape_chars(before.lstrip()), _escape_chars(after.rstrip())
    if not middle:
        return (lead + tail).strip()
    return f"{lead}:{_colour(colour)}[{_escape_chars(middle)}]{tail}"


def link(title: str, url: str) -> str:
    """A Markdown link with an escaped title. Only plain https addresses become links."""
    if not url.startswith("https://") or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return escape(title)
    for raw, coded in (("\\", "%5C"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(raw, coded)
    return f"[{escape(title)}]({url})"


def excerpts(text: str, marks: Sequence[Mark], width: int = 50) -> list[str]:
    """One-line escaped excerpts around ``marks``; marks whose windows overlap share one."""
    windows: list[tuple[int, int, list[Mark]]] = []
    for mark in _clean(marks, len(text)):
        lo, hi = max(0, mark.start - width), min(len(text), mark.end + width)
        if windows and lo <= windows[-1][1]:
            first, _, members = windows[-1]
            windows[-1] = (first, hi, [*members, mark])
        else:
            windows.append((lo, hi, [mark]))
    out: list[str] = []
    for lo, hi, members in windows:
        if lo > 0:
            cut = text.find(" ", lo, members[0].start)
            lo = cut + 1 if cut != -1 else lo
        if hi < len(text):
            cut = text.rfind(" ", members[-1].end, hi)
            hi = cut if cut != -1 else hi
        shifted = [Mark(m.start - lo, m.end - lo, m.colour) for m in members]
        # Same-length replacements keep the marks' offsets valid.
        flat = "".join(" " if ch in "\r\n\t\f\v" else ch for ch in text[lo:hi])
        body = highlight(flat, shifted)
        out.append(("…" if lo > 0 else "") + body + ("…" if hi < len(text) else ""))
    return out
