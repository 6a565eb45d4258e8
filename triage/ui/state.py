"""The page's state as plain data, and its mirror in the page's address (URL).

Everything here is pure: no Streamlit. The page reads the URL once per browser session, keeps a
:class:`PageState` in its session, and writes it back to the URL after every change, so a
refresh or a shared link restores the same place.

URL format, version 1::

    ?tree=<tree id>&s=<payload>

``tree`` is a shipped tree id, in the clear. ``s`` (left out while nothing was typed) is the
URL-safe base64 (no padding) of zlib-compressed compact JSON::

    {"v": 1,                     # format version
     "p": 1,                     # 1 once the questions have started (0: still on the intake)
     "r": 1,                     # the contract is still running (intake checkbox)
     "c": {...},                 # case context, ISO dates, empty fields left out
     "a": {"question": answer},  # answers on the path, as in a case file
     "e": {"outcome/reply": "edited text"},  # documents the person edited
     "k": {"outcome": [0, 2]}}   # evidence items ticked, by index

The encoded parameter is kept under :data:`MAX_PARAM` characters; when the texts are too long,
the client's messages, then the edits, then the review are left out of the link (the page says
so and offers the case file, which has no such limit).

Reading is defensive: every value is checked against the tree. A link naming an unknown tree, or
carrying a damaged payload, or answers the tree does not accept, gives a clean start with a short
notice, never an error.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

import yaml

from triage.errors import CaseError, TriageError
from triage.paths import is_path
from triage.tree.loader import load_case_text
from triage.tree.model import AnswerValue, Case, CaseContext, Tree
from triage.walk.dates import today_utc
from triage.walk.engine import Walk, start

__all__ = [
    "DEFAULT_TREE",
    "MAX_PARAM",
    "MAX_UPLOAD_BYTES",
    "PageState",
    "Restored",
    "UploadError",
    "case_of",
    "case_yaml",
    "decode_payload",
    "encode_params",
    "encode_payload",
    "pinned_today",
    "restore",
    "shown_name",
    "state_from_upload",
]

DEFAULT_TREE = "upwork"
VERSION = 1
MAX_PARAM = 32_000  # characters of the encoded "s" parameter
MAX_RAW_PARAM = 64_000  # refuse longer input before decoding anything
MAX_JSON_BYTES = 512_000  # refuse payloads that inflate beyond this (zip bombs)
MAX_UPLOAD_BYTES = 1_000_000
MAX_EDIT_CHARS = 20_000
MAX_EDITS = 16
UPLOAD_SUFFIXES = (".yaml", ".yml", ".json")
TODAY_ENV = "TRIAGE_TODAY"

TreeLoader = Callable[[str], Tree]

# What the page says when a link cannot be used as it is. Plain words, no ids.
NOTICE_UNKNOWN_TREE = (
    "The link was for a platform this page doesn't know, so a fresh check has started."
)
NOTICE_DAMAGED = "The link looked incomplete or damaged, so a fresh check has started."
NOTICE_STALE = (
    "Some answers in the link don't fit the current questions (they may have been updated), "
    "so the questions start again. Your review details are kept."
)


@dataclass(frozen=True)
class PageState:
    """What one person has entered so far. Immutable: changes return a new state."""

    tree: str = DEFAULT_TREE
    context: CaseContext = field(default_factory=CaseContext)
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)
    started: bool = False
    running: bool = False
    edits: Mapping[str, str] = field(default_factory=dict)
    ticks: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def with_answers(self, answers: Mapping[str, AnswerValue]) -> PageState:
        return replace(self, answers=dict(answers))

    def with_edit(self, key: str, text: str | None) -> PageState:
        edits = {k: v for k, v in self.edits.items() if k != key}
        if text is not None:
            edits[key] = text[:MAX_EDIT_CHARS]
        return replace(self, edits=edits)

    def with_ticks(self, outcome: str, ticked: Sequence[int]) -> PageState:
        ticks = {k: v for k, v in self.ticks.items() if k != outcome}
        if ticked:
            ticks[outcome] = tuple(sorted(set(ticked)))
        return replace(self, ticks=ticks)

    @property
    def is_blank(self) -> bool:
        """Nothing typed or answered yet: the link needs no payload."""
        return (
            not self.started
            and not self.running
            and not self.answers
            and not self.edits
            and not self.ticks
            and self.context == CaseContext()
        )


@dataclass(frozen=True)
class Restored:
    """The state read from a link, and a notice to show once if the link could not be used."""

    state: PageState
    notice: str | None = None


class UploadError(TriageError):
    """An uploaded case file cannot be used. The message is written for the person uploading."""


def pinned_today() -> dt.date | None:
    """The day tests pin with ``TRIAGE_TODAY`` (YYYY-MM-DD); None in normal use.

    Only the environment can pin the day: never the URL and never an uploaded file, so a link
    cannot move someone's deadlines.
    """
    raw = os.environ.get(TODAY_ENV, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def today() -> dt.date:
    """The day of the check: pinned by tests through ``TRIAGE_TODAY``, else today in UTC."""
    return pinned_today() or today_utc()


def case_of(state: PageState, today: dt.date | None = None) -> Case:
    """The case file equivalent of a state."""
    return Case(tree=state.tree, today=today, context=state.context, answers=dict(state.answers))


# --- the payload -----------------------------------------------------------------------------


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _context_json(context: CaseContext) -> dict[str, Any]:
    data: dict[str, Any] = context.model_dump(mode="json", exclude_defaults=True)
    return data


def _payload_dict(state: PageState, drop: frozenset[str]) -> dict[str, Any]:
    context = _context_json(state.context)
    for name in drop & {"messages", "review_text"}:
        context.pop(name, None)
    data: dict[str, Any] = {"v": VERSION, "p": int(state.started)}
    if state.running:
        data["r"] = 1
    if context:
        data["c"] = context
    if state.answers:
        data["a"] = {k: list(v) if isinstance(v, list) else v for k, v in state.answers.items()}
    if state.edits and "edits" not in drop:
        data["e"] = dict(state.edits)
    if state.ticks:
        data["k"] = {k: list(v) for k, v in state.ticks.items()}
    return data


def encode_payload(state: PageState, drop: frozenset[str] = frozenset()) -> str:
    """The ``s`` parameter for ``state`` (without the fields named in ``drop``)."""
    text = json.dumps(
        _payload_dict(state, drop), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    return _b64encode(zlib.compress(text.encode("utf-8"), 9))


# The order in which long texts leave the link when it grows too long.
_DROP_ORDER: tuple[str, ...] = ("messages", "edits", "review_text")


def encode_params(
    state: PageState, limit: int = MAX_PARAM
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The query parameters for ``state``, and the names of any texts left out to fit ``limit``.

    Left-out names are among ``messages``, ``edits`` and ``review_text``.
    """
    params = {"tree": state.tree}
    if state.is_blank:
        return params, ()
    dropped: list[str] = []
    payload = encode_payload(state)
    for name in _DROP_ORDER:
        if len(payload) <= limit:
            break
        dropped.append(name)
        payload = encode_payload(state, frozenset(dropped))
    params["s"] = payload
    return params, tuple(dropped)


