"""Review pre-screen: find what in a review (and the client's messages) suggests a removal ground.

It only suggests. Upwork decides on a report, and the person decides whether to file one: a
review that is partly about the contract is not irrelevant, and harsh words about the work are
not abuse. The signals are data, in ``triage/text/rules/screen.yaml`` (syntax: its header and
docs/prescreen.md): named concept lists, signals that need several concepts close together in
a sentence or two (``near``), negations that cancel a match (``not_near``), things the whole
text must lack (``without``), built-in detectors (gibberish, links), plain phrase lists and, as
an advanced option with a cost limit, raw regexes. Swearing reuses the tone check's
``profanity`` rule, censored forms included. Which question of a walk a ground bears on is the
tree's business (its grounds' ``when``), so the page quotes a phrase at the right question on
every platform.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, PrivateAttr, field_validator, model_validator

from triage.errors import did_you_mean
from triage.text.detectors import Detector, detect
from triage.text.phrases import Matcher, merge_overlapping, parse_phrase
from triage.text.proximity import Grid, Hit, first_keys, near
from triage.text.regex_cache import raw
from triage.text.rules_file import parse_rules_file
from triage.text.tone import Phrase, ToneRule, load_rules
from triage.tree.loader import read_data_file
from triage.tree.model import Frozen
from triage.tree.vocabulary import shared_grounds

Source = Literal["review", "messages"]
SOURCES: tuple[Source, ...] = ("review", "messages")
RULES_FILE = Path(__file__).resolve().parent / "rules" / "screen.yaml"
MAX_PATTERN = 300  # characters of an advanced raw regex
ConceptName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
# A ground's id, as in decision_trees/shared/grounds.yaml.
GroundId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
KINDS = ("phrases", "from_tone", "near", "detector", "pattern")


def _pattern_cost(pattern: str) -> str | None:
    """Why ``pattern`` could cost more than a linear scan, or None. A repeated group must not
    itself contain a repeat, unless the group's repeat is possessive (``)++``, ``)*+``) or at
    most a few times (``){0,3}``)."""
    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters; use phrases and concepts instead"
    inner_repeat: list[bool] = [False]
    at = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            close = pattern.find("]", at + 2)
            at = len(pattern) if close < 0 else close + 1
            continue
        if char == "(":
            inner_repeat.append(False)
        elif char in "*+{" and at > 0:
            inner_repeat[-1] = inner_repeat[-1] or char != "{" or ",}" in pattern[at : at + 8]
        elif char == ")" and len(inner_repeat) > 1:
            had = inner_repeat.pop()
            follow = pattern[at + 1 : at + 3]
            unbounded = follow[:1] in ("*", "+") or (
                follow[:1] == "{" and re.match(r"\{\d*,\}", pattern[at + 1 :]) is not None
            )
            possessive = unbounded and pattern[at + 2 : at + 3] == "+"
            if had and unbounded and not possessive:
                return "a repeated group contains a repeat: make the outer one possessive (++)"
            inner_repeat[-1] = inner_repeat[-1] or had or unbounded
        at += 1
    return None


def known_ground(ground: str) -> str:
    """``ground`` when the shared vocabulary declares it (or there is none). Raises ValueError."""
    known = shared_grounds()
    if known is not None and ground not in known:
        hint = did_you_mean(ground, known) or "grounds are: " + ", ".join(known)
        raise ValueError(f'no ground "{ground}" in the shared vocabulary; {hint}')
    return ground


class ScreenSignal(Frozen):
    """One kind of evidence for a ground. Give exactly one of `phrases`, `from_tone`, `near`,
    `detector` or `pattern`; `without`, `not_near` and `min_words` narrow any of them."""

    ground: GroundId = Field(
        description="The removal ground this phrase hints at: an id of the shared vocabulary "
        "(decision_trees/shared/grounds.yaml)."
    )
    label: str = Field(min_length=1, max_length=200, description="What the phrase shows.")
    weight: int = Field(default=1, ge=1, le=5, description="1 weak … 5 strong evidence.")
    sources: list[Source] = Field(
        default=list(SOURCES), description="Where to look: review, messages (default: both)."
    )
    phrases: list[Phrase] | None = Field(default=None, description="As in tone.yaml.")
    censored: bool = Field(default=False, description="Also match f***, sh!t, a$$.")
    unless: list[Phrase] = Field(default=[], description="Phrases that make a match innocent.")
    from_tone: str | None = Field(
        default=None, description="Use the phrases of this tone rule (e.g. profanity)."
    )
    near: list[ConceptName] | None = Field(
        default=None, min_length=1, max_length=6, description="Concepts that must all appear."
    )
    within: int = Field(default=8, ge=0, le=40, description="near: words between them at most.")
    sentences: int = Field(default=1, ge=1, le=3, description="near: sentences they may span.")
    detector: Detector | None = Field(default=None, description="A built-in detector.")
    pattern: str | None = Field(
        default=None, min_length=1, max_length=MAX_PATTERN, description="Advanced: a regex."
    )
    not_near: list[ConceptName] = Field(
        default=[], description="Concepts (negations) that cancel a match in or just before it."
    )
    reach: int = Field(default=3, ge=0, le=10, description="not_near: words before the match.")
    without: list[ConceptName] = Field(
        default=[], description="Fire only when the text has none of these concepts."
    )
    min_words: int = Field(default=1, ge=1, le=200, description="Words the text needs.")

    _matcher: Matcher | None = PrivateAttr(default=None)
    _tone: ToneRule | None = PrivateAttr(default=None)

    @field_validator("ground")
    @classmethod
    def _known_ground(cls, ground: str) -> str:
        return known_ground(ground)

    @model_validator(mode="after")
    def _compile(self) -> Self:
        kinds = [k for k in KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            given = " and ".join(kinds) if kinds else "none of them"
            raise ValueError(
                f'signal "{self.label}" needs exactly one of "phrases", "from_tone", "near", '
                f'"detector" or "pattern" (it has {given})'
            )
        if not self.sources:
            raise ValueError(f'signal "{self.label}": "sources" lists nowhere to look')
        if self.phrases is not None:
            self._matcher = Matcher.for_phrases(
                self.phrases, censored=self.censored, unless=self.unless
            )
        elif self.pattern is not None:
            why = _pattern_cost(self.pattern)
            if why is not None:
                raise ValueError(f'signal "{self.label}": the pattern is too costly: {why}')
            try:
                regex = raw(self.pattern, re.IGNORECASE)
            except re.error as error:
                raise ValueError(
                    f'signal "{self.label}": not a valid regular expression: {error}'
                ) from None
            self._matcher = Matcher(regex)
        elif self.from_tone is not None:
            tone = load_rules()
            ids = [r.id for r in tone.rules if r.form is None]
            if self.from_tone not in ids:
                hint = did_you_mean(str(self.from_tone), ids) or f"one of: {', '.join(ids)}"
                raise ValueError(f'signal "{self.label}": no tone rule "{self.from_tone}"; {hint}')
            self._tone = tone.rule(str(self.from_tone))
        return self

    def concepts(self) -> list[str]:
        """Every concept this signal names."""
        return [*(self.near or []), *self.not_near, *self.without]

    def find(self, text: str, look: _Look) -> Iterator[tuple[int, int]]:
        """Yield ``(start, end)`` of each place in ``text`` that shows this signal."""
        if look.grid.words < self.min_words:
            return
        if any(look.hits(c) for c in self.without):
            return
        blockers = [h for c in self.not_near for h in look.hits(c)]
        if self.near is not None:
            groups = [look.hits(c) for c in self.near]
            yield from near(
                groups,
                within=self.within,
                sentences=self.sentences,
                blockers=blockers,
                reach=self.reach,
            )
            return
        if self._matcher is not None:
            spans: Iterable[tuple[int, int]] = self._matcher.spans(text)
        elif self._tone is not None:
            spans = self._tone.spans(text, None)
        elif self.detector is not None:
            spans = detect(self.detector, text)
        else:
            spans = ()
        for start, end in spans:
            if blockers:
                hit = look.grid.hit(start, end)
                if any(
                    hit.first - self.reach <= b.first <= hit.last and b.sentence == hit.sentence
                    for b in blockers
                ):
                    continue
            yield start, end

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Yield ``(start, end)`` of each place in ``text`` that shows this signal (signals
        that use concepts need the whole file: use :func:`screen`)."""
        if self.concepts():
            raise ValueError(f'signal "{self.label}" uses concepts: screen with its file')
        yield from self.find(text, _Look(text, {}))


