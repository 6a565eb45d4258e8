"""Phrase lists → one precompiled, linear-time regex.

Rule authors write plain phrases in YAML; this module turns a whole list into a single pattern.

Phrase syntax (documented for authors in ``triage/text/rules/tone.yaml``):

* Matching ignores case and is on whole words: ``sue`` does not match inside "issue".
* A space matches any run of spaces, line breaks or commas ("clearly you" ~ "Clearly, you").
* ``'`` matches a straight or curly apostrophe, or none ("that's" ~ "that’s" ~ "thats").
* ``-`` matches a hyphen, a space or nothing ("e-mail" ~ "email" ~ "e mail").
* ``{a|b|c}`` lists alternatives, an empty one included: ``lie{s|d}``, ``refund{|s|ed}``.
* `` ... `` (three dots between two words) stands for up to two other words in the same clause:
  "update ... review" ~ "update review", "update your review", "update the 1-star review".
  The skipped words stop at . ; : ! ? quotes and brackets, so a gap never spans sentences.
* Every other character is literal.
* With ``censored=True`` each letter may also be written with a look-alike (``@``→a,
  ``3``→e, ``!``/``1``→i or l, ``0``→o, ``$``→s), and every letter but the first of a word may
  be masked with ``*``: "fuck" also matches "f***", "f*ck" and "F**K"; "ass" matches "a$$".

The phrases of a list are merged into a trie and turned into one regex. A phrase with several
``{}`` groups or a gap is not spelt out in full: it is cut into segments, each with at most one
group ("{a|b} is {c|d}" → "{a|b} is", "{c|d}"), and compiled segment after segment, so its
size is the sum of its groups, not their product. When phrases match at the same place, the
longest one-segment phrase wins, and phrases cut into segments are tried first, those with the
most segments first. The regex's only quantifiers are possessive or apply to single
characters, none nested in another, except the gap's ``{0,2}?``, which is bounded and repeats
possessive words; so scanning a text costs at most (length of the text) x (length of the
longest phrase, its gaps' words included) steps: linear in the text.
Case is handled with explicit classes (``[fF]``) rather than ``re.IGNORECASE``: a pattern that
starts with a plain class lets the engine skip quickly to positions where a phrase can start.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from triage.text.regex_cache import compiled

MAX_EXPANSIONS = 1000

_LOOKALIKES: dict[str, str] = {"a": "@", "e": "3", "i": "!1", "l": "1!", "o": "0", "s": "$"}

# Between two words: spaces, line breaks or commas. Possessive, so it never backtracks.
_GAP = r"[\s,]++"
_APOSTROPHE = r"['’‘`]?+"
_HYPHEN = r"(?:[\-‐‑–\s]|)"
# " ... ": up to two words (runs of anything but gaps and clause punctuation), then a gap.
GAP_WORDS = " ... "
_WORDS = r"(?:[\s,]++[^\s,.;:!?\"“”()\[\]{}]++){0,2}?[\s,]++"


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


# A phrase read for compiling: its parts between " ... " gaps, each part a list of segments, each
# segment the spellings of a run of words with at most one group of {} alternatives.
Pieces = list[list[list[str]]]

_GROUP = re.compile(r"\{([^{}]*)\}")


def _top_level_split(text: str, separator: str) -> list[str]:
    """Split ``text`` at each ``separator`` outside ``{}``."""
    if "{" not in text and "}" not in text:
        return text.split(separator)
    pieces: list[str] = []
    depth = 0
    for piece in text.split(separator):
        if depth > 0:
            pieces[-1] += separator + piece
        else:
            pieces.append(piece)
        depth += piece.count("{") - piece.count("}")
    return pieces


def _may_be_empty(words: str) -> bool:
    """True when ``words`` is nothing but {} groups that each offer an empty spelling."""
    groups = _GROUP.findall(words)
    return _GROUP.sub("", words).strip() == "" and all(
        any(not option.strip() for option in group.split("|")) for group in groups
    )


def _segments(part: str) -> list[str]:
    """Cut ``part`` before each word with a {} group when the words so far have one too:
    ``"{a|b} is {c|d}"`` → ``["{a|b} is", "{c|d}"]``. Words that may be empty stay joined."""
    segments: list[str] = []
    for word in _top_level_split(part, " "):
        if (
            segments
            and "{" in word
            and "{" in segments[-1]
            and not _may_be_empty(word)
            and not _may_be_empty(segments[-1])
        ):
            segments.append(word)
        elif segments:
            segments[-1] += " " + word
        else:
            segments.append(word)
    return segments


def parse_phrase(phrase: str) -> Pieces:
    """Check ``phrase`` and return its pieces: the spellings of each segment of each part
    between `` ... `` gaps. ``"{fix|update} your ... review"`` →
    ``[[["fix your", "update your"]], [["review"]]]``. A gap goes between two words,
    outside ``{}``. Raises :class:`PhraseSyntaxError` when the phrase cannot be read."""
    text = " ".join(phrase.split())
    if not text:
        raise PhraseSyntaxError("a phrase is empty")
    pieces = [[expand(s) for s in _segments(part)] for part in _top_level_split(text, GAP_WORDS)]
    for spelling in (s for part in pieces for segment in part for s in segment):
        if spelling == "..." or spelling.startswith("... ") or spelling.endswith(" ..."):
            raise PhraseSyntaxError(f'"{phrase}": "..." needs a word on each side')
        if GAP_WORDS in spelling:
            raise PhraseSyntaxError(f'"{phrase}": write "..." outside {{}}')
    return pieces


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


# A phrase compiled on its own: the trie of its first segment, the regex of the rest, and how
# many joins (segments and gaps) it has, to try the longer phrases first.
_Unit = tuple[_Node, str, int]


def _emit_start(inside: str, top: _Node, units: Sequence[_Unit] = ()) -> str:
    """The regex for the phrases that must not follow a character of ``inside`` (a regex
    class; empty: no boundary): the trie ``top`` of the one-segment phrases, and ``units``.
    When every phrase starts with a plain character, the pattern starts with a class of those
    characters, so the engine scans for it quickly; then it checks the boundary behind that
    character and picks the branches with a lookbehind. Units come first, longest first."""
    units = sorted(units, key=lambda unit: -unit[2])
    heads = [top, *(head for head, _, _ in units)]
    firsts = [child.chars for head in heads for child in head.children.values()]
    if not all(firsts):
        branches = [_emit(head) + tail for head, tail, _ in units]
        if top.children:
            branches.append(_emit(top))
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return (f"(?<!{inside})" if inside else "") + body
    # A unit that starts with one character joins that character's branch; one that starts
    # with several gets a branch of its own, behind a quick check of its first characters, so
    # its tail is written once.
    by_first: dict[str, list[str]] = {}
    own: list[str] = []
    for head, tail, _ in units:
        if len(head.children) == 1:
            [(atom, child)] = head.children.items()
            by_first.setdefault(atom, []).append(_emit(child) + tail)
        else:
            check = _one_of("".join(child.chars or "" for child in head.children.values()))
            heads_regex = "|".join(f"(?<={a})" + _emit(c) for a, c in head.children.items())
            own.append(f"(?<={check})(?:{heads_regex})" + tail)
    for atom, child in top.children.items():
        by_first.setdefault(atom, []).append(_emit(child))
    lead = _one_of("".join(c for c in firsts if c))
    behind = f"(?<!{inside}[\\s\\S])" if inside else ""
    branches = own + [
        f"(?<={atom})" + (alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")")
        for atom, alts in by_first.items()
    ]
    return lead + behind + "(?:" + "|".join(branches) + ")"


def _insert(node: _Node, spelling: str, *, censored: bool, end: str) -> None:
    for atom, chars in _atoms(spelling, censored=censored):
        node = node.children.setdefault(atom, _Node(chars=chars))
    node.ends.add(end)


def phrase_pattern(phrases: Iterable[str], *, censored: bool = False) -> str:
    """Return one regex source matching any of ``phrases`` (see the module doc for syntax).

    One-segment phrases are merged into a trie. A phrase with several {} groups or a gap is
    compiled on its own, segment after segment, so its size is the sum of its segments, not
    the product of their alternatives."""
    # In a censored list, *, @ and $ may be part of a word ("a$$"), so they bound it too.
    wordish = r"[\w*@$]" if censored else r"\w"
    after_word = f"(?!{wordish})"

    def end_of(spelling: str) -> str:
        last = spelling[-1]
        return after_word if _is_word(last) or (censored and last.isalpha()) else ""

    def boundary(spelling: str) -> str:
        return wordish if _is_word(spelling[0]) or censored else ""

    roots: dict[str, _Node] = {}
    units: dict[str, list[_Unit]] = {}
    for phrase in phrases:
        pieces = parse_phrase(phrase)
        if len(pieces) == 1 and len(pieces[0]) == 1:
            for spelling in pieces[0][0]:
                top = roots.setdefault(boundary(spelling), _Node())
                _insert(top, spelling, censored=censored, end=end_of(spelling))
            continue
        # Each segment after the first comes after a space, or after a gap when it starts a part.
        segments = [
            (_WORDS if k == 0 else _GAP, spellings)
            for part in pieces
            for k, spellings in enumerate(part)
        ]
        tail = ""
        for number, (join, spellings) in enumerate(segments[1:], 2):
            node = _Node()
            for spelling in spellings:
                end = end_of(spelling) if number == len(segments) else ""
                _insert(node, spelling, censored=censored, end=end)
            tail += join + _emit(node)
        heads: dict[str, _Node] = {}
        for spelling in segments[0][1]:  # a space or a gap follows: no end check
            head = heads.setdefault(boundary(spelling), _Node())
            _insert(head, spelling, censored=censored, end="")
        for inside, head in heads.items():
            units.setdefault(inside, []).append((head, tail, len(segments)))
    if not roots and not units:
        raise PhraseSyntaxError("the list of phrases is empty")
    parts = [
        _emit_start(inside, roots.get(inside, _Node()), units.get(inside, ()))
        for inside in sorted(roots.keys() | units.keys())
    ]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def compile_phrases(phrases: Sequence[str], *, censored: bool = False) -> re.Pattern[str]:
    """Compile :func:`phrase_pattern`. Raises :class:`PhraseSyntaxError` if it cannot."""
    key = repr((censored, tuple(phrases)))
    try:
        return compiled(key, lambda: phrase_pattern(phrases, censored=censored))
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
