"""The decision-tree format and the case file, as frozen pydantic models.

The field descriptions are the reference for tree authors: they end up in the JSON Schema that
editors use for autocompletion (``triage schema``) and in ``docs/authoring.md``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Literal,
    NoReturn,
    Self,
    TypeVar,
    get_args,
)

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from triage.errors import AnswerError
from triage.walk.dates import parse_day, short_day, today_utc

NodeId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        description="The id of a node in `nodes`: lower-case words joined by _ (snake_case).",
    ),
]
Text = Annotated[str, Field(max_length=4000)]
# Required text holds at least one visible character: not only spaces, tabs, line breaks or
# invisible marks (zero-width and bidirectional controls, a BOM). The same pattern is in the
# JSON Schema, so an editor flags a blank title as it is typed.
VISIBLE = r"[^\s\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
RequiredText = Annotated[str, Field(max_length=4000, pattern=VISIBLE)]
# Keys and references to other entries (sources, deadlines, templates, answer values).
Name = Annotated[str, Field(max_length=200)]
# The longest public reply, in characters, unless a tree's settings say otherwise (no official
# limit was found): the one place this number is written.
REPLY_LIMIT = 1500
AnswerValue = str | list[str]
# An answer no condition names: what the route proofs try beside the values they mention.
OTHER_VALUE = "(another answer)"
# The case dates conditions and deadlines can count from (fields of CaseContext).
ContextDate = Literal["contract_end", "review_date"]
CONTEXT_DATES: tuple[str, ...] = get_args(ContextDate)
K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A dict that refuses changes once built, so a tree shared by every user of the page cannot
    be altered through its mappings either. Still a dict for pydantic, JSON and pickling."""

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("a loaded tree cannot be changed")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (dict(self),))


def _freeze(value: dict[K, V]) -> FrozenDict[K, V]:
    return FrozenDict(value)


class Frozen(BaseModel):
    """Base: immutable, unknown keys rejected, so one loaded tree is safe to share."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class Source(Frozen):
    """A public page a policy fact comes from. Re-check it on the date you update the tree."""

    title: str = Field(
        max_length=500, pattern=VISIBLE, description="The article's title as the platform shows it."
    )
    url: str = Field(
        pattern=r"^https://\S+$",
        max_length=2000,
        description="Address of the article (https://...).",
    )
    checked: dt.date = Field(description="The day someone last read the article (YYYY-MM-DD).")


class Choice(Frozen):
    """One answer a person can pick."""

    value: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_]*$",
        max_length=64,
        description="The value stored in the case file (snake_case).",
    )
    label: RequiredText = Field(description="What the person sees.")
    help: Text = Field(default="", description="Optional extra words shown under the choice.")
    go: NodeId | None = Field(
        default=None, description="The node to go to when this choice is picked."
    )
    exclusive: bool = Field(
        default=False,
        description="Several-choice questions: this choice cannot be ticked with others "
        '(e.g. "None of these").',
    )


class Condition(Frozen):
    """A test on earlier answers, on dates or on the first screen. Give exactly one of:
    `question`, `days_since`, `running`, `all`, `any`, `not`."""

    question: NodeId | None = Field(default=None, description="Test the answer to this question.")
    is_: Name | None = Field(default=None, alias="is", description="The answer equals this value.")
    is_not: Name | None = Field(default=None, description="The answer is anything but this value.")
    in_: tuple[Name, ...] | None = Field(
        default=None, alias="in", description="The answer is one of these values."
    )
    includes: Name | None = Field(
        default=None, description="For several-choice questions: this value was ticked."
    )
    answered: bool | None = Field(
        default=None, description="true: the question was answered; false: it was not."
    )
    days_since: Name | None = Field(
        default=None,
        description=(
            "Count whole days from this date to the case's today: a context date "
            "(`contract_end`, `review_date`) or the id of a date question."
        ),
    )
    known: bool | None = Field(
        default=None, description="With `days_since`: true if the date is known, false if not."
    )
    running: bool | None = Field(
        default=None,
        description="true: the person said on the first screen that the contract is still "
        "running; false: they did not.",
    )
    at_least: int | None = Field(default=None, description="Days since is at least this.")
    at_most: int | None = Field(default=None, description="Days since is at most this.")
    more_than: int | None = Field(default=None, description="Days since is more than this.")
    less_than: int | None = Field(default=None, description="Days since is less than this.")
    all_: tuple[Condition, ...] | None = Field(
        default=None, alias="all", description="Every one of these conditions holds."
    )
    any_: tuple[Condition, ...] | None = Field(
        default=None, alias="any", description="At least one of these conditions holds."
    )
    not_: Condition | None = Field(
        default=None, alias="not", description="This condition does not hold."
    )

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        subjects = [
            name
            for name, value in (
                ("question", self.question),
                ("days_since", self.days_since),
                ("running", self.running),
                ("all", self.all_),
                ("any", self.any_),
                ("not", self.not_),
            )
            if value is not None
        ]
        if len(subjects) != 1:
            raise ValueError(
                "a condition needs exactly one of question, days_since, running, all, any, not; "
                f"found {', '.join(subjects) or 'none'}"
            )
        answer_tests = [self.is_, self.is_not, self.in_, self.includes, self.answered]
        day_tests = [self.known, self.at_least, self.at_most, self.more_than, self.less_than]
        if self.question is not None:
            if sum(t is not None for t in answer_tests) != 1:
                raise ValueError(
                    "a question condition needs exactly one of is, is_not, in, includes, answered"
                )
            if any(t is not None for t in day_tests):
                raise ValueError("known/at_least/at_most/more_than/less_than go with days_since")
        elif self.days_since is not None:
            if not any(t is not None for t in day_tests):
                raise ValueError(
                    "a days_since condition needs at least one of "
                    "at_least, at_most, more_than, less_than, known"
                )
            if any(t is not None for t in answer_tests):
                raise ValueError("is/is_not/in/includes/answered go with question")
        elif self.running is not None:
            if any(t is not None for t in answer_tests + day_tests):
                raise ValueError("running: true or false is the whole test; it takes no other")
        elif any(t is not None for t in answer_tests + day_tests):
            raise ValueError("all/any/not hold other conditions and take no tests of their own")
        return self


class Route(Frozen):
    """A conditional route: when the condition holds, go to the node."""

    when: Condition = Field(description="The condition to test.")
    go: NodeId = Field(description="The node to go to when the condition holds.")
    because: Text = Field(
        default="", description="Shown to the person to explain why this way was taken."
    )


class Otherwise(Frozen):
    """Where to go when no route's condition holds."""

    go: NodeId = Field(description="The node to go to.")
    because: Text = Field(default="", description="Shown to the person to explain the step.")


