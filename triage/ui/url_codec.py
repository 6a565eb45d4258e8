"""The page's state (:mod:`triage.ui.state`) mirrored in the page's address (URL).

Everything here is pure: no Streamlit. The page reads the URL once per browser session, keeps a
:class:`PageState` in its session, and writes it back to the URL after every change, so a
refresh or a shared link restores the same place.

URL format, version 1::

    ?tree=<tree id>&s=<payload>

``tree`` is a shipped tree id, in the clear; left out on the start screen ("What do you
need?"), where no tree is chosen yet. ``s`` (left out while nothing was typed) is the
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
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from triage.errors import TriageError
from triage.paths import is_path
from triage.tree.model import AnswerValue, CaseContext
from triage.ui.state import (
    CHOOSING,
    MAX_EDIT_CHARS,
    NOTICE_DAMAGED,
    NOTICE_STALE,
    NOTICE_UNKNOWN_TREE,
    PageState,
    Restored,
    TreeLoader,
    case_of,
    context_json,
)
from triage.walk.engine import start

__all__ = ["MAX_PARAM", "decode_payload", "encode_params", "encode_payload", "restore"]

VERSION = 1
MAX_PARAM = 32_000  # characters of the encoded "s" parameter
MAX_RAW_PARAM = 64_000  # refuse longer input before decoding anything
MAX_JSON_BYTES = 512_000  # refuse payloads that inflate beyond this (zip bombs)
MAX_EDITS = 16


# --- the payload -----------------------------------------------------------------------------


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _payload_dict(state: PageState, drop: frozenset[str]) -> dict[str, Any]:
    context = context_json(state.context)
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
    params = {"tree": state.tree} if state.tree != CHOOSING else {}
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


def decode_payload(text: str, tree: str = CHOOSING) -> PageState:
    """Read an ``s`` parameter (for ``tree``: the payload itself names none). Raises
    ``ValueError`` for anything that is not a valid payload.

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
    # A link without a tree opens the start screen ("What do you need?"), or the one tree there is.
    default = known_trees[0] if len(known_trees) == 1 else CHOOSING
    if tree_id is None and payload is None:
        return Restored(PageState(tree=default))
    if tree_id is None:
        tree_id = default
    if tree_id != CHOOSING and (tree_id not in known_trees or is_path(tree_id)):
        return Restored(PageState(tree=default), NOTICE_UNKNOWN_TREE)
    if payload is None:
        return Restored(PageState(tree=tree_id))
    try:
        state = decode_payload(payload, tree_id)
    except ValueError:
        return Restored(PageState(tree=tree_id), NOTICE_DAMAGED)
    if tree_id == CHOOSING:
        # What was typed is kept for whichever tree is chosen next; no answers without a tree.
        return Restored(PageState(tree=CHOOSING, context=state.context, running=state.running))
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