class _DamagedError(ValueError):
    """The payload cannot be read; the page starts clean."""


def _inflate(raw: bytes) -> bytes:
    inflater = zlib.decompressobj()
    data = inflater.decompress(raw, MAX_JSON_BYTES)
    if inflater.unconsumed_tail or not inflater.eof:
        raise _DamagedError("payload too large or truncated")
    return data


def _str_map(value: Any, what: str, max_len: int) -> dict[str, str]:
    if not isinstance(value, dict) or len(value) > MAX_EDITS:
        raise _DamagedError(what)
    out: dict[str, str] = {}
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str) or len(k) > 200 or len(v) > max_len:
            raise _DamagedError(what)
        out[k] = v
    return out


def _answers(value: Any) -> dict[str, AnswerValue]:
    if not isinstance(value, dict):
        raise _DamagedError("answers")
    out: dict[str, AnswerValue] = {}
    for k, v in value.items():
        if not isinstance(k, str) or len(k) > 64:
            raise _DamagedError("answers")
        if isinstance(v, str):
            out[k] = v
        elif isinstance(v, list) and all(isinstance(x, str) for x in v) and len(v) <= 100:
            out[k] = list(v)
        else:
            raise _DamagedError("answers")
    return out


def _ticks(value: Any) -> dict[str, tuple[int, ...]]:
    if not isinstance(value, dict) or len(value) > MAX_EDITS:
        raise _DamagedError("ticks")
    out: dict[str, tuple[int, ...]] = {}
    for k, v in value.items():
        if (
            not isinstance(k, str)
            or not isinstance(v, list)
            or len(v) > 100
            or not all(type(i) is int and 0 <= i < 100 for i in v)
        ):
            raise _DamagedError("ticks")
        out[k] = tuple(sorted(set(v)))
    return out