class NodeBase(Frozen):
    """Fields every node has."""

    is_question: ClassVar[bool] = False

    source: Name | None = Field(
        default=None, description="Key in `sources` of the policy this node relies on."
    )


class Routed(NodeBase):
    """Fields of nodes the walk goes on from: questions and branches."""

    routes: tuple[Route, ...] = Field(
        default=(),
        description="Conditional routes, tested after a choice's own `go` (if any).",
    )
    otherwise: Otherwise | None = Field(
        default=None, description="Where to go when no route matches. Makes routing exhaustive."
    )


class QuestionBase(Routed):
    """Fields every question has, and how each type of question behaves.

    Each question type is one class below, and everything that differs between types is
    defined on it, once: its allowed values (``choices``), normalising an answer
    (:meth:`normalise`), an answer in words (:meth:`display`), the values the route proofs try
    (:meth:`probe_values`), a random answer for the property tests and benchmarks
    (:meth:`sample`), what the page asks for before going on (:meth:`missing`) and the page's
    input (``widget``, a name in ``triage/ui/widgets.py``). The engine, the checks, the
    documents, the page, the tests and the benchmarks ask these; none of them branches on the
    type. A new type is a new class here, in ``Question`` and ``Node`` below, and in the docs.
    """

    is_question: ClassVar[bool] = True
    widget: ClassVar[str]  # the page's input: "radio", "boxes", "date" or "text"
    picks_one: ClassVar[bool] = False  # answered by one of its choices (a choice may go:)
    answers_many: ClassVar[bool] = False  # answered by several choices (route with includes:)
    answers_date: ClassVar[bool] = False  # a day: conditions and deadlines count from it

    ask: RequiredText = Field(description="The question, in plain words.")
    short: str = Field(
        default="", max_length=60, description="A short name shown in the answers list."
    )
    help: Text = Field(default="", description="Help text shown under the question.")
    why: Text = Field(default="", description='Optional "why we ask" text.')
    go: NodeId | None = Field(
        default=None, description="The next node whatever the answer (when no route applies)."
    )

    # --- behaviour shared by the choice types -----------------------------------------------

    def _values(self, values: list[str] | None) -> list[str]:
        return values if values is not None else [c.value for c in self.choices]

    if TYPE_CHECKING:  # each type defines it: a field, or a property (() without choices)

        @property
        def choices(self) -> tuple[Choice, ...]: ...

    def own_line_answer(self) -> bool:
        """True when the answer goes into the reply or message as the person's own line."""
        return False

    def normalise(
        self, qid: str, value: object, today: dt.date | None = None, values: list[str] | None = None
    ) -> AnswerValue:
        """``value`` checked and in its stored form. Raises :class:`AnswerError` naming the
        question and the allowed values. ``values`` (the choices' values) saves building them
        again when the caller has them."""
        allowed = self._values(values)
        if not isinstance(value, str) or value not in allowed:
            raise AnswerError(qid, value, allowed)
        return value

    def display(self, value: AnswerValue | None) -> str:
        """An answer in the words the person picked or typed (plain text, not escaped)."""
        if value is None:
            return "not answered"
        labels = {c.value: c.label for c in self.choices}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(v, v) for v in values) or "none ticked"

    def probe_values(self, mentioned: set[str], skip_own_go: bool) -> list[AnswerValue]:
        """The answers the route proofs try: each choice (but those with their own ``go:`` on
        the question's own routes, which they never reach)."""
        return [c.value for c in self.choices if not (skip_own_go and c.go)]

    def sample(self, rnd: random.Random, today: dt.date) -> AnswerValue:
        """A random valid answer (property tests, benchmarks)."""
        return rnd.choice(self.choices).value

    def missing(self, value: object) -> str | None:
        """Why the page can't go on with ``value`` yet, or None."""
        return "Pick an answer to continue." if value is None else None

    def choice_path(self, index: int, choice: Choice) -> tuple[str | int, ...]:
        """Where a choice's ``go:`` sits in the YAML, under the question."""
        return ("choices", index, "go")

    WORDING: ClassVar[tuple[str, ...]] = ("ask", "short", "help", "why")

    def wording(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """(where in the YAML, text) of everything the person reads: the question's own words
        and its choices' (placeholders such as ``{client_name}`` may stand in them)."""
        for name in self.WORDING:
            yield (name,), getattr(self, name)
        if "choices" in type(self).model_fields:
            for i, choice in enumerate(self.choices):
                yield ("choices", i, "label"), choice.label
                yield ("choices", i, "help"), choice.help

    def reworded(self, fill: Callable[[str], str]) -> Self:
        """The question with ``fill`` applied to every text the person reads."""
        update: dict[str, object] = {
            name: fill(getattr(self, name)) for name in self.WORDING if "{" in getattr(self, name)
        }
        if "choices" in type(self).model_fields and any(
            "{" in c.label + c.help for c in self.choices
        ):
            update["choices"] = tuple(
                c.model_copy(update={"label": fill(c.label), "help": fill(c.help)})
                for c in self.choices
            )
        return self.model_copy(update=update) if update else self


class YesNo(QuestionBase):
    """A question answered yes or no."""

    widget: ClassVar[str] = "radio"
    picks_one: ClassVar[bool] = True

    type: Literal["yes_no"] = Field(description="yes_no: answered yes or no.")
    yes: NodeId | None = Field(default=None, description="The node to go to on yes.")
    no: NodeId | None = Field(default=None, description="The node to go to on no.")
    WORDING: ClassVar[tuple[str, ...]] = (*QuestionBase.WORDING, "yes_label", "no_label")

    yes_label: str = Field(
        default="Yes", max_length=200, pattern=VISIBLE, description="Label of the yes answer."
    )
    no_label: str = Field(
        default="No", max_length=200, pattern=VISIBLE, description="Label of the no answer."
    )

    @property
    def choices(self) -> tuple[Choice, ...]:
        return (
            Choice(value="yes", label=self.yes_label, go=self.yes),
            Choice(value="no", label=self.no_label, go=self.no),
        )

    def normalise(
        self, qid: str, value: object, today: dt.date | None = None, values: list[str] | None = None
    ) -> AnswerValue:
        if isinstance(value, bool):
            value = "yes" if value else "no"
        return super().normalise(qid, value, today, values)

    def choice_path(self, index: int, choice: Choice) -> tuple[str | int, ...]:
        return (choice.value,)  # yes: / no:


class OneChoice(QuestionBase):
    """A question answered by picking one choice."""

    widget: ClassVar[str] = "radio"
    picks_one: ClassVar[bool] = True

    type: Literal["choice"] = Field(description="choice: pick one.")
    choices: tuple[Choice, ...] = Field(min_length=2, description="The choices, in display order.")


class ManyChoice(QuestionBase):
    """A question answered by ticking any number of choices. Route with `includes`."""

    widget: ClassVar[str] = "boxes"
    answers_many: ClassVar[bool] = True

    type: Literal["multi"] = Field(description="multi: tick any number.")
    choices: tuple[Choice, ...] = Field(min_length=2, description="The choices, in display order.")

    def normalise(
        self, qid: str, value: object, today: dt.date | None = None, values: list[str] | None = None
    ) -> AnswerValue:
        allowed = self._values(values)
        picked = [value] if isinstance(value, str) else value
        if not isinstance(picked, list | tuple) or not all(isinstance(v, str) for v in picked):
            raise AnswerError(qid, value, allowed, hint="give a list of values")
        unknown = [v for v in picked if v not in allowed]
        if unknown:
            raise AnswerError(qid, unknown[0], allowed)
        alone = [c.label for c in self.choices if c.exclusive and c.value in picked]
        if alone and len(set(picked)) > 1:
            raise AnswerError(qid, picked, hint=f'"{alone[0]}" cannot be ticked with other choices')
        return [v for v in allowed if v in picked]  # choice order, no repeats

    def probe_values(self, mentioned: set[str], skip_own_go: bool) -> list[AnswerValue]:
        """Every combination of the values the conditions mention."""
        ordered = sorted(mentioned)
        return [
            [v for v, on in zip(ordered, bits, strict=True) if on]
            for bits in itertools.product((False, True), repeat=len(ordered))
        ]

    def sample(self, rnd: random.Random, today: dt.date) -> AnswerValue:
        alone = [c.value for c in self.choices if c.exclusive]
        if alone and rnd.random() < 0.2:
            return [rnd.choice(alone)]
        return [c.value for c in self.choices if not c.exclusive and rnd.random() < 0.5]

    def missing(self, value: object) -> str | None:
        if value is None:
            return "Pick an answer to continue."
        nothing = [c for c in self.choices if c.exclusive]
        if not value and nothing:
            return f"Tick at least one box (or “{nothing[0].label}”)."
        return None


class DateQuestion(QuestionBase):
    """A question answered with a date (YYYY-MM-DD)."""

    widget: ClassVar[str] = "date"
    answers_date: ClassVar[bool] = True

    @property
    def choices(self) -> tuple[Choice, ...]:
        return ()

    type: Literal["date"] = Field(description="date: a day, YYYY-MM-DD.")
    optional: bool = Field(
        default=False,
        description='true: the person may answer "I don\'t know" (stored as an empty text); '
        "conditions and deadlines then treat the date as unknown.",
    )
    allow_future: bool = Field(
        default=False, description="true: accept days after today (e.g. a planned date)."
    )
    fills: ContextDate | None = Field(
        default=None,
        description="The case date this answer stands in for when the case does not give it: "
        "conditions and deadlines on that date then count from the answer.",
    )

    def normalise(
        self, qid: str, value: object, today: dt.date | None = None, values: list[str] | None = None
    ) -> AnswerValue:
        if self.optional and (value is None or (isinstance(value, str) and not value.strip())):
            return ""  # "I don't know": the date stays unknown
        try:
            day = value if isinstance(value, dt.date) else parse_day(str(value))
        except ValueError:
            raise AnswerError(qid, value, hint="write the date as YYYY-MM-DD") from None
        if today is not None and day > today and not self.allow_future:
            raise AnswerError(qid, day.isoformat(), hint="the day cannot be after today")
        return day.isoformat()

    def display(self, value: AnswerValue | None) -> str:
        if value is None:
            return "not answered"
        if not value:
            return "not known"
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return short_day(day)

    def probe_values(self, mentioned: set[str], skip_own_go: bool) -> list[AnswerValue]:
        return [*sorted(mentioned), OTHER_VALUE]

    def sample(self, rnd: random.Random, today: dt.date) -> AnswerValue:
        if self.optional and rnd.random() < 0.2:
            return ""
        return (today - dt.timedelta(days=rnd.randint(0, 400))).isoformat()

    def missing(self, value: object) -> str | None:
        if value is None and not self.optional:  # empty is "I don't know" when optional
            return "Enter a date."
        return None


class TextQuestion(QuestionBase):
    """A question answered with a short text."""

    widget: ClassVar[str] = "text"

    @property
    def choices(self) -> tuple[Choice, ...]:
        return ()

    type: Literal["text"] = Field(description="text: a short free text.")
    max_length: int = Field(default=500, ge=1, le=5000, description="Longest answer accepted.")
    own_line: bool = Field(
        default=False,
        description="true: the answer goes into the public reply or the message to the client "
        "as the person's own line. It is tone-checked first, and left out (with the reason "
        "shown) when the check flags it.",
    )

    def own_line_answer(self) -> bool:
        return self.own_line

    def normalise(
        self, qid: str, value: object, today: dt.date | None = None, values: list[str] | None = None
    ) -> AnswerValue:
        if not isinstance(value, str):
            raise AnswerError(qid, value, hint="give a short text")
        text = value.replace("\x00", "").strip()
        if len(text) > self.max_length:
            raise AnswerError(
                qid, text[:40] + "…", hint=f"keep it under {self.max_length} characters"
            )
        return text

    def display(self, value: AnswerValue | None) -> str:
        if value is None:
            return "not answered"
        text = value if isinstance(value, str) else ", ".join(value)
        return text or "left empty"

    def probe_values(self, mentioned: set[str], skip_own_go: bool) -> list[AnswerValue]:
        return [*sorted(mentioned), OTHER_VALUE]

    def sample(self, rnd: random.Random, today: dt.date) -> AnswerValue:
        words = ("delivered", "on time", "the files", "thanks", "invoice", "")
        return " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 6))).strip()[
            : self.max_length
        ]

    def missing(self, value: object) -> str | None:
        return None  # an empty text is an answer


