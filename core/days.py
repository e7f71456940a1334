"""Calendar days that cross the boundary (report periods, opening-hours exceptions).

A day is written `YYYY-MM-DD` (ISO 8601 calendar date, four-digit year) and
lies between `FIRST_DAY` and `LAST_DAY`. Rinda holds no data from before 2000,
and a year after 2999 is a typing mistake; keeping far from the ends of
Python's `date` range (years 1-9999) also means every period computed from a
day (a 400-day report, a month's deadline, local midnight in UTC) stays
representable.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum

from core.errors import InvalidInput

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)
MAX_PERIOD_DAYS = 400
"""The longest report period, in days: over a year (a year against the one before is
two periods), short enough to be read at once."""
DAY_PATTERN = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class DayProblem(StrEnum):
    """Stable field error codes for a day."""

    INVALID_DATE = "invalid_date"
    """Not `YYYY-MM-DD`, or no such day (2026-02-30)."""
    OUT_OF_RANGE = "out_of_range"
    """Before `FIRST_DAY` or after `LAST_DAY`."""


def day_problem(value: object) -> tuple[date | None, DayProblem | None]:
    """The day written in `value` (a `str`, or a `date` already parsed) and its problem."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and DAY_PATTERN.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None, DayProblem.INVALID_DATE
    else:
        return None, DayProblem.INVALID_DATE
    if not FIRST_DAY <= day <= LAST_DAY:
        return day, DayProblem.OUT_OF_RANGE
    return day, None


def describe(problem: DayProblem) -> str:
    """A sentence about the problem (English; clients translate the code)."""
    if problem is DayProblem.OUT_OF_RANGE:
        return f"The day must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}."
    return "This is not a date written YYYY-MM-DD (such as 2026-11-23)."


def parse_day(value: object, field: str) -> date:
    """The day, or `InvalidInput` with `{field: "invalid_date" | "out_of_range"}`."""
    day, problem = day_problem(value)
    if problem is not None:
        raise InvalidInput(describe(problem), {field: problem.value})
    assert day is not None
    return day


def check_period(start: date, end: date) -> None:
    """A report period (local days, inclusive): `InvalidInput` with `{"to": "before_from"}`
    when it ends before it starts, `{"to": "too_long"}` beyond `MAX_PERIOD_DAYS`. A
    centre's statistics and the network's follow this one rule."""
    if end < start:
        raise InvalidInput("The period ends before it starts.", {"to": "before_from"})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput(f"At most {MAX_PERIOD_DAYS} days at once.", {"to": "too_long"})
