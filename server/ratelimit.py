"""A small sliding-window rate limiter (application status lookups), and the error
every limit raises (answered with 429 and `Retry-After`)."""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta

from core.errors import RindaError


class TooManyAttempts(RindaError):
    """Too many attempts in a short time; `retry_after` says how many whole seconds
    to wait (sent as the `Retry-After` header, RFC 9110 section 10.2.3)."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def whole_seconds(wait: timedelta) -> int:
    """A wait rounded up to whole seconds, at least 1 (what `Retry-After` carries)."""
    return max(1, math.ceil(wait.total_seconds()))


class RateLimiter:
    """Allows `limit` attempts per key within `window`."""

    def __init__(self, limit: int, window: timedelta = timedelta(minutes=1)) -> None:
        self.limit = limit
        self.window = window
        self._attempts: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: datetime) -> None:
        """Count an attempt; raise `TooManyAttempts` when over the limit."""
        with self._lock:
            attempts = self._recent(key, now)
            attempts.append(now)
            if len(self._attempts) > 10000:
                self._forget_idle(now)

    def check(self, key: str, now: datetime) -> None:
        """Raise `TooManyAttempts` when the key is over its limit, without counting
        (for limits that count only failures: `check` first, `hit` on a failure)."""
        with self._lock:
            self._recent(key, now, counting=False)

    def _recent(self, key: str, now: datetime, *, counting: bool = True) -> deque[datetime]:
        attempts = self._attempts.setdefault(key, deque())
        while attempts and now - attempts[0] >= self.window:
            attempts.popleft()
        if len(attempts) >= self.limit:
            wait = whole_seconds(attempts[0] + self.window - now)
            raise TooManyAttempts(f"Too many attempts; try again in {wait} seconds.", wait)
        return attempts

    def _forget_idle(self, now: datetime) -> None:
        for key in [k for k, v in self._attempts.items() if not v or now - v[-1] >= self.window]:
            del self._attempts[key]