class Branch(Routed):
    """A step that asks nothing: it routes on earlier answers and dates."""

    type: Literal["branch"] = Field(description="branch: routes without asking.")
    title: str = Field(default="", max_length=200, description="What this step decides.")


class EvidenceItem(Frozen):
    """One item of the evidence checklist (the tool's advice, not the platform's rule)."""

    item: RequiredText = Field(description="What to gather.")
    why: Text = Field(default="", description="Why it matters.")


class Outcome(NodeBase):
    """Where a walk ends: what to do, and the documents to hand over."""

    type: Literal["outcome"] = Field(description="outcome: the end of a walk.")
    kind: Name = Field(
        description="A kind declared in responses/kinds.yaml (dispute, respond, request_change, "
        "no_action) or in the tree's own kinds:."
    )
    ground: Name | None = Field(
        default=None,
        description="Kinds that need one (disputes): a key of the tree's grounds:.",
    )
    title: RequiredText = Field(description="The outcome in one line.")
    summary: RequiredText = Field(description="Why this is the outcome, in plain words.")
    template: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        description="Template name: NAME.md.j2 and NAME.txt.j2 in responses/<tree id>/ "
        "or responses/.",
    )
    fallback_reply: bool = Field(
        default=False,
        description="Disputes: add the public reply to post if the report is declined.",
    )
    evidence: tuple[EvidenceItem, ...] = Field(
        default=(), description="Evidence checklist, most important first."
    )
    deadlines: tuple[Name, ...] = Field(
        default=(), description="Keys in `deadlines` that apply to this outcome."
    )
    next_steps: tuple[RequiredText, ...] = Field(default=(), description="What to do, in order.")


