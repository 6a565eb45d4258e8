"""Words, sentences and "these concepts near each other" for the pre-screen.

A text is cut into words and sentences once; each concept's matches are then placed on that
grid, so "a condition and a review term within 12 words, in one sentence" is a comparison of
word numbers, not a regex with every word order spelt out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

__all__ = ["Grid", "Hit", "near"]

_WORD = re.compile(r"[^\W_]++(?:['’][^\W_]++)*+")
# A sentence ends at . ! ? ; or a line break (not inside "e.g." or "3.5": a space must follow).
_END = re.compile(r"[.!?;]++(?=[\s\"'’”)]|$)|\n")


@dataclass(frozen=True, slots=True)
class Hit:
    """A match of one concept: characters ``start:end``, words ``first..last``, sentence."""

    start: int
    end: int
    first: int
    last: int
    sentence: int


class Grid:
    """Where the words and the sentence ends of one text are."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = [m.span() for m in _WORD.finditer(text)]
        self.word_starts = [s for s, _ in spans]
        self.word_ends = [e for _, e in spans]
        self.sentence_ends = [m.start() for m in _END.finditer(text)]
        self._starts: frozenset[str] | None = None

    @property
    def words(self) -> int:
        return len(self.word_starts)

    def starts(self) -> frozenset[str]:
        """The first one, two and three characters of every word, in lower case."""
        if self._starts is None:
            self._starts = frozenset(
                self.text[s : s + n].lower()
                for s, e in zip(self.word_starts, self.word_ends, strict=True)
                for n in range(1, min(3, e - s) + 1)
            )
        return self._starts

    def hit(self, start: int, end: int) -> Hit:
        """Place characters ``start:end`` on the grid."""
        first = bisect_right(self.word_ends, start)
        last = max(first, bisect_left(self.word_starts, end) - 1)
        return Hit(start, end, first, last, bisect_right(self.sentence_ends, start))


def first_keys(spellings: Iterator[str]) -> frozenset[str] | None:
    """What every match of these spellings starts with: the letters or digits of its first word,
    at most three, in lower case. None when a spelling starts with anything else."""
    keys: set[str] = set()
    for spelling in spellings:
        head = re.match(r"[^\W_]{1,3}", spelling)
        if head is None:
            return None
        keys.add(head.group().lower())
    return frozenset(keys)


_LONGEST = 12  # words a single concept match may span (gaps included)


def _gap(a: Hit, b: Hit) -> int:
    """Words strictly between two hits (0 when they touch or overlap)."""
    if a.first > b.first:
        a, b = b, a
    return max(0, b.first - a.last - 1)


def near(
    groups: Sequence[Sequence[Hit]],
    *,
    within: int,
    sentences: int,
    blockers: Sequence[Hit] = (),
    reach: int = 3,
) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each place where one hit of every group lies within ``within``
    words of the first group's hit, all in ``sentences`` consecutive sentences at most, the
    hits distinct. A blocker (a negation) inside that stretch, or up to ``reach`` words before
    it, in the same sentences, cancels the place."""
    if not groups or any(not g for g in groups):
        return
    # Hits are in text order: look only at those whose first word can be close enough.
    firsts = [[h.first for h in group] for group in groups[1:]]
    for anchor in groups[0]:
        chosen = [anchor]
        low_word = anchor.first - within - 1 - _LONGEST
        high_word = anchor.last + within + 1
        for group, starts in zip(groups[1:], firsts, strict=True):
            best: Hit | None = None
            best_gap = within + 1
            for index in range(bisect_left(starts, low_word), bisect_right(starts, high_word)):
                hit = group[index]
                if any(hit.start == c.start and hit.end == c.end for c in chosen):
                    continue
                if any(abs(hit.sentence - c.sentence) >= sentences for c in chosen):
                    continue
                gap = _gap(anchor, hit)
                if gap < best_gap:
                    best, best_gap = hit, gap
            if best is None:
                break
            chosen.append(best)
        else:
            start = min(c.start for c in chosen)
            end = max(c.end for c in chosen)
            first = min(c.first for c in chosen)
            last = max(c.last for c in chosen)
            low = min(c.sentence for c in chosen)
            high = max(c.sentence for c in chosen)
            if any(
                first - reach <= b.first <= last and low <= b.sentence <= high for b in blockers
            ):
                continue
            yield start, end
