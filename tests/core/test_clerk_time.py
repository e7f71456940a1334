"""Clerk idle and serving time on a generated history whose answers are known exactly."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.clerk_time import CounterEvent, next_boundary, seconds_by_group, stints, summary
from core.statistics import Visit, compute, time_key

RIGA = ZoneInfo("Europe/Riga")
UTC = ZoneInfo("UTC")


def at(text: str) -> datetime:
    """Local Riga wall-clock time, as the UTC instant the log stores."""
    return datetime.fromisoformat(text).replace(tzinfo=RIGA).astimezone(UTC)


def span(day: date) -> tuple[datetime, datetime] | None:
    """09:00–18:00 on weekdays; on the DST Sunday an extended 02:00–05:00 session."""
    if day == date(2026, 3, 29):
        return at("2026-03-29T02:00"), at("2026-03-29T05:00")
    if day.weekday() >= 5:
        return None
    return (
        datetime.combine(day, time(9), RIGA).astimezone(UTC),
        datetime.combine(day, time(18), RIGA).astimezone(UTC),
    )


def ev(when: str, kind: str, counter: str | None = None, ticket: str | None = None, clerk=None):
    return CounterEvent(at(when), kind, counter, ticket, clerk)


TUESDAY = [
    ev("2026-03-10T08:45", "open", "c1", clerk="anna"),  # idle counts from 09:00
    ev("2026-03-10T09:10", "hold", "c1", "t1", "anna"),
    ev("2026-03-10T09:12", "start", ticket="t1"),
    ev("2026-03-10T09:22", "release", ticket="t1"),
    ev("2026-03-10T09:30", "pause", "c1"),
    ev("2026-03-10T09:45", "open", "c1", clerk="anna"),
    ev("2026-03-10T10:00", "hold", "c1", "t2", "anna"),  # a walk-in: held and started at once
    ev("2026-03-10T10:00", "start", ticket="t2"),
    ev("2026-03-10T10:05", "release", ticket="t2"),
    ev("2026-03-10T17:50", "hold", "c1", "t3", "anna"),
    ev("2026-03-10T17:52", "start", ticket="t3"),
    ev("2026-03-10T18:20", "release", ticket="t3"),  # served past closing: counted
    # Counter c2 opened late; its visit is held past midnight (housekeeping closes it).
    ev("2026-03-10T17:30", "open", "c2", clerk="ivan"),
    ev("2026-03-10T23:30", "hold", "c2", "t4", "ivan"),
    ev("2026-03-10T23:30", "start", ticket="t4"),
    ev("2026-03-11T00:30", "release", ticket="t4"),
    ev("2026-03-11T00:31", "close", "c2"),
    ev("2026-03-11T00:40", "release", ticket="unknown"),  # no holder: ignored
]
TUESDAY.sort(key=lambda e: e.at)


def tuesday_stints():
    return stints(TUESDAY, until=at("2026-03-11T08:00"), zone=RIGA, opening_span=span)


def test_activities_of_a_day() -> None:
    found = tuesday_stints()
    by_clerk = seconds_by_group(
        found,
        "clerk",
        RIGA,
        time_key("clerk", RIGA),
        at("2026-03-10T00:00"),
        at("2026-03-12T00:00"),
    )
    assert by_clerk["anna"] == {
        # 09:00–09:10, 09:22–09:30, 09:45–10:00, 10:05–17:50 (not after 18:20: closed)
        "idle": 600 + 480 + 900 + 27900,
        "calling": 120 + 120,
        "serving": 600 + 300 + 1680,
        "paused": 900,
    }
    # ivan: idle 17:30–18:00 only; the visit held over midnight counts until midnight.
    assert by_clerk["ivan"] == {"idle": 1800, "calling": 0, "serving": 1800, "paused": 0}
    assert summary(by_clerk["ivan"]) == {
        "idle_seconds": 1800.0,
        "calling_seconds": 0.0,
        "serving_seconds": 1800.0,
        "paused_seconds": 0.0,
        "present_seconds": 3600.0,
        "busy_share": 0.5,
    }


def test_period_clips_and_hours_split() -> None:
    found = tuesday_stints()
    key = time_key("hour", RIGA)
    hours = seconds_by_group(
        found, "hour", RIGA, key, at("2026-03-10T09:05"), at("2026-03-10T10:03")
    )
    assert hours["09"] == {"idle": 300 + 480 + 900, "calling": 120, "serving": 600, "paused": 900}
    assert hours["10"] == {"idle": 0, "calling": 0, "serving": 180, "paused": 0}
    assert set(hours) == {"09", "10"}


def test_dst_day_hours_are_real_hours() -> None:
    events = [
        ev("2026-03-29T02:30", "open", "c1", clerk="anna"),
        ev("2026-03-29T02:50", "hold", "c1", "t6", "anna"),
        ev("2026-03-29T02:50", "start", ticket="t6"),
        ev("2026-03-29T04:10", "release", ticket="t6"),  # 20 real minutes: 03:00 became 04:00
        ev("2026-03-29T04:30", "close", "c1"),
    ]
    found = stints(events, until=at("2026-03-29T12:00"), zone=RIGA, opening_span=span)
    low, high = at("2026-03-29T00:00"), at("2026-03-30T00:00")
    hours = seconds_by_group(found, "hour", RIGA, time_key("hour", RIGA), low, high)
    assert hours == {
        "02": {"idle": 1200, "calling": 0, "serving": 600, "paused": 0},
        "04": {"idle": 1200, "calling": 0, "serving": 600, "paused": 0},
    }
    days = seconds_by_group(found, "day", RIGA, time_key("day", RIGA), low, high)
    assert days["2026-03-29"]["serving"] == 1200


def test_initial_state_and_until() -> None:
    # Counter c3 was left open before the period; today it idles within opening hours
    # up to `until` (the moment of the report).
    found = stints(
        [],
        until=at("2026-03-12T11:00"),
        zone=RIGA,
        opening_span=span,
        initial={"c3": ("open", "maris", at("2026-03-12T00:00"))},
    )
    assert [(s.clerk, s.activity, s.seconds) for s in found] == [("maris", "idle", 7200.0)]
    # A closed counter adds nothing; a held visit without a counter event still counts.
    assert (
        stints(
            [ev("2026-03-12T10:00", "close", "c3")],
            until=at("2026-03-12T11:00"),
            zone=RIGA,
            opening_span=span,
        )
        == []
    )


def test_boundaries() -> None:
    assert next_boundary("quarter", at("2026-03-31T23:30"), RIGA) == at("2026-04-01T00:00")
    assert next_boundary("quarter", at("2026-12-31T23:30"), RIGA) == at("2027-01-01T00:00")
    assert next_boundary("week", at("2026-03-29T12:00"), RIGA) == at("2026-03-30T00:00")
    # 25 October 2026, clocks go back from 04:00 to 03:00: the first 03:30 (00:30 UTC)
    # lies in an hour that ends one real hour after 03:00, at the second 03:00.
    first_half_past_three = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert first_half_past_three.astimezone(RIGA).hour == 3
    assert next_boundary("hour", first_half_past_three, RIGA) == datetime(
        2026, 10, 25, 1, 0, tzinfo=UTC
    )
    assert next_boundary("clerk", at("2026-03-10T10:00"), RIGA) is None
    with pytest.raises(ValueError):
        CounterEvent(at("2026-03-10T10:00"), "lunch", "c1")


def test_statistics_carry_clerk_time_and_idle_groups() -> None:
    found = tuesday_stints()
    low, high = at("2026-03-10T00:00"), at("2026-03-11T00:00")
    visit = Visit("t1", "residence", "done", at("2026-03-10T09:05"), 300.0, "c1", "anna")
    hours = compute(
        [visit],
        "hour",
        RIGA,
        seconds_by_group(found, "hour", RIGA, time_key("hour", RIGA), low, high),
    )
    assert hours["09"]["issued"] == 1
    assert hours["12"]["issued"] == 0  # an idle hour still appears
    assert hours["12"]["clerk_time"]["idle_seconds"] == 3600
    assert hours["12"]["clerk_time"]["busy_share"] == 0.0
    without = compute([visit], "service", RIGA)
    assert without["residence"]["clerk_time"] is None
