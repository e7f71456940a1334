"""Opening hours, exceptions, per-service hours and closed screens."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.hours import (
    DayException,
    OpeningHours,
    describe_opening,
    parse_range,
    parse_ranges,
    service_closing,
    service_is_open,
)
from core.model import TimeRange
from tests.support.catalogues import demo_catalogue

RIGA = ZoneInfo("Europe/Riga")
HOURS = OpeningHours(
    timezone="Europe/Riga",
    weekly={
        0: (TimeRange(8 * 60 + 30, 12 * 60), TimeRange(12 * 60 + 30, 19 * 60)),
        4: (TimeRange(8 * 60 + 30, 15 * 60),),
    },
    exceptions={date(2026, 11, 30): DayException(date(2026, 11, 30), (), "holiday")},
)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=RIGA)


def test_open_within_a_range_and_closed_at_lunch() -> None:
    assert HOURS.is_open(at(23, 8, 30))
    assert not HOURS.is_open(at(23, 8, 29))
    lunch = HOURS.status(at(23, 12, 10))
    assert not lunch.is_open
    assert lunch.opens_at == at(23, 12, 30)
    assert lunch.day_closes_at == at(23, 19)


def test_closing_time_of_the_current_range() -> None:
    status = HOURS.status(at(23, 10))
    assert status.closes_at == at(23, 12)
    assert status.day_closes_at == at(23, 19)


def test_next_opening_skips_closed_days_and_holidays() -> None:
    # Monday 19:00 -> Friday 08:30 (no Tuesday-Thursday hours in this schedule).
    assert HOURS.next_opening(at(23, 19)) == at(27, 8, 30)
    # Friday 27th after closing -> Monday 30th is a holiday -> Friday 4 Dec.
    assert HOURS.next_opening(at(27, 16)) == at(4, 8, 30, month=12)


def test_exception_replaces_the_weekly_hours() -> None:
    extended = HOURS.with_exceptions(
        {date(2026, 11, 24): DayException(date(2026, 11, 24), (TimeRange(10 * 60, 20 * 60),))}
    )
    assert extended.is_open(at(24, 19, 30))
    assert not HOURS.is_open(at(24, 19, 30))


def test_hours_are_local_across_dst() -> None:
    summer = OpeningHours("Europe/Riga", {day: (TimeRange(9 * 60, 17 * 60),) for day in range(7)})
    # 29 March 2026 (spring forward): 09:00 local is 06:00 UTC, the day before 07:00 UTC.
    assert summer.status(datetime(2026, 3, 29, 9, 0, tzinfo=RIGA)).is_open
    assert summer.at(date(2026, 3, 29), 9 * 60).utcoffset() == timedelta(hours=3)
    assert summer.at(date(2026, 3, 28), 9 * 60).utcoffset() == timedelta(hours=2)


def test_service_with_its_own_hours() -> None:
    catalogue = demo_catalogue()
    building = catalogue.service("building-board")
    hours = replace(catalogue.hours, exceptions={})
    tuesday = datetime(2026, 11, 24, 10, 0, tzinfo=RIGA)
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=RIGA)
    assert service_is_open(building, hours, tuesday)
    assert not service_is_open(building, hours, monday)
    assert not service_is_open(building, hours, tuesday.replace(hour=12, minute=30))
    assert service_closing(building, hours, tuesday) == tuesday.replace(hour=17)
    residence = catalogue.service("residence")
    assert service_closing(residence, hours, tuesday) == tuesday.replace(hour=17)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("8:30", "range"),
        ("12:00-08:00", "after"),
        ("25:00-26:00", "time of day"),
        ("aa:bb-cc:dd", "HH:MM"),
    ],
)
def test_bad_ranges_are_refused_with_a_reason(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_range(text)


def test_overlapping_ranges_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        parse_ranges(["08:00-12:00", "11:00-13:00"])


def test_closed_message_in_three_languages() -> None:
    status = HOURS.status(at(23, 19, 30))
    assert describe_opening(status, HOURS, "lv") == "Slēgts — atvērsies 27.11. 08:30"
    assert describe_opening(status, HOURS, "ru") == "Закрыто — откроется 27.11. 08:30"
    assert describe_opening(status, HOURS, "en") == "Closed — opens at 27.11. 08:30"
