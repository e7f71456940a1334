"""The terminals' event stream notices a link that went silent (open, passing nothing).

A real server, a real proxy between it and the client whose open event streams
can be made to pass no more data, and an injected monotonic clock for the
silence limit (the server's own heartbeat runs on real time, every second here).
"""

from __future__ import annotations

import queue

from terminal.client import EventStream, SseEvent
from tests.conftest import Staff
from tests.support.flaky_proxy import FlakyProxy
from tests.support.manual_monotonic import ManualMonotonic
from tests.support.running_server import RunningServer


def wait_for(predicate, timeout: float = 10.0, what: str = "") -> None:
    """Poll `predicate` (real time only bounds the wait; nothing depends on speed)."""
    import threading

    done = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        done.wait(0.02)
    raise AssertionError(f"timed out waiting for {what or predicate}")


def test_a_silent_stream_is_cut_after_two_heartbeats_and_resumes_without_loss(
    server: RunningServer, staff: Staff
) -> None:
    clock = ManualMonotonic()
    received: queue.Queue[SseEvent] = queue.Queue()
    connections: queue.Queue[bool] = queue.Queue()
    display, kiosk_token = staff.display, staff.kiosk  # devices added (logged) beforehand
    start = server.log_end()
    with FlakyProxy(server.port) as proxy:
        stream = EventStream(
            proxy.url,
            display,
            received.put,
            on_connection=connections.put,
            last_event_id=start,
            clock=clock,
            watch_interval=0.02,
        )
        stream.start()
        try:
            assert connections.get(timeout=5) is True
            # The test server sends a heartbeat every second and says so.
            assert stream.silence_limit == 2.0
            assert proxy.silence_event_streams() == 1
            with server.client(kiosk_token) as kiosk:
                kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
            clock.advance(1.9)
            assert not stream.check_silence(), "under two heartbeats is not yet silence"
            assert received.empty(), "the silenced link passed the event"
            clock.advance(0.2)
            assert connections.get(timeout=5) is False, "the silent link is given up"
            assert connections.get(timeout=5) is True, "and a new one opened"
            issued = received.get(timeout=5)
            assert (issued.event, issued.id) == ("ticket.issued", start + 1), "the missed event"
            assert stream.silent_drops == 1
            # The new connection is live: the next event arrives without any clock move.
            with server.client(kiosk_token) as kiosk:
                kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
            assert received.get(timeout=5).id == start + 2
        finally:
            stream.stop()


def test_silence_counts_from_the_last_heartbeat_not_from_connecting(
    server: RunningServer, staff: Staff
) -> None:
    clock = ManualMonotonic()
    connections: queue.Queue[bool] = queue.Queue()
    stream = EventStream(
        server.url, staff.display, lambda event: None, on_connection=connections.put, clock=clock
    )
    stream.start()
    try:
        assert connections.get(timeout=5) is True
        for _ in range(3):  # 4.5 s by the clock in all, never 2 s without a heartbeat
            clock.advance(1.5)
            heard_at = clock()
            wait_for(lambda: stream._last_data_at == heard_at, what="a heartbeat")  # noqa: B023
            assert not stream.check_silence()
        assert stream.connected and stream.silent_drops == 0 and connections.empty()
    finally:
        stream.stop()