Question = YesNo | OneChoice | ManyChoice | DateQuestion | TextQuestion
Node = Annotated[
    YesNo | OneChoice | ManyChoice | DateQuestion | TextQuestion | Branch | Outcome,
    Field(discriminator="type"),
]
QUESTION_TYPES = (YesNo, OneChoice, ManyChoice, DateQuestion, TextQuestion)


def question_types(test: Callable[[type[QuestionBase]], bool] | None = None) -> frozenset[str]:
    """The ``type:`` names of the question types (those for which ``test(cls)`` holds): for
    code that tells nodes apart by their ``type`` string, which is quicker than isinstance."""
    return frozenset(
        get_args(cls.model_fields["type"].annotation)[0]
        for cls in QUESTION_TYPES
        if test is None or test(cls)
    )


class Deadline(Frozen):
    """A date computed from another date: e.g. the contract's end + 28 days."""

    label: RequiredText = Field(description="What closes on that date, in plain words.")
    from_: Name = Field(
        alias="from",
        description=(
            "Count from: `today`, a context date (`contract_end`, `review_date`) "
            "or the id of a date question."
        ),
    )
    days: int = Field(ge=0, le=3650, description="How many days to add.")
    business_days: bool = Field(default=False, description="true: count Monday to Friday only.")
    source: Name | None = Field(default=None, description="Key in `sources` for this rule.")
    early: bool = Field(
        default=False, description="true: show this date while questions are still being asked."
    )


