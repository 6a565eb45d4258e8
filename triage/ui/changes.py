"""What changing an earlier answer did: which later answers were kept, and whether the outcome
moved. Pure, so the page's wording is tested without Streamlit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from triage.walk.engine import Walk

__all__ = ["Change", "describe", "summarise"]


@dataclass(frozen=True, slots=True)
class Change:
    """The effect of changing the answer to one question."""

    kept: int  # later answers still on the path, unchanged
    dropped: int  # later answers no longer asked
    before: str | None  # outcome id before the change (None: the walk was not finished)
    after: str | None  # outcome id after it

    @property
    def outcome_changed(self) -> bool:
        return self.before is not None and self.before != self.after


def summarise(old: Walk, new: Walk, question: str) -> Change:
    """Compare the walks before and after the answer to ``question`` changed."""
    order = [s.node for s in old.asked]
    later = order[order.index(question) + 1 :] if question in order else []
    kept = sum(1 for q in later if q in new.answers and new.answers[q] == old.answers.get(q))
    return Change(
        kept=kept,
        dropped=len(later) - kept,
        before=old.at if old.outcome is not None else None,
        after=new.at if new.outcome is not None else None,
    )


def describe(change: Change, titles: Mapping[str, str]) -> tuple[bool, str]:
    """The notice after a change, as (is it important, Markdown-free plain text).

    ``titles`` maps outcome ids to their titles. Important when the outcome changed.
    """
    parts = ["Your answer was changed."]
    if change.kept:
        one = change.kept == 1
        parts.append(
            f"{change.kept} later answer{'' if one else 's'} still appl{'ies' if one else 'y'} "
            f"and {'was' if one else 'were'} kept."
        )
    if change.dropped:
        one = change.dropped == 1
        parts.append(
            f"{change.dropped} later answer{'' if one else 's'} no longer "
            f"appl{'ies' if one else 'y'}."
        )
    if change.outcome_changed:
        before = titles.get(change.before or "", "")
        if change.after is not None:
            parts.append(
                f"The result has changed: it is now “{titles.get(change.after, '')}” "
                f"(before: “{before}”)."
            )
        else:
            parts.append(f"The result may change (before: “{before}”): a few more questions first.")
        return True, " ".join(parts)
    if change.before is not None:
        parts.append("The result is the same.")
    return False, " ".join(parts)
