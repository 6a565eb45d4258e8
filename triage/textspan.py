"""Phrase lists → one precompiled, linear-time regex.

Rule authors write plain phrases in YAML; this module turns a whole list into a single pattern.

Phrase syntax (documented for authors in ``triage/rules/tone.yaml``):

* Matching ignores case and is on whole words: ``sue`` does not match inside "issue".
* A space matches any run of spaces, line breaks or commas ("clearly you" ~ "Clearly, you").
* ``'`` matches a straight or curly apostrophe, or none ("that's" ~ "that’s" ~ "thats").
* ``-`` matches a hyphen, a space or nothing ("e-mail" ~ "email" ~ "e mail").
* ``{a|b|c}`` lists alternatives, an empty one included: ``lie{s|d}``, ``refund{|s|ed}``.
* Every other character is literal.
* With ``censored=True`` each letter may also be written with a look-alike (``@``→a,
  ``3``→e, ``!``/``1``→i or l, ``0``→o, ``$``→s), and every letter but the first of a word may
  be masked with ``*``: "fuck" also matches "f***", "f*ck" and "F**K"; "ass" matches "a$$".

The phrases of a list are merged into a trie and turned into one regex. Its only quantifiers
are possessive or apply to single characters, none nested in another, so scanning a text costs
at most (length of the text) x (length of the longest phrase) steps: linear in the text.
Case is handled with explicit classes (``[fF]``) rather than ``re.IGNORECASE``: a pattern that
starts with a plain class lets the engine skip quickly to positions where a phrase can start.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

MAX_EXPANSIONS = 1000

_LOOKALIKES: dict[str, str] = {"a": "@", "e": "3", "i": "!1", "l": "1!", "o": "0", "s": "$"}

# Between two words: spaces, line breaks or commas. Possessive, so it never backtracks.
_GAP = r"[\s,]++"
_APOSTROPHE = r"['’‘`]?+"
_HYPHEN = r"(?:[\-‐‑–\s]|)"


class PhraseSyntaxError(ValueError):
    """A phrase cannot be read (an unclosed ``{``, an empty phrase, too many alternatives)."""


def expand(phrase: str) -> list[str]:
    """Expand ``{a|b}`` alternatives: ``"lie{s|d}"`` → ``["lies", "lied"]``."""
    results = [""]
    rest = phrase
    while rest:
        open_at = rest.find("{")
        close_at = rest.find("}")
        if open_at < 0:
            if close_at >= 0:
                raise PhraseSyntaxError(f'"{phrase}": "}}" without "{{"')
            results = [r + rest for r in results]
            break
        if close_at < 0:
            raise PhraseSyntaxError(f'"{phrase}": "{{" is not closed with "}}"')
        if close_at < open_at:
            raise PhraseSyntaxError(f'"{phrase}": "}}" without "{{"')
        inner = rest[open_at + 1 : close_at]
        if "{" in inner:
            raise PhraseSyntaxError(f'"{phrase}": "{{" is not closed before the next "{{"')
        options = inner.split("|")
        head = rest[:open_at]
        results = [r + head + option for r in results for option in options]
        if len(results) > MAX_EXPANSIONS:
            raise PhraseSyntaxError(
                f'"{phrase}": more than {MAX_EXPANSIONS} spellings; split it into several phrases'
            )
        rest = rest[close_at + 1 :]
    cleaned = [" ".join(r.split()) for r in results]
    if any(not c for c in cleaned):
        raise PhraseSyntaxError(f'"{phrase}": one of its spellings is empty')
    return cleaned


def _one_of(chars: str) -> str:
    """A regex for exactly one of ``chars``."""
    unique = "".join(dict.fromkeys(chars))
    if len(unique) == 1:
        return re.escape(unique)
    return "[" + "".join(re.escape(c) for c in unique) + "]"


def _cases(char: str) -> str:
    """``char`` in both cases (only when each case is a single character)."""
    both = char.lower() + char.upper()
    return both if len(both) == 2 else char


# An atom is a regex for one character of a phrase, with the characters it matches when it
# matches exactly one (None for gaps, apostrophes and hyphens, which may match zero or many).
_Atom = tuple[str, str | None]


def _atoms(phrase: str, *, censored: bool) -> list[_Atom]:
    atoms: list[_Atom] = []
    word_start = True
    for char in phrase:
        atoms.append(_atom(char, word_start if censored else None))
        word_start = char in " -"
    return atoms


@cache
def _atom(char: str, censored_word_start: bool | None) -> _Atom:
    """The atom for ``char``; ``censored_word_start`` is None outside a censored list."""
    if char == " ":
        return (_GAP, None)
    if char in "'’":
        return (_APOSTROPHE, None)
    if char == "-":
        return (_HYPHEN, None)
    chars = _cases(char)
    if censored_word_start is not None and char.isalpha():
        chars += _LOOKALIKES.get(char.lower(), "") + ("" if censored_word_start else "*")
    return (_one_of(chars), chars)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    ends: set[str] = field(default_factory=set)  # boundary assertions for phrases ending here
    chars: str | None = None  # what the atom leading to this node matches


def _emit(node: _Node) -> str:
    branches = [atom + _emit(child) for atom, child in node.children.items()]
    # An ending comes after the longer continuations, so the longest phrase wins.
    branches.extend(sorted(node.ends))
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _emit_start(inside: str, top: _Node) -> str:
    """The regex for one trie root whose phrases must not follow a character of ``inside``
    (a regex class; empty: no boundary). When every phrase starts with a plain character, the
    pattern starts with a class of those characters, so the engine scans for it quickly; then
    it checks the boundary behind that character and picks the branch with a lookbehind."""
    firsts = [child.chars for child in top.children.values()]
    if not all(firsts):
        return (f"(?<!{inside})" if inside else "") + _emit(top)
    lead = _one_of("".join(c for c in firsts if c))
    behind = f"(?<!{inside}[\\s\\S])" if inside else ""
    branches = [f"(?<={atom})" + _emit(child) for atom, child in top.children.items()]
    return lead + behind + "(?:" + "|".join(branches) + ")"


def phrase_pattern(phrases: Iterable[str], *, censored: bool = False) -> str:
    """Return one regex source matching any of ``phrases`` (see the module doc for syntax)."""
    # In a censored list, *, @ and $ may be part of a word ("a$$"), so they bound it too.
    wordish = r"[\w*@$]" if censored else r"\w"
    after_word = f"(?!{wordish})"
    roots: dict[str, _Node] = {}
    count = 0
    for phrase in phrases:
        if not phrase.strip():
            raise PhraseSyntaxError("a phrase is empty")
        for spelling in expand(phrase):
            count += 1
            node = roots.setdefault(wordish if _is_word(spelling[0]) or censored else "", _Node())
            for atom, chars in _atoms(spelling, censored=censored):
                node = node.children.setdefault(atom, _Node(chars=chars))
            last = spelling[-1]
            node.ends.add(after_word if _is_word(last) or (censored and last.isalpha()) else "")
    if not count:
        raise PhraseSyntaxError("the list of phrases is empty")
    parts = [_emit_start(inside, top) for inside, top in sorted(roots.items())]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def compile_phrases(phrases: Sequence[str], *, censored: bool = False) -> re.Pattern[str]:
    """Compile :func:`phrase_pattern`. Raises :class:`PhraseSyntaxError` if it cannot."""
    try:
        return re.compile(phrase_pattern(phrases, censored=censored))
    except (re.error, RecursionError, OverflowError) as error:  # only for absurd lists
        raise PhraseSyntaxError(
            f"the phrases cannot be compiled ({error}); split the list"
        ) from None


@dataclass(frozen=True, slots=True)
class Matcher:
    """A compiled search: the matches of ``regex``, less those inside a match of ``unless`` and
    those whose text (case ignored) is in ``allowed``."""

    regex: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    allowed: frozenset[str] = frozenset()

    @classmethod
    def for_phrases(
        cls, phrases: Sequence[str], *, censored: bool = False, unless: Sequence[str] = ()
    ) -> Matcher:
        """A matcher for a phrase list and its ``unless`` phrases (same syntax)."""
        excuses = compile_phrases(unless, censored=censored) if unless else None
        return cls(compile_phrases(phrases, censored=censored), excuses)

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Yield ``(start, end)`` of each match in ``text``, in order, never overlapping."""
        excuses = _Excuses(self.unless, text)
        for match in self.regex.finditer(text):
            start, end = match.span()
            if (
                end > start
                and not (self.allowed and match.group().casefold() in self.allowed)
                and not excuses.covers(start, end)
            ):
                yield start, end


class _Excuses:
    """Where in ``text`` the ``unless`` phrases match; found on first use, so a rule that
    matches nothing costs nothing extra."""

    def __init__(self, pattern: re.Pattern[str] | None, text: str) -> None:
        self._pattern = pattern
        self._text = text
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def covers(self, start: int, end: int) -> bool:
        """True when one excuse contains the whole of ``text[start:end]``."""
        if self._pattern is None:
            return False
        if self._starts is None:
            spans = [m.span() for m in self._pattern.finditer(self._text)]
            self._starts = [s for s, _ in spans]
            self._ends = [e for _, e in spans]
        index = bisect_right(self._starts, start) - 1
        return index >= 0 and end <= self._ends[index]


def merge_overlapping(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge ``(start, end)`` pairs that overlap; the result is sorted by start."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
