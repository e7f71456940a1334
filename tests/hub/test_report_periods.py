"""Which days the quarterly report covers, and which it is compared with."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import InvalidInput
from hub.web.report import Period, chosen_period, previous_period, quarter_of

TODAY = date(2026, 11, 23)


def test_quarters() -> None:
    assert quarter_of(date(2026, 2, 28)) == Period(date(2026, 1, 1), date(2026, 3, 31), "2026-Q1")
    assert quarter_of(date(2026, 12, 31)) == Period(
        date(2026, 10, 1), date(2026, 12, 31), "2026-Q4"
    )


def test_a_past_quarter_is_compared_with_the_whole_quarter_before() -> None:
    q3 = chosen_period("2026-Q3", "", "", TODAY)
    assert q3 == Period(date(2026, 7, 1), date(2026, 9, 30), "2026-Q3")
    assert previous_period(q3) == Period(date(2026, 4, 1), date(2026, 6, 30), "2026-Q2")
    q1 = chosen_period("2026-Q1", "", "", TODAY)
    assert previous_period(q1) == Period(date(2025, 10, 1), date(2025, 12, 31), "2025-Q4")


def test_the_running_quarter_goes_up_to_today_against_as_many_days_before() -> None:
    now = chosen_period("", "", "", TODAY)
    assert now == Period(date(2026, 10, 1), TODAY, "2026-Q4")
    assert chosen_period("2026-Q4", "", "", TODAY) == now
    assert previous_period(now) == Period(date(2026, 7, 1), date(2026, 8, 23), "2026-Q3")


def test_any_other_period_is_compared_with_as_many_days_just_before() -> None:
    days = chosen_period("", "2026-11-01", "2026-11-10", TODAY)
    before = previous_period(days)
    assert (before.start, before.end) == (date(2026, 10, 22), date(2026, 10, 31))


@pytest.mark.parametrize("text", ["2026-Q5", "Q3", "2026-q3", "1999-Q4", "2026-Q3 "])
def test_a_quarter_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        chosen_period(text, "", "", TODAY)
