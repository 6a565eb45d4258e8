"""The day the page counts from: today in UTC, or the day tests pin through ``TRIAGE_TODAY``."""

from __future__ import annotations

import datetime as dt
import os

from triage.walk.dates import today_utc

__all__ = ["TODAY_ENV", "pinned_today", "today"]

TODAY_ENV = "TRIAGE_TODAY"


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