PartName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
PartFile = Annotated[str, Field(pattern=r"^_?[a-z][a-z0-9_]*\.txt\.j2$", max_length=80)]


class KindInfo(Frozen):
    """One kind of outcome: what it hands over, and how the page and the diagram show it.
    Declared in ``responses/kinds.yaml`` (or a tree's own ``kinds:``)."""

    label: RequiredText = Field(description="The badge at the top of the result page.")
    colour: Literal["green", "blue", "orange", "red", "gray", "violet"] = Field(
        description="The badge's colour: green for good news, orange for a warning, red for an "
        "error."
    )
    icon: str = Field(
        pattern=r"^[a-z0-9_]+$", max_length=60, description="A Material icon name for the badge."
    )
    diagram: str = Field(
        pattern=r"^#[0-9a-fA-F]{6}$",
        max_length=7,
        description="Fill colour of its outcomes in the diagram.",
    )
    document: RequiredText = Field(description="The full document's name in the downloads.")
    file: str = Field(
        pattern=r"^[a-z0-9-]+$", max_length=60, description="The downloaded file's name."
    )
    parts: Annotated[dict[PartName, PartFile], AfterValidator(_freeze)] = Field(
        default_factory=dict, description="Ready texts: name -> part template file."
    )
    fallback: Annotated[dict[PartName, PartFile], AfterValidator(_freeze)] = Field(
        default_factory=dict,
        description="Parts an outcome adds with fallback_reply: true (a reply to keep ready).",
    )
    tone: Annotated[
        dict[PartName, Literal["public_reply", "client_message", "client_review"]],
        AfterValidator(_freeze),
    ] = Field(default_factory=dict, description="Parts tone-checked, and as what.")
    hands_over: PartName | None = Field(
        default=None, description="The part the person copies; none: nothing to copy."
    )
    editable: bool = Field(default=False, description="The page lets the person edit it.")
    shows_document: bool = Field(
        default=False,
        description="The page shows the whole document under the summary (for kinds that "
        "hand over nothing to copy, such as an explanation with its sources).",
    )
    heading: str = Field(default="", max_length=200, description="Heading over the text.")
    edit_label: str = Field(default="", max_length=200, description="Label of the edit box.")
    copy_label: str = Field(default="Copy", max_length=60, description="The Copy button's label.")
    note: Text = Field(default="", description="A line under the Copy button.")
    fallback_heading: str = Field(
        default="", max_length=200, description="Heading of the box that holds the fallback."
    )
    fallback_note: Text = Field(default="", description="When to use the fallback.")
    fallback_missing: Text = Field(
        default="", description="Said when the fallback's template writes nothing."
    )
    needs_ground: bool = Field(default=False, description="Its outcomes must name a ground.")


