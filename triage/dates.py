"""Date arithmetic for deadlines: calendar days, business days and the day in UTC.

Platforms state deadlines in UTC (Upwork: "midnight UTC on day 14"), so "today" is the UTC date,
never the machine's local date. Business days are Monday to Friday; public holidays are not
known to the tool and are not skipped.

Python's calendar ends on 9999-12-31. A case's dates are refused after :data:`LATEST_DAY` when
the case is read (:func:`check_case_day`); should a date still come close to the end (a page
link, a date answer), adding days stops at :data:`LAST_DAY` instead of failing.
"""

from __future__ import annotations

import datetime as dt
import re

LAST_DAY = dt.date.max  # 9999-12-31: no date comes later
# The latest day a case may name. Deadlines add at most 3650 days (about 5,100 with business
# days), so any case date up to here has room; a later year is a typo, not a case.
LATEST_DAY = dt.date(2999, 12, 31)


def check_case_day(day: dt.date) -> None:
    """Raise ``ValueError`` with a plain message if ``day`` is too far ahead for a case."""
    if day > LATEST_DAY:
        raise ValueError(
            f"{day.isoformat()}, too far in the future: a case's dates must be on or before "
            f"{LATEST_DAY.isoformat()}"
        )


def today_utc() -> dt.date:
    """Today's date in UTC."""
    return dt.datetime.now(dt.UTC).date()


def add_days(start: dt.date, days: int) -> dt.date:
    """``start`` plus ``days`` calendar days, at most :data:`LAST_DAY` (and at least
    ``date.min``) rather than an OverflowError."""
    try:
        return start + dt.timedelta(days=days)
    except OverflowError:
        return LAST_DAY if days > 0 else dt.date.min


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5


def add_business_days(start: dt.date, days: int) -> dt.date:
    """``start`` plus ``days`` business days (Monday to Friday).

    Counting starts the day after ``start``: 7 business days from a Friday is the Tuesday
    of the week after next. Zero days from a weekend day rolls forward to Monday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_business_day(day) and day < LAST_DAY:
            day += dt.timedelta(days=1)
        return day
    while days:
        if day == LAST_DAY:  # the calendar ends here
            return day
        day += dt.timedelta(days=1)
        if is_business_day(day):
            days -= 1
    return day


def days_between(earlier: dt.date, later: dt.date) -> int:
    """Whole days from ``earlier`` to ``later`` (negative if ``later`` comes first)."""
    return (later - earlier).days


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str) -> dt.date:
    """Parse exactly ``YYYY-MM-DD`` (not the other ISO forms, such as ``20261101``).

    Raises ``ValueError`` with a plain message on anything else."""
    cleaned = text.strip() if isinstance(text, str) else ""
    if _DAY.fullmatch(cleaned):
        try:
            return dt.date.fromisoformat(cleaned)
        except ValueError:
            pass
    raise ValueError(f'"{text}" is not a date; write it as YYYY-MM-DD')