def _flag(value: Any) -> bool:
    if value not in (0, 1) or isinstance(value, float):
        raise _DamagedError("flag")
    return bool(value)


def decode_payload(text: str, tree: str = DEFAULT_TREE) -> PageState:
    """Read an ``s`` parameter. Raises ``ValueError`` for anything that is not a valid payload.

    The answers are only checked for shape here; :func:`restore` checks them against the tree.
    """
    if not isinstance(text, str) or len(text) > MAX_RAW_PARAM:
        raise _DamagedError("too long")
    try:
        return _decode(text, tree)
    except _DamagedError:
        raise
    except Exception as error:
        # Anything base64, zlib, json or the checks below can raise on forged input (a link
        # of 48 characters inflates to 1,000 nested lists, and json.loads raises RecursionError).
        # The sizes are capped above and in _inflate, so MemoryError cannot come from the input.
        raise _DamagedError(type(error).__name__) from None


def _decode(text: str, tree: str) -> PageState:
    raw = _b64decode(text)
    data = json.loads(_inflate(raw).decode("utf-8"))
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise _DamagedError("not a version 1 payload")
    unknown = set(data) - {"v", "p", "r", "c", "a", "e", "k"}
    if unknown:
        raise _DamagedError("unknown keys")
    context = CaseContext.model_validate(data.get("c", {}))  # ValidationError: damaged
    return PageState(
        tree=tree,
        context=context,
        answers=_answers(data.get("a", {})),
        started=_flag(data.get("p", 0)),
        running=_flag(data.get("r", 0)),
        edits=_str_map(data.get("e", {}), "edits", MAX_EDIT_CHARS),
        ticks=_ticks(data.get("k", {})),
    )


