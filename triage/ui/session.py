"""This browser session's slice of ``st.session_state``, with types.

Nothing is kept at module level: two people using the page never share anything but the frozen,
cached trees.
"""

from __future__ import annotations

from typing import Any, Literal, cast

import streamlit as st

from triage.tree.model import AnswerValue, Tree
from triage.ui.clock import today
from triage.ui.state import PageState
from triage.walk.engine import Walk

__all__ = ["Level", "Session"]

Level = Literal["info", "success", "warning"]

_STATE = "tri.state"
_DRAFTS = "tri.drafts"
_EDITING = "tri.editing"
_FORM_WARNING = "tri.form_warning"
_FLASH = "tri.flash"
_CONFIRM = "tri.confirm_reset"
_UPLOAD = "tri.upload"
_SYNCED = "tri.synced"  # (state, params, dropped) last written to the link
_WALK = "tri.walk"  # (tree, state, day, walk): the last walk, reused while all three hold


class Session:
    """Typed access to the keys the Triage page keeps in ``st.session_state``."""

    def __init__(self) -> None:
        self._s = st.session_state

    @property
    def has_state(self) -> bool:
        return _STATE in self._s

    @property
    def state(self) -> PageState:
        value = self._s.get(_STATE)
        return value if isinstance(value, PageState) else PageState()

    @state.setter
    def state(self, value: PageState) -> None:
        self._s[_STATE] = value

    def walk_for(self, tree: Tree, state: PageState) -> Walk | None:
        """The walk kept for ``state`` on ``tree``, if the last one kept is for exactly that."""
        kept = self._s.get(_WALK)
        if isinstance(kept, tuple) and kept[0] is tree and kept[2] == today() and kept[1] == state:
            return cast("Walk", kept[3])
        return None

    def keep_walk(self, tree: Tree, state: PageState, walk: Walk) -> None:
        self._s[_WALK] = (tree, state, today(), walk)

    @property
    def drafts(self) -> dict[str, AnswerValue]:
        """Answers typed or picked per question, kept through Back (widgets forget theirs)."""
        return cast("dict[str, AnswerValue]", self._s.setdefault(_DRAFTS, {}))

    @property
    def editing(self) -> str | None:
        value = self._s.get(_EDITING)
        return value if isinstance(value, str) else None

    @editing.setter
    def editing(self, qid: str | None) -> None:
        self._s[_EDITING] = qid

    @property
    def form_warning(self) -> tuple[str, str, str] | None:
        """(question id, icon, message) left by a button callback for the form to show."""
        value: Any = self._s.get(_FORM_WARNING)
        return cast("tuple[str, str, str]", value) if isinstance(value, tuple) else None

    @form_warning.setter
    def form_warning(self, value: tuple[str, str, str] | None) -> None:
        self._s[_FORM_WARNING] = value

    @property
    def confirm_reset(self) -> bool:
        return bool(self._s.get(_CONFIRM, False))

    @confirm_reset.setter
    def confirm_reset(self, value: bool) -> None:
        self._s[_CONFIRM] = value

    @property
    def upload(self) -> tuple[str, str | None] | None:
        """(file id, error message) of the last uploaded case file handled."""
        value: Any = self._s.get(_UPLOAD)
        return cast("tuple[str, str | None]", value) if isinstance(value, tuple) else None

    @upload.setter
    def upload(self, value: tuple[str, str | None] | None) -> None:
        self._s[_UPLOAD] = value

    @property
    def synced(self) -> tuple[PageState, dict[str, str], tuple[str, ...]] | None:
        """(state, link parameters, texts left out) last written to the link."""
        value: Any = self._s.get(_SYNCED)
        return cast("tuple[PageState, dict[str, str], tuple[str, ...]]", value) if value else None

    @synced.setter
    def synced(self, value: tuple[PageState, dict[str, str], tuple[str, ...]]) -> None:
        self._s[_SYNCED] = value

    def flash(self, level: Level, text: str) -> None:
        """Show ``text`` once, on the next run."""
        self._s.setdefault(_FLASH, []).append((level, text))

    def take_flash(self) -> list[tuple[Level, str]]:
        items = cast("list[tuple[Level, str]]", self._s.pop(_FLASH, []))
        return list(items)

    def forget_widgets(self, prefix: str, keep: tuple[str, ...] = ()) -> None:
        """Drop the stored values of widgets whose key starts with ``prefix`` (but not ``keep``)."""
        for key in [k for k in self._s if isinstance(k, str) and k.startswith(prefix)]:
            if key not in keep:
                del self._s[key]
