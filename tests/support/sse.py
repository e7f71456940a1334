"""One SSE connection to a running server, read in a thread, that does NOT reconnect:
tests see exactly when the server ends a stream."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Collection
from typing import Any

import httpx

from terminal.client import SseEvent, SseParser


def wait_until(condition: Callable[[], Any], timeout: float = 10, what: str = "condition") -> Any:
    """Poll `condition` until it is true (returns its value) or fail after `timeout`
    seconds: a generous bound for a busy machine, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class OpenStream:
    """`GET /api/v1/events` held open; `events` receives what arrives, `ended` is set
    when the server closes the stream (or the connection fails)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.url = f"{base_url}/api/v1/events"
        self.headers = {"Accept": "text/event-stream", **(headers or {})}
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"
        self.cookies = cookies or {}
        self.events: queue.Queue[SseEvent] = queue.Queue()
        self.status: int | None = None
        self.opened = threading.Event()
        self.ended = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> OpenStream:
        self._thread.start()
        if not self.opened.wait(10):
            raise AssertionError("the event stream did not answer")
        return self

    def _run(self) -> None:
        try:
            # The read timeout only lets the thread notice stop(); heartbeats come
            # every second on test servers.
            timeout = httpx.Timeout(10, read=5)
            with (
                httpx.Client(cookies=self.cookies, timeout=timeout) as client,
                client.stream("GET", self.url, headers=self.headers) as response,
            ):
                self.status = response.status_code
                self.opened.set()
                if response.status_code != 200:
                    return
                parser = SseParser()
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    event = parser.feed(line)
                    if event is not None:
                        self.events.put(event)
        except httpx.HTTPError:
            pass
        finally:
            self.opened.set()
            self.ended.set()

    def next_event(self, timeout: float = 10) -> SseEvent:
        """The next event, or fail after `timeout` seconds."""
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no event arrived on the stream") from None

    def next_event_past(self, passing: Collection[str], timeout: float = 10) -> SseEvent:
        """The next event whose type is not in `passing` (such as admin changes logged
        meanwhile), or fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next_event(max(0.0, deadline - time.monotonic()))
            if event.event not in passing:
                return event

    def wait_ended(self, timeout: float = 10) -> None:
        """Wait (with a generous bound) for the server to end the stream."""
        if not self.ended.wait(timeout):
            raise AssertionError("the server did not end the event stream")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def __enter__(self) -> OpenStream:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