class _Look:
    """One text, cut into words and sentences once, and each concept's hits found on demand."""

    def __init__(
        self,
        text: str,
        concepts: dict[str, Matcher],
        firsts: dict[str, frozenset[str] | None] | None = None,
    ) -> None:
        self.text = text
        self._concepts = concepts
        self._firsts = firsts or {}
        self._hits: dict[str, list[Hit]] = {}
        self._grid: Grid | None = None

    @property
    def grid(self) -> Grid:
        if self._grid is None:
            self._grid = Grid(self.text)
        return self._grid

    def hits(self, concept: str) -> list[Hit]:
        found = self._hits.get(concept)
        if found is None:
            keys = self._firsts.get(concept)
            if keys is not None and keys.isdisjoint(self.grid.starts()):
                self._hits[concept] = []  # no word starts as a phrase does: skip the scan
                return []
            spans = self._concepts[concept].spans(self.text)
            found = self._hits[concept] = [self.grid.hit(s, e) for s, e in spans]
        return found


class ScreenRules(Frozen):
    """The whole signals file."""

    version: Literal[1] = Field(default=1, description="The format version: 1.")
    concepts: dict[ConceptName, list[Phrase]] = Field(
        default={}, description="Named lists of phrases that signals combine (near, without)."
    )
    signals: list[ScreenSignal] = Field(description="The signals, grouped by ground.")

    _concepts: dict[str, Matcher] = PrivateAttr(default_factory=dict)
    _firsts: dict[str, frozenset[str] | None] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _labels_unique(self) -> Self:
        if not self.signals:
            raise ValueError("the file has no signals")
        counts = Counter(x.label for x in self.signals)
        twice = sorted(name for name, n in counts.items() if n > 1)
        if twice:
            raise ValueError(f"these labels are used more than once: {', '.join(twice)}")
        known = sorted(self.concepts)
        unknown: list[str] = []
        for signal in self.signals:
            for name in signal.concepts():
                if name not in self.concepts:
                    hint = did_you_mean(name, known) or f"concepts are: {', '.join(known)}"
                    unknown.append(f'signal "{signal.label}": no concept "{name}"; {hint}')
        if unknown:
            raise ValueError("; ".join(unknown))
        empty = sorted(name for name, phrases in self.concepts.items() if not phrases)
        if empty:
            raise ValueError(f"these concepts list no phrases: {', '.join(empty)}")
        self._concepts = {
            name: Matcher.for_phrases(phrases) for name, phrases in self.concepts.items()
        }
        self._firsts = {
            name: first_keys(
                spelling for phrase in phrases for spelling in parse_phrase(phrase)[0][0]
            )
            for name, phrases in self.concepts.items()
        }
        return self

    @property
    def grounds(self) -> tuple[str, ...]:
        """The grounds the signals suggest, in the order ties are ranked: the order the file's
        signals first name them."""
        return tuple(dict.fromkeys(x.ground for x in self.signals))

    def look(self, text: str) -> _Look:
        return _Look(text, self._concepts, self._firsts)


