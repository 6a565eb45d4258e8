from __future__ import annotations

import datetime as dt

import pytest

from triage.walk.dates import add_business_days, add_days, parse_day

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 27), 7, D(2026, 12, 8)),  # Friday + 7 business days
        (D(2026, 11, 28), 5, D(2026, 12, 4)),  # from a Saturday
        (D(2026, 11, 29), 1, D(2026, 11, 30)),  # Sunday -> Monday
        (D(2026, 12, 24), 7, D(2027, 1, 4)),  # across the year's end
        (D(2026, 1, 30), 1, D(2026, 2, 2)),  # Friday at a month's end
        (D(2026, 11, 28), 0, D(2026, 11, 30)),  # zero days from a weekend rolls to Monday
        (D(2026, 11, 25), 0, D(2026, 11, 25)),
    ],
)
def test_business_days_skip_weekends(start: dt.date, days: int, expected: dt.date) -> None:
    assert add_business_days(start, days) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 20), 28, D(2026, 12, 18)),
        (D(2026, 12, 20), 14, D(2027, 1, 3)),  # year's end
        (D(2028, 2, 15), 14, D(2028, 2, 29)),  # leap day
        (D(2026, 1, 31), 28, D(2026, 2, 28)),  # month's end
    ],
)
def test_calendar_days(start: dt.date, days: int, expected: dt.date) -> None:
    assert add_days(start, days) == expected


def test_parse_day_says_how_to_write_a_date() -> None:
    assert parse_day(" 2026-11-20 ") == D(2026, 11, 20)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("20/11/2026")


def test_negative_business_days_are_refused() -> None:
    with pytest.raises(ValueError):
        add_business_days(D(2026, 11, 27), -1)