class KindsFile(Frozen):
    """``responses/kinds.yaml``: the outcome kinds every tree can use."""

    version: Literal[1] = Field(description="The format version: 1.")
    kinds: Annotated[dict[Name, KindInfo], AfterValidator(_freeze)] = Field(
        description="Kind id -> its definition."
    )


class GroundInfo(Frozen):
    """How the platform words one of its grounds for removing a review, for the documents."""

    name: str = Field(
        max_length=200,
        pattern=VISIBLE,
        description='The ground in plain words, e.g. "abusive or offensive language".',
    )
    short: str = Field(
        max_length=100, pattern=VISIBLE, description="A shorter form used inside sentences."
    )
    rule: RequiredText = Field(description="The platform's rule, in plain words, with examples.")
    source: Name = Field(description="Key in `sources` of the page that states the rule.")
    reading: Text = Field(
        default="",
        description="How the tool reads the rule beyond the platform's own words (shown apart "
        "from the rule and labelled as the tool's reading).",
    )
    when: Condition | None = Field(
        default=None,
        description="The answers that show this ground applies. Documents name every ground "
        "whose condition holds, the outcome's own ground first.",
    )


class Settings(Frozen):
    """Settings used by the documents and the page."""

    other_party: str = Field(
        default="client",
        max_length=40,
        pattern=r"^[a-z][a-z ]{0,38}[a-z]$",
        description="What the platform calls the person who left the review (client, buyer, "
        "guest, customer, reviewer): the first screen's labels and {client_name} when no name "
        "was given say it.",
    )
    reply_limit: int = Field(
        default=REPLY_LIMIT,
        ge=100,
        le=20000,
        description="Longest public reply, in characters (no official limit was found).",
    )
    decision_margin_days: int = Field(
        default=2,
        ge=0,
        le=60,
        description="Days of margin between the platform's expected decision on a report and "
        "the last day to reply publicly: closer than this, the documents advise replying first.",
    )


