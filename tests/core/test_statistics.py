"""Statistics on a generated history whose answers are known exactly."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.histogram import Histogram
from core.statistics import Visit, compute

RIGA = ZoneInfo("Europe/Riga")
UTC = ZoneInfo("UTC")


def at(text: str) -> datetime:
    """Local Riga wall-clock time."""
    return datetime.fromisoformat(text).replace(tzinfo=RIGA)


def visit(
    n: int,
    issued: datetime,
    wait: float | None,
    service: float | None = None,
    *,
    status: str = "done",
    service_id: str = "residence",
    counter: str = "c1",
    clerk: str = "anna",
    rating: int | None = None,
    walk: bool = False,
) -> Visit:
    called = issued + timedelta(seconds=wait) if wait is not None else None
    started = called + timedelta(seconds=30) if called is not None and service is not None else None
    finished = (
        started + timedelta(seconds=service)
        if started is not None and service is not None
        else None
    )
    return Visit(
        f"t{n}",
        service_id,
        status,
        issued.astimezone(UTC),
        300.0,
        counter_id=counter if called else None,
        clerk=clerk if called else None,
        first_called_at=called.astimezone(UTC) if called else None,
        started_at=started,
        finished_at=finished,
        walk_direct=walk,
        rating=rating,
    )


HISTORY = [
    # Tuesday 10 March 2026 (ISO week 11).
    visit(1, at("2026-03-10T09:00"), 60, 300, rating=5),
    visit(2, at("2026-03-10T09:10"), 120, 600, rating=4, clerk="ivan", counter="c2"),
    visit(3, at("2026-03-10T09:20"), 600, None, status="no_show"),
    visit(4, at("2026-03-10T10:00"), None, status="cancelled", service_id="certificates"),
    # Issued before midnight, called after it: counted on the day it was issued.
    visit(5, at("2026-03-10T23:50"), 1200, 120, rating=1),
    # Sunday 29 March 2026: clocks go from 03:00 to 04:00. Issued 02:50, called 04:05
    # by the wall clock, which is 15 minutes of real waiting (ISO week 13).
    Visit(
        "t6",
        "residence",
        "done",
        at("2026-03-29T02:50").astimezone(UTC),
        300.0,
        "c1",
        "anna",
        at("2026-03-29T04:05").astimezone(UTC),
        at("2026-03-29T04:06").astimezone(UTC),
        at("2026-03-29T04:16").astimezone(UTC),
        rating=3,
    ),
    # A walk-in (no wait) and a ticket expired at closing, in April (Q2, week 14).
    visit(7, at("2026-04-01T12:00"), 0, 240, walk=True),
    visit(8, at("2026-04-01T12:30"), None, status="expired", service_id="certificates"),
]


def test_totals() -> None:
    total = compute(HISTORY, "total", RIGA)["total"]
    assert (
        total["issued"],
        total["served"],
        total["no_shows"],
        total["cancelled"],
        total["expired"],
        total["walk_direct"],
    ) == (7, 5, 1, 1, 1, 1)
    # Waits of called tickets (walk-ins excluded): 60, 120, 600, 1200, 900.
    assert total["called"] == 5
    assert total["wait_seconds"] == {"mean": 576.0, "median": 600.0, "p90": 1200.0, "max": 1200.0}
    assert total["within_target"] == 2 and total["service_level"] == 0.4
    # Service times: 300, 600, 120, 600 (the DST-day visit: 04:06 to 04:16), 240.
    assert total["service_seconds"]["max"] == 600.0
    assert total["serving_seconds_total"] == 300 + 600 + 120 + 600 + 240
    assert total["feedback"] == {
        "count": 4,
        "average": 3.25,
        "distribution": {"1": 1, "2": 0, "3": 1, "4": 1, "5": 1},
    }


def test_by_day_counts_midnight_and_dst_correctly() -> None:
    days = compute(HISTORY, "day", RIGA)
    assert list(days) == ["2026-03-10", "2026-03-29", "2026-04-01"]
    assert days["2026-03-10"]["issued"] == 5
    assert days["2026-03-10"]["wait_seconds"]["max"] == 1200.0
    assert days["2026-03-29"]["wait_seconds"]["mean"] == 900.0  # not 4500: the hour never existed
    assert days["2026-03-29"]["service_level"] == 0.0


def test_by_hour_week_quarter() -> None:
    hours = compute(HISTORY, "hour", RIGA)
    assert {h: v["issued"] + v["walk_direct"] for h, v in hours.items()} == {
        "02": 1,
        "09": 3,
        "10": 1,
        "12": 2,
        "23": 1,
    }
    weeks = compute(HISTORY, "week", RIGA)
    assert {w: v["issued"] + v["walk_direct"] for w, v in weeks.items()} == {
        "2026-W11": 5,
        "2026-W13": 1,
        "2026-W14": 2,
    }
    quarters = compute(HISTORY, "quarter", RIGA)
    assert {q: v["issued"] + v["walk_direct"] for q, v in quarters.items()} == {
        "2026-Q1": 6,
        "2026-Q2": 2,
    }


def test_by_service_counter_and_clerk() -> None:
    services = compute(HISTORY, "service", RIGA)
    assert services["certificates"]["cancelled"] == 1 and services["certificates"]["expired"] == 1
    assert services["certificates"]["wait_seconds"]["mean"] is None
    clerks = compute(HISTORY, "clerk", RIGA)
    assert set(clerks) == {"anna", "ivan"}  # never-called tickets have no clerk
    assert clerks["ivan"]["serving_seconds_total"] == 600
    assert clerks["anna"]["feedback"]["average"] == 3.0  # 5, 1, 3
    counters = compute(HISTORY, "counter", RIGA)
    assert counters["c2"]["served"] == 1


def test_percentile_is_nearest_rank() -> None:
    assert Histogram.of([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).percentile(0.9) == 9
    assert Histogram.of([7]).percentile(0.9) == 7
    with pytest.raises(ValueError):
        compute(HISTORY, "fortnight", RIGA)
