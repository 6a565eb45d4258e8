"""Built-in detectors of the pre-screen: what a phrase list cannot say.

* ``gibberish``: keyboard mashing. A word is mashed when it holds four neighbouring keys of
  one row ("asdf", "lkjh", "1234"), repeats a short run ("hjkhjk", "ffff"), or has four
  letters or more and no vowel. The text is gibberish when at least half of its words are
  (in its first 1,000 characters).
* ``link``: a web address or a handle (www., http://, bit.ly/..., a @handle).
* ``whole_text``: the whole text, for signals that only say what the text lacks
  (``without:``), e.g. a review with no word about the work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

__all__ = ["DETECTORS", "Detector", "detect"]

Detector = Literal["gibberish", "link", "whole_text"]
DETECTORS: tuple[Detector, ...] = ("gibberish", "link", "whole_text")

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
_PLACE = {c: (row, col) for row, keys in enumerate(_ROWS) for col, c in enumerate(keys)}
_TOKEN = re.compile(r"[^\W_]++")
_LINK = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"]++"
    r"|\b[a-z0-9-]++\.(?:ly|com|net|org|io|co|example|xyz|info|biz)/[^\s<>\"]*+"
    r"|(?<![\w.])@[a-z0-9_]{3,30}+\b",
    re.IGNORECASE,
)


def _runs() -> str:
    """Every run of four neighbouring keys on one row, both ways ("asdf", "fdsa", "1234")."""
    grams = {row[i : i + 4] for row in _ROWS for i in range(len(row) - 3)}
    grams |= {g[::-1] for g in grams}
    return "|".join(sorted(grams))


# A mashed word: a run of four keys on one row, a short run said three times or more ("hjkhjk",
# "ffff"), or four letters or more and no vowel.
_RUN = re.compile(_runs(), re.IGNORECASE)
_REPEAT = re.compile(r"(?=[^\W_]{4})([^\W_]{1,3}?)\1{2,}+")
_NO_VOWEL = re.compile(r"[b-df-hj-np-tv-xz]{4,}+", re.IGNORECASE)


def mashed(word: str) -> bool:
    """True when ``word`` looks typed at random on a keyboard."""
    return bool(_RUN.search(word) or _REPEAT.fullmatch(word) or _NO_VOWEL.fullmatch(word))


GIBBERISH_SAMPLE = 1000  # characters judged: mashing shows at once, and a long text costs less


def _gibberish(text: str) -> Iterator[tuple[int, int]]:
    words = [m.span() for m in _TOKEN.finditer(text)]
    judged = [text[s:e] for s, e in words if s < GIBBERISH_SAMPLE]
    bad = sum(1 for word in judged if mashed(word))
    if judged and bad * 2 >= len(judged):
        yield words[0][0], words[-1][1]


def detect(kind: Detector, text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of what detector ``kind`` finds in ``text``."""
    if kind == "gibberish":
        yield from _gibberish(text)
    elif kind == "link":
        for match in _LINK.finditer(text):
            yield match.span()
    elif kind == "whole_text":
        stripped = text.strip()
        if stripped:
            start = text.index(stripped[0])
            yield start, start + len(stripped)
