"""The case file the page saves and reads back: the same format as the CLI's, with the
page's edited texts and ticked evidence, so an upload gives back the same result and text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

import yaml

from triage.errors import CaseError, TriageError
from triage.paths import is_path
from triage.tree.loader import load_case_text
from triage.ui.state import MAX_EDIT_CHARS, PageState, TreeLoader, context_json
from triage.walk.engine import Walk, start

__all__ = ["MAX_UPLOAD_BYTES", "UploadError", "case_yaml", "shown_name", "state_from_upload"]

MAX_UPLOAD_BYTES = 1_000_000
UPLOAD_SUFFIXES = (".yaml", ".yml", ".json")


class UploadError(TriageError):
    """An uploaded case file cannot be used. The message is written for the person uploading."""


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
    context = context_json(case.context)
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
    if not case.tree:
        raise UploadError(
            f'{shown}: the file doesn\'t say which check it is for: it has no "tree:" line. '
            "Files this page saves have one."
        )
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
        # The tick box "still running" is the page state's; the case file keeps it in context.
        context=case.context.model_copy(update={"contract_running": False}),
        running=case.context.contract_running,
        answers=dict(walk.answers),
        edits={k: v[:MAX_EDIT_CHARS] for k, v in case.edits.items() if k.partition("/")[0] == here},
        ticks={k: tuple(v) for k, v in case.ticks.items() if k == here},
        started=True,
    )
