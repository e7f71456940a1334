"""A small sliding-window rate limiter (logins, application status lookups)."""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

from core.errors import RindaError


class TooManyAttempts(RindaError):
    """Too many attempts in a short time; try again later."""

    code = "too_many_attempts"


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
            attempts = self._attempts.setdefault(key, deque())
            while attempts and now - attempts[0] >= self.window:
                attempts.popleft()
            if len(attempts) >= self.limit:
                wait = int((attempts[0] + self.window - now).total_seconds()) + 1
                raise TooManyAttempts(f"Too many attempts; try again in {wait} seconds.")
            attempts.append(now)
            if len(self._attempts) > 10000:
                self._forget_idle(now)

    def _forget_idle(self, now: datetime) -> None:
        for key in [k for k, v in self._attempts.items() if not v or now - v[-1] >= self.window]:
            del self._attempts[key]