class CaseContext(Frozen):
    """Facts about the case, used by templates and date rules."""

    client_name: str = Field(default="", max_length=200, description="The client's name.")
    freelancer_name: str = Field(default="", max_length=200, description="Your name.")
    project_title: str = Field(default="", max_length=300, description="The project's title.")
    contract_id: str = Field(default="", max_length=100, description="The contract's ID.")
    contract_end: dt.date | None = Field(
        default=None, description="The day the contract ended; empty if still running."
    )
    contract_running: bool = Field(
        default=False,
        strict=True,
        description="The person said the contract is still running (then contract_end is empty).",
    )
    review_date: dt.date | None = Field(default=None, description="The day the review appeared.")
    # strict: a number only; true is not 1 star, "2" is not 2 stars.
    rating: float | None = Field(
        default=None, ge=0, le=5, strict=True, description="Stars given (0 to 5)."
    )
    review_text: str = Field(default="", max_length=20000, description="The review, pasted.")
    messages: str = Field(
        default="", max_length=50000, description="Excerpts of the client's messages, pasted."
    )

    @model_validator(mode="after")
    def _running_or_ended(self) -> Self:
        if self.contract_running and self.contract_end is not None:
            raise ValueError(
                "contract_running is true but contract_end is given; a running contract has "
                "no end date yet: leave one of them out"
            )
        return self


def _normalise_answer(value: Any) -> Any:
    """Case files are written by hand: accept true/false, numbers and dates as text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | dt.date):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _normalise_answers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normalise_answer(v) for k, v in value.items()}
    return value


# A text answer may be up to 5,000 characters (TextQuestion.max_length); more is never valid.
AnswerText = Annotated[str, Field(max_length=20000)]
Answers = Annotated[dict[Name, AnswerText | list[AnswerText]], BeforeValidator(_normalise_answers)]


def _context_not_after(context: CaseContext, today: dt.date) -> None:
    """Raise ValueError if a date of the case's context comes after its day."""
    for name in ("contract_end", "review_date"):
        day = getattr(context, name)
        if day is not None and day > today:
            raise ValueError(
                f"context {name} is {day.isoformat()}, after today ({today.isoformat()}); "
                "if the contract is still open, leave contract_end empty"
            )


class Scenario(Frozen):
    """A test an author writes: these answers should end at this node."""

    name: str = Field(max_length=200, pattern=VISIBLE, description="What the scenario shows.")
    today: dt.date | None = Field(
        default=None, description="The day the walk happens (pins the date rules)."
    )
    context: CaseContext = Field(default_factory=CaseContext, description="Facts of the case.")
    answers: Answers = Field(default_factory=dict, description="Question id to answer.")
    expect: NodeId = Field(
        description="The outcome the walk should reach, or the question it should stop at."
    )

    @model_validator(mode="after")
    def _dates_not_after_today(self) -> Self:
        # A scenario is walked as a case: the case's rule on dates holds here too.
        _context_not_after(self.context, self.today or today_utc())
        return self


IntakeField = Literal[
    "review_text",
    "messages",
    "client_name",
    "project_title",
    "freelancer_name",
    "contract_end",
    "review_date",
    "rating",
]
# What the first screen asks when a tree says nothing: the bad-review intake.
REVIEW_INTAKE: tuple[IntakeField, ...] = (
    "review_text",
    "client_name",
    "project_title",
    "rating",
    "review_date",
    "contract_end",
    "messages",
)


