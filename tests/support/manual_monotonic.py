"""A monotonic clock (seconds) that moves only when a test says so."""

from __future__ import annotations

import threading


class ManualMonotonic:
    """Callable like `time.monotonic`; `advance(seconds)` moves it."""

    def __init__(self, start: float = 1000.0) -> None:
        self._value = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._value

    def advance(self, seconds: float) -> None:
        """Move forward by `seconds`."""
        with self._lock:
            self._value += seconds
