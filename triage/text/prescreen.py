"""Review pre-screen: highlight phrases in a review (and the client's messages) that suggest a
removal ground.

It only suggests. Upwork decides on a report, and the person decides whether to file one: a
phrase such as "the previous freelancer" hints at an irrelevant review, but a review that is
partly about the contract does not qualify. The signals are data, in
``triage/text/rules/screen.yaml``; swearing reuses the tone check's ``profanity`` rule,
censored forms included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, PrivateAttr, model_validator

from triage.errors import did_you_mean
from triage.text.phrases import Matcher, merge_overlapping
from triage.text.tone import Phrase, ToneRule, load_rules, parse_model, read_rules_file
from triage.tree.model import GROUNDS, Frozen, Ground

Source = Literal["review", "messages"]
SOURCES: tuple[Source, ...] = ("review", "messages")
RULES_FILE = Path(__file__).resolve().parent / "rules" / "screen.yaml"


class ScreenSignal(Frozen):
    """One kind of phrase that hints at a ground. Give `phrases` or `from_tone`."""

    ground: Ground = Field(description="The removal ground this phrase hints at.")
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

    _matcher: Matcher | None = PrivateAttr(default=None)
    _tone: ToneRule | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _compile(self) -> Self:
        if (self.phrases is None) == (self.from_tone is None):
            raise ValueError(f'signal "{self.label}" needs exactly one of "phrases", "from_tone"')
        if not self.sources:
            raise ValueError(f'signal "{self.label}": "sources" lists nowhere to look')
        if self.phrases is not None:
            self._matcher = Matcher.for_phrases(
                self.phrases, censored=self.censored, unless=self.unless
            )
        else:
            tone = load_rules()
            ids = [r.id for r in tone.rules if r.form is None]
            if self.from_tone not in ids:
                hint = did_you_mean(str(self.from_tone), ids) or f"one of: {', '.join(ids)}"
                raise ValueError(f'signal "{self.label}": no tone rule "{self.from_tone}"; {hint}')
            self._tone = tone.rule(str(self.from_tone))
        return self

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Yield ``(start, end)`` of each place in ``text`` that shows this signal."""
        if self._matcher is not None:
            yield from self._matcher.spans(text)
        elif self._tone is not None:
            yield from self._tone.spans(text, None)


class ScreenRules(Frozen):
    """The whole signals file."""

    version: Literal[1] = Field(default=1, description="The format version: 1.")
    signals: list[ScreenSignal] = Field(description="The signals, grouped by ground.")

    @model_validator(mode="after")
    def _labels_unique(self) -> Self:
        if not self.signals:
            raise ValueError("the file has no signals")
        counts = Counter(x.label for x in self.signals)
        twice = sorted(name for name, n in counts.items() if n > 1)
        if twice:
            raise ValueError(f"these labels are used more than once: {', '.join(twice)}")
        return self


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
    return parse_model(ScreenRules, text, file, "the screen signals")


def load_signals(path: str | Path | None = None) -> ScreenRules:
    """Load signals from ``path``, or the shipped ones (read once, then cached)."""
    if path is None:
        return _shipped_signals()
    return parse_signals(*read_rules_file(Path(path)))


@cache
def _shipped_signals() -> ScreenRules:
    return parse_signals(*read_rules_file(RULES_FILE))


def screen(review: str, messages: str = "", *, rules: ScreenRules | None = None) -> ScreenResult:
    """Find phrases in ``review`` and ``messages`` that suggest a removal ground.

    A ground's strength is the sum of the weights of its distinct signals found; grounds are
    suggested strongest first, ties in the order of :data:`triage.tree.model.GROUNDS`.
    """
    active = rules if rules is not None else load_signals()
    found: list[Signal] = []
    for source, text in (("review", review), ("messages", messages)):
        if not text:
            continue
        for signal in active.signals:
            if source not in signal.sources:
                continue
            for start, end in merge_overlapping(signal.spans(text)):
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
    return tuple(sorted(strength, key=lambda g: (-strength[g], GROUNDS.index(g))))
