"""Days that cross the boundary: `YYYY-MM-DD`, between 2000 and 2999."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.days import FIRST_DAY, LAST_DAY, DayProblem, day_problem, parse_day
from core.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-11-23", None),
        ("2000-01-01", None),
        ("2999-12-31", None),
        ("1999-12-31", DayProblem.OUT_OF_RANGE),
        ("3000-01-01", DayProblem.OUT_OF_RANGE),
        ("0001-01-01", DayProblem.OUT_OF_RANGE),
        ("9999-12-31", DayProblem.OUT_OF_RANGE),
        ("2026-02-30", DayProblem.INVALID_DATE),
        ("2026-1-1", DayProblem.INVALID_DATE),
        ("20261123", DayProblem.INVALID_DATE),
        ("2026-11-23T00:00", DayProblem.INVALID_DATE),
        ("0", DayProblem.INVALID_DATE),
        ("-1", DayProblem.INVALID_DATE),
        ("", DayProblem.INVALID_DATE),
        ("２０２６-１１-２３", DayProblem.INVALID_DATE),  # fullwidth digits are not ASCII digits
        (0, DayProblem.INVALID_DATE),  # a number of seconds is no day
        (1700000000, DayProblem.INVALID_DATE),
        (datetime(2026, 11, 23), DayProblem.INVALID_DATE),
        (date(2026, 11, 23), None),
    ],
)
def test_day_problems(text: object, problem: DayProblem | None) -> None:
    assert day_problem(text)[1] is problem


def test_parse_day_names_the_field() -> None:
    assert parse_day("2026-11-23", "from") == date(2026, 11, 23)
    with pytest.raises(InvalidInput) as caught:
        parse_day("9999-12-31", "to")
    assert caught.value.fields == {"to": "out_of_range"}


@settings(max_examples=200, derandomize=True, deadline=None)
@given(day=st.dates())
def test_every_accepted_day_leaves_room_for_periods_around_it(day: date) -> None:
    accepted, problem = day_problem(day.isoformat())
    assert (problem is None) == (FIRST_DAY <= day <= LAST_DAY)
    if problem is None:
        assert accepted == day
        # What the server computes from a day (a 400-day period, a month's deadline)
        # cannot leave Python's date range.
        assert date.min.toordinal() + 1000 < day.toordinal() < date.max.toordinal() - 1000
