"""Tone check: findings on the text a freelancer is about to post or send.

Three purposes, each with its own rules (a rule's ``applies_to``; none: every purpose):

* ``public_reply``: the reply beside the client's review. It sits there for good, cannot be
  edited, and is read by future clients.
* ``client_message``: a private message to the client (asking for a review to be updated).
* ``client_review``: the freelancer's public feedback about the client. Future clients read it as
  how the freelancer talks about clients, so it is checked for insults, emotional words,
  sarcasm, threats, private details, money disputes and accusations stated as facts; a calm,
  factual account of the contract ("Payments were released 10 days after approval.") passes.

The rules (``triage/text/rules/tone.yaml``) flag what Upwork's advice warns against: insults,
emotional words, blame, threats, private details, asking for the review to be changed, moving the
talk off the platform, shouting. A rule may word its message and suggestion differently for one
purpose (``wording``). Rules are data; this module only loads and applies them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from triage.errors import Severity, UsageError
from triage.text.phrases import Matcher, PhraseSyntaxError, merge_overlapping, parse_phrase
from triage.text.regex_cache import raw
from triage.text.rules_file import parse_rules_file
from triage.tree.loader import read_data_file
from triage.tree.model import REPLY_LIMIT, Frozen, FrozenDict

# triage.tree.model writes the same names out in KindInfo.tone (it cannot import this module).
Purpose = Literal["public_reply", "client_message", "client_review"]
PURPOSES: tuple[Purpose, ...] = ("public_reply", "client_message", "client_review")
Form = Literal["all_caps", "length"]
DEFAULT_LIMIT = REPLY_LIMIT
RULES_FILE = Path(__file__).resolve().parent / "rules" / "tone.yaml"

# A word for the ALL-CAPS check: letters, with inner apostrophes ("DON'T"). Possessive: linear.
_WORD = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+")


def _readable_phrase(phrase: str) -> str:
    try:
        parse_phrase(phrase)
    except PhraseSyntaxError as error:
        raise ValueError(str(error)) from None
    return phrase


Phrase = Annotated[str, Field(min_length=1, max_length=400), AfterValidator(_readable_phrase)]


class Wording(Frozen):
    """A rule's message and suggestion for one purpose, where the rule's own do not fit it."""

    message: str | None = Field(
        default=None, min_length=1, max_length=500, description="What is wrong, plainly."
    )
    suggestion: str | None = Field(
        default=None, min_length=1, max_length=500, description="What to write instead."
    )


class ToneRule(Frozen):
    """One rule. Give exactly one of `phrases`, `pattern` or `form`."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="snake_case name.")
    severity: Severity = Field(description="error: do not post this; warning: think twice.")
    message: str = Field(min_length=1, max_length=500, description="What is wrong, plainly.")
    suggestion: str = Field(min_length=1, max_length=500, description="What to write instead.")
    applies_to: list[Purpose] = Field(
        default=list(PURPOSES), description="Texts the rule checks (default: all of them)."
    )
    wording: Annotated[dict[Purpose, Wording], AfterValidator(FrozenDict)] = Field(
        default_factory=FrozenDict, description="Another message or suggestion for some texts."
    )
    censored: bool = Field(default=False, description="Also match f***, sh!t, a$$ (phrases).")
    phrases: list[Phrase] | None = Field(
        default=None, description="Words or phrases; see the file's header."
    )
    unless: list[Phrase] = Field(
        default=[], description="Phrases that make a match innocent when it lies inside one."
    )
    pattern: str | None = Field(
        default=None, min_length=1, max_length=1000, description="A regex (built-in rules)."
    )
    form: Form | None = Field(default=None, description="A built-in check of the text's form.")
    allow: list[str] = Field(
        default=[], description="all_caps: words that never count; pattern: matches to ignore."
    )
    min_words: int = Field(default=2, ge=1, le=20, description="all_caps: words in a run.")
    min_letters: int = Field(default=3, ge=1, le=20, description="all_caps: letters a word needs.")

    _matcher: Matcher | None = PrivateAttr(default=None)
    _allowed: frozenset[str] = PrivateAttr(default=frozenset())

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            try:
                raw(value, re.IGNORECASE)  # as the rule will use it, stored for the next
            except re.error as error:
                rule = info.data.get("id", "?")
                raise ValueError(
                    f'rule "{rule}": not a valid regular expression: {error}'
                ) from None
        return value

    @model_validator(mode="after")
    def _one_kind_then_compile(self) -> Self:
        kinds = [k for k in ("phrases", "pattern", "form") if getattr(self, k) is not None]
        if len(kinds) != 1:
            given = " and ".join(kinds) if kinds else "none of them"
            raise ValueError(
                f'rule "{self.id}" needs exactly one of "phrases", "pattern" or "form" '
                f"(it has {given})"
            )
        if not self.applies_to:
            raise ValueError(f'rule "{self.id}": "applies_to" lists no purpose')
        unused = [p for p in self.wording if p not in self.applies_to]
        if unused:
            raise ValueError(
                f'rule "{self.id}": "wording" for {", ".join(unused)}, which the rule does not '
                "check (see applies_to)"
            )
        if any(w.message is None and w.suggestion is None for w in self.wording.values()):
            raise ValueError(f'rule "{self.id}": a "wording" needs a message or a suggestion')
        if self.phrases == []:
            raise ValueError(f'rule "{self.id}": "phrases" is empty')
        if (self.censored or self.unless) and self.phrases is None:
            raise ValueError(f'rule "{self.id}": "censored" and "unless" work only with "phrases"')
        self._allowed = frozenset(a.casefold() for a in self.allow)
        if self.phrases is not None:
            self._matcher = Matcher.for_phrases(
                self.phrases, censored=self.censored, unless=self.unless
            )
        elif self.pattern is not None:
            self._matcher = Matcher(raw(self.pattern, re.IGNORECASE), None, self._allowed)
        return self

    def words_for(self, purpose: Purpose) -> tuple[str, str]:
        """The message and the suggestion shown for a text checked as ``purpose``."""
        wording = self.wording.get(purpose)
        if wording is None:
            return self.message, self.suggestion
        return wording.message or self.message, wording.suggestion or self.suggestion

    def spans(self, text: str, limit: int | None) -> Iterator[tuple[int, int]]:
        """Yield ``(start, end)`` of every place in ``text`` this rule objects to."""
        if self._matcher is not None:
            yield from self._matcher.spans(text)
        elif self.form == "all_caps":
            yield from _caps_runs(text, self._allowed, self.min_words, self.min_letters)
        elif self.form == "length" and limit is not None and len(text) > limit:
            yield limit, len(text)