class Offer(Frozen):
    """How the start screen ("What do you need?") offers this tree."""

    label: str = Field(
        max_length=80,
        pattern=VISIBLE,
        description='The choice, in the person\'s words, e.g. "I got a bad review".',
    )
    help: str = Field(
        default="", max_length=300, pattern=VISIBLE, description="One line under the choice."
    )
    heading: str = Field(
        default="",
        max_length=120,
        pattern=VISIBLE,
        description="The heading of the tree's first screen (default: the tree's title).",
    )
    intro: str = Field(
        default="",
        max_length=1000,
        pattern=VISIBLE,
        description="A short paragraph under that heading: what the person gets, and how long.",
    )
    order: int = Field(default=50, ge=0, le=999, description="Position on the start screen.")


class Tree(Frozen):
    """A decision tree for one platform."""

    id: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="The tree's id (its file name)."
    )
    title: RequiredText = Field(description="A title people see.")
    platform: str = Field(
        max_length=100, pattern=VISIBLE, description="The platform's name, e.g. Upwork."
    )
    description: Text = Field(default="", description="What the tree decides.")
    start: NodeId = Field(description="The first node.")
    settings: Settings = Field(default_factory=Settings, description="Document settings.")
    offer: Offer | None = Field(
        default=None,
        description="How the start screen offers this tree; a tree without it is not offered.",
    )
    intake: tuple[IntakeField, ...] = Field(
        default=REVIEW_INTAKE,
        description="The case's facts the first screen asks for, in order (none: the walk "
        "starts with the first question).",
    )
    sources: Annotated[dict[Name, Source], AfterValidator(_freeze)] = Field(
        default_factory=dict, description="Policy sources, cited by key from nodes."
    )
    deadlines: Annotated[dict[Name, Deadline], AfterValidator(_freeze)] = Field(
        default_factory=dict, description="Dates computed from the case."
    )
    kinds: Annotated[dict[Name, KindInfo], AfterValidator(_freeze)] = Field(
        default_factory=dict,
        description="Outcome kinds of this tree only, added to (or replacing) those of "
        "responses/kinds.yaml.",
    )
    grounds: Annotated[dict[Name, GroundInfo], AfterValidator(_freeze)] = Field(
        default_factory=dict,
        description="The platform's grounds for removing a review, as the documents word them.",
    )
    nodes: Annotated[dict[Name, Node], AfterValidator(_freeze)] = Field(
        description="Every question, branch and outcome, by id."
    )
    scenarios: tuple[Scenario, ...] = Field(
        default=(), description="Examples checked by `triage check` and by pytest."
    )

    # Computed once per tree: the engine and the checks ask for these at every step.
    @cached_property
    def questions(self) -> FrozenDict[str, Question]:
        return FrozenDict({k: v for k, v in self.nodes.items() if isinstance(v, QUESTION_TYPES)})

    @cached_property
    def date_questions(self) -> FrozenDict[str, DateQuestion]:
        return FrozenDict({k: v for k, v in self.nodes.items() if isinstance(v, DateQuestion)})

    @cached_property
    def outcomes(self) -> FrozenDict[str, Outcome]:
        return FrozenDict({k: v for k, v in self.nodes.items() if isinstance(v, Outcome)})


class Case(Frozen):
    """What one person brings: the tree, the day, facts, and answers so far."""

    tree: str = Field(
        default="",
        max_length=500,
        description="A tree id, as named in decision_trees/, or a tree file's path. Required "
        "to walk a case file; a script that hands the engine its tree may leave it empty.",
    )
    today: dt.date | None = Field(default=None, description="Defaults to today in UTC.")
    context: CaseContext = Field(default_factory=CaseContext, description="Facts of the case.")
    answers: Answers = Field(
        default_factory=dict, description="Question id to answer. A partial case is valid."
    )
    edits: dict[Annotated[str, Field(max_length=200)], Annotated[str, Field(max_length=20000)]] = (
        Field(
            default_factory=dict,
            max_length=20,
            description="The person's edited texts, by `outcome/part` (e.g. "
            "`respond_publicly/reply`): kept so a saved case gives back the same text.",
        )
    )
    ticks: dict[Annotated[str, Field(max_length=200)], list[Annotated[int, Field(ge=0, le=99)]]] = (
        Field(
            default_factory=dict,
            max_length=20,
            description="Evidence items ticked, by outcome id (their positions in the list).",
        )
    )

    @model_validator(mode="after")
    def _dates_not_after_today(self) -> Self:
        _context_not_after(self.context, self.on())
        return self

    def on(self) -> dt.date:
        """The case's day: ``today`` if pinned, else today's date in UTC."""
        return self.today or today_utc()
