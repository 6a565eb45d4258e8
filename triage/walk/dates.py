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
from collections.abc import Iterator

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


def short_day(day: dt.date) -> str:
    """A date as the page shows it: ``20 Nov 2026`` (documents write the month in full)."""
    return f"{day.day} {day:%b %Y}"


def long_day(day: dt.date) -> str:
    """A date as documents write it, and the page when it reads back a typed date:
    ``18 December 2026``."""
    return f"{day.day} {day:%B %Y}"


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


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))


def _month(name: str) -> str:
    return f"(?P<{name}>{_MONTH_NAMES})\\.?"


# 2026-11-20 · 20 November 2026 · 20 Nov · November 20, 2026 · Nov 20 · 20/11/2026
_DATE = re.compile(
    r"(?<![\d/.-])(?P<iso>(?P<iy>\d{4})([-/.])(?P<im>\d{1,2})\3(?P<id>\d{1,2}))(?![\d/.-])"
    rf"|(?<!\w)(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_month('m1')}"
    rf"(?:,?\s+(?P<y1>\d{{4}}))?(?!\w)"
    rf"|(?<!\w){_month('m2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?(?!\w)"
    r"|(?<![\d/.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y3>\d{4})(?![\d/.])",
    re.IGNORECASE,
)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_days(text: str, today: dt.date) -> Iterator[tuple[int, dt.date]]:
    """Every date written in ``text`` with its position, as people write dates.

    ``2026-11-20``, ``20 November 2026``, ``20 Nov``, ``November 20, 2026``, ``Nov 20``,
    ``20/11/2026``. A date without a year is the latest such day on or before ``today``.
    ``03/04/2026`` is left out: day-month and month-day orders disagree on it (``13/04/2026``
    is read, only one fits)."""
    for match in _DATE.finditer(text):
        groups = match.groupdict()
        found: dt.date | None = None
        if groups["iso"]:
            found = _day(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        elif groups["a"]:
            a, b, year = int(groups["a"]), int(groups["b"]), int(groups["y3"])
            both = {d for d in (_day(year, b, a), _day(year, a, b)) if d}
            found = both.pop() if len(both) == 1 else None
        else:
            month_name = (groups["m1"] or groups["m2"] or "").lower()
            month = _MONTHS.get(month_name)
            day = int(groups["d1"] or groups["d2"] or 0)
            year_text = groups["y1"] or groups["y2"]
            if month:
                if year_text:
                    found = _day(int(year_text), month, day)
                else:
                    found = _day(today.year, month, day)
                    if found is not None and found > today:
                        found = _day(today.year - 1, month, day)
        if found is not None:
            yield match.start(), found


def read_day(text: str, today: dt.date) -> dt.date:
    """The one date ``text`` holds, written as people write dates (see :func:`find_days`).
    Raises ``ValueError`` with a plain message when it holds none, or more than one."""
    cleaned = " ".join(str(text).split())
    found = list(find_days(cleaned, today))
    if len(found) == 1:
        return found[0][1]
    if not found:
        raise ValueError(f'"{cleaned[:40]}" is not a date; write it like 2026-11-18 or 18 Nov 2026')
    raise ValueError(f'"{cleaned[:40]}" holds more than one date; give just one')
