"""The manual clock: wall time and interval time move together, never back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import ManualClock, SystemClock


def test_manual_clock_measures_intervals_only_as_it_is_moved() -> None:
    clock = ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    assert clock.monotonic() == 0
    clock.advance(timedelta(seconds=90))
    assert clock.monotonic() == 90
    clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))  # wall time corrected backwards
    assert clock.monotonic() == 90, "intervals never go back"
    clock.set(datetime(2026, 11, 23, 7, 0, 30, tzinfo=UTC))
    assert clock.monotonic() == 120


def test_system_clock_intervals_never_go_back() -> None:
    clock = SystemClock()
    first = clock.monotonic()
    assert clock.monotonic() >= first