def _last(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None


def restore(
    params: Mapping[str, str | Sequence[str]],
    known_trees: Sequence[str],
    load: TreeLoader,
    today: dt.date | None = None,
) -> Restored:
    """The state a link describes, checked against its tree.

    Unknown trees, damaged payloads and answers the tree does not accept all give a clean start
    with a notice (the review details are kept when only the answers are at fault).
    """
    tree_id = _last(params.get("tree"))
    payload = _last(params.get("s"))
    default = DEFAULT_TREE if DEFAULT_TREE in known_trees else (known_trees or [DEFAULT_TREE])[0]
    if tree_id is None and payload is None:
        return Restored(PageState(tree=default))
    if tree_id is None:
        tree_id = default
    if tree_id not in known_trees or is_path(tree_id):
        return Restored(PageState(tree=default), NOTICE_UNKNOWN_TREE)
    if payload is None:
        return Restored(PageState(tree=tree_id))
    try:
        state = decode_payload(payload, tree_id)
    except ValueError:
        return Restored(PageState(tree=tree_id), NOTICE_DAMAGED)
    try:
        bare = case_of(replace(state, answers={}), today)
    except ValueError:  # e.g. a contract end date after today
        return Restored(PageState(tree=tree_id), NOTICE_DAMAGED)
    try:
        walk = start(load(tree_id), bare.model_copy(update={"answers": dict(state.answers)}))
    except TriageError:
        clean = PageState(tree=tree_id, context=state.context, running=state.running)
        return Restored(clean, NOTICE_STALE)
    outcome = walk.at if walk.outcome is not None else None
    # Keep only what belongs to where the walk stands now.
    edits = {k: v for k, v in state.edits.items() if k.partition("/")[0] == outcome}
    ticks = {k: v for k, v in state.ticks.items() if k == outcome}
    return Restored(replace(state, answers=dict(walk.answers), edits=edits, ticks=ticks))


# --- case files --------------------------------------------------------------------------------

CASE_HEADER = (
    "# Your saved answers from the feedback triage page.\n"
    "# To continue later, open the page and upload this file.\n"
)


def case_yaml(walk: Walk, state: PageState | None = None) -> str:
    """The case file for a walk (``walk.to_case()``) as YAML, dates as ISO strings, with the
    page's edited texts and ticked evidence for the walk's outcome, so an upload gives back the
    same result and the same text."""
    case = walk.to_case()
    data: dict[str, Any] = {"tree": case.tree}
    if case.today is not None:
        data["today"] = case.today.isoformat()
    context = _context_json(case.context)
    if context:
        data["context"] = context
    data["answers"] = {k: list(v) if isinstance(v, list) else v for k, v in case.answers.items()}
    if state is not None:
        here = walk.at
        edits = {k: v for k, v in state.edits.items() if k.partition("/")[0] == here}
        ticks = {k: list(v) for k, v in state.ticks.items() if k == here and v}
        if edits:
            data["edits"] = edits
        if ticks:
            data["ticks"] = ticks
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return CASE_HEADER + body


def shown_name(name: str) -> str:
    """The uploaded file's bare name, safe to repeat in a message."""
    bare = PurePath(name.replace("\\", "/")).name or "your file"
    return "".join(ch for ch in bare if ch.isprintable())[:80] or "your file"


def state_from_upload(
    name: str,
    data: bytes,
    known_trees: Sequence[str],
    load: TreeLoader,
    today: dt.date | None = None,
) -> PageState:
    """Resume from an uploaded case file. Raises :class:`UploadError` with a located message.

    The file's ``tree`` must be a shipped tree id: a path is refused, so an upload can never make
    the server read another file. A ``today`` in the file is ignored (the page uses the real day).
    """
    shown = shown_name(name)
    if not shown.lower().endswith(UPLOAD_SUFFIXES):
        raise UploadError(f"{shown}: choose a saved answers file ending in .yaml or .json.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{shown}: the file is larger than 1 MB, so it can't be your answers.")
    try:
        case = load_case_text(data, file=shown)
    except CaseError as error:
        raise UploadError(str(error)) from None
    if is_path(case.tree) or case.tree not in known_trees:
        raise UploadError(
            f'{shown}: the file is for a platform this page doesn\'t know ("{case.tree[:60]}").'
        )
    try:
        walk = start(load(case.tree), case.model_copy(update={"today": today}))
    except TriageError as error:
        raise UploadError(f"{shown}: an answer in the file can't be used: {error}") from None
    here = walk.at
    return PageState(
        tree=case.tree,
        context=case.context,
        answers=dict(walk.answers),
        edits={k: v[:MAX_EDIT_CHARS] for k, v in case.edits.items() if k.partition("/")[0] == here},
        ticks={k: tuple(v) for k, v in case.ticks.items() if k == here},
        started=True,
    )