@dataclass(frozen=True, slots=True)
class Signal:
    """A phrase found: ``text == source_text[start:end]`` where ``source`` names the text."""

    ground: str
    label: str
    start: int
    end: int
    text: str
    source: Source

    def to_json(self) -> dict[str, Any]:
        return {
            "ground": self.ground,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """The signals found (review first, then messages, each by position) and the grounds they
    suggest, strongest first."""

    signals: tuple[Signal, ...]
    suggested_grounds: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"signals": [...], "suggested_grounds": [...]}`` as the CLI contract gives it."""
        return {
            "signals": [s.to_json() for s in self.signals],
            "suggested_grounds": list(self.suggested_grounds),
        }


def parse_signals(text: str | bytes, file: str = "<signals>") -> ScreenRules:
    """Parse a signals file's text. Raises ``TreeError`` with located problems."""
    return parse_rules_file(ScreenRules, text, file, "the screen signals")


def load_signals(path: str | Path | None = None) -> ScreenRules:
    """Load signals from ``path``, or the shipped ones (read once, then cached)."""
    if path is None:
        return _shipped_signals()
    return parse_signals(*read_data_file(Path(path)))


@cache
def _shipped_signals() -> ScreenRules:
    return parse_signals(*read_data_file(RULES_FILE))


def screen(review: str, messages: str = "", *, rules: ScreenRules | None = None) -> ScreenResult:
    """Find phrases in ``review`` and ``messages`` that suggest a removal ground.

    A ground's strength is the sum of the weights of its distinct signals found; grounds are
    suggested strongest first, ties in the order the signals file first names them.
    """
    if not (review.strip() or messages.strip()):
        return ScreenResult((), ())  # nothing to read: the rules are not even loaded
    active = rules if rules is not None else load_signals()
    found: list[Signal] = []
    for source, text in (("review", review), ("messages", messages)):
        if not text.strip():
            continue
        look = active.look(text)
        for signal in active.signals:
            if source not in signal.sources:
                continue
            for start, end in merge_overlapping(signal.find(text, look)):
                found.append(
                    Signal(signal.ground, signal.label, start, end, text[start:end], source)
                )
    found.sort(key=lambda s: (SOURCES.index(s.source), s.start, s.end, s.label))
    return ScreenResult(tuple(found), _rank(found, active))


def _rank(found: list[Signal], rules: ScreenRules) -> tuple[str, ...]:
    weights = {s.label: s.weight for s in rules.signals}
    strength: dict[str, int] = {}
    for ground, label in {(s.ground, s.label) for s in found}:
        strength[ground] = strength.get(ground, 0) + weights[label]
    order = rules.grounds
    return tuple(sorted(strength, key=lambda g: (-strength[g], order.index(g))))
