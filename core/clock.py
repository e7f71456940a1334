"""Clocks: the one seam through which the running system learns the time."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current instant."""
        ...


class IntervalClock(Clock, Protocol):
    """A clock that also measures intervals: what terminals time their timeouts with
    (an idle visitor, a question left open), so tests can move it instead of waiting."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes back (unlike `now()` when the
        system time is corrected)."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current instant from the operating system."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """The operating system's monotonic clock, in seconds."""
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to (tests, simulations, demos)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._elapsed = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The time last set."""
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        """Seconds this clock has been moved forward (a jump back does not count)."""
        with self._lock:
            return self._elapsed

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (an aware datetime)."""
        with self._lock:
            moment = moment.astimezone(UTC)
            self._elapsed += max(0.0, (moment - self._now).total_seconds())
            self._now = moment

    def advance(self, delta: timedelta) -> None:
        """Move forward by `delta`."""
        with self._lock:
            self._now += delta
            self._elapsed += max(0.0, delta.total_seconds())