class ToneRules(Frozen):
    """The whole rules file."""

    version: Literal[1] = Field(default=1, description="The format version: 1.")
    rules: list[ToneRule] = Field(description="The rules, in any order.")

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        if not self.rules:
            raise ValueError("the file has no rules")
        counts = Counter(x.id for x in self.rules)
        twice = sorted(name for name, n in counts.items() if n > 1)
        if twice:
            raise ValueError(f"these rule ids are used more than once: {', '.join(twice)}")
        return self

    def rule(self, rule_id: str) -> ToneRule:
        """The rule with this id; ``KeyError`` if there is none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in the checked text: ``text == checked_text[start:end]``."""

    rule: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class ToneReport:
    """Everything the tone check found, sorted by position."""

    findings: tuple[Finding, ...]
    length: int
    limit: int | None

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        """``{"findings": [...], "length", "limit"}`` as the CLI contract gives it."""
        return {
            "findings": [f.to_json() for f in self.findings],
            "length": self.length,
            "limit": self.limit,
        }


def parse_rules(text: str | bytes, file: str = "<rules>") -> ToneRules:
    """Parse a tone rules file's text. Raises ``TreeError`` with located problems."""
    return parse_rules_file(ToneRules, text, file, "the tone rules")


def load_rules(path: str | Path | None = None) -> ToneRules:
    """Load tone rules from ``path``, or the shipped rules (read once, then cached)."""
    if path is None:
        return _shipped_rules()
    return parse_rules(*read_data_file(Path(path)))


@cache
def _shipped_rules() -> ToneRules:
    return parse_rules(*read_data_file(RULES_FILE))


def check(
    text: str,
    *,
    purpose: Purpose = "public_reply",
    limit: int | None = DEFAULT_LIMIT,
    rules: ToneRules | None = None,
    platform: str = "the platform",
) -> ToneReport:
    """Check ``text`` meant as a public reply, a private message to the client, or public
    feedback about the client (``purpose``: one of :data:`PURPOSES`).

    ``limit`` is the length limit in characters (``None``: no limit). ``platform`` names the
    platform in the findings' words ("{platform}'s Terms" in the rules file). Rules with
    ``applies_to`` run only for the purposes they name, worded for that purpose. Overlapping
    findings of one rule are merged.
    """
    if purpose not in PURPOSES:
        raise UsageError(f'"{purpose}" is not a purpose', f"use one of: {', '.join(PURPOSES)}")
    if limit is not None and limit < 0:
        raise UsageError(f"the length limit must not be negative (got {limit})")
    active = rules if rules is not None else load_rules()
    findings: list[Finding] = []
    for rule in active.rules:
        if purpose not in rule.applies_to:
            continue
        message, suggestion = rule.words_for(purpose)
        message = message.replace("{length}", str(len(text))).replace("{limit}", str(limit))
        message = message.replace("{platform}", platform)
        suggestion = suggestion.replace("{platform}", platform)
        for start, end in merge_overlapping(rule.spans(text, limit)):
            findings.append(
                Finding(rule.id, rule.severity, start, end, text[start:end], message, suggestion)
            )
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return ToneReport(tuple(findings), len(text), limit)


def _caps_runs(
    text: str, allowed: frozenset[str], min_words: int, min_letters: int
) -> Iterator[tuple[int, int]]:
    """Runs of shouted words. Short or allowed upper-case words (I, OK, API) neither count nor
    break a run; any word with a lower-case letter ends it."""
    count = start = end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if not word.isupper():
            if count >= min_words:
                yield start, end
            count = 0
            continue
        letters = len(word) - word.count("'") - word.count("’")
        if letters < min_letters or word.casefold() in allowed:
            continue
        if count == 0:
            start = match.start()
        end = match.end()
        count += 1
    if count >= min_words:
        yield start, end
