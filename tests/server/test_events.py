"""The live event stream: delivery, resume without loss or repetition, filters, heartbeat."""

from __future__ import annotations

import queue
import time

import httpx

from terminal.client import EventStream, SseEvent, parse_sse
from tests.conftest import Staff
from tests.support.running_server import RunningServer


def collect(
    server: RunningServer, token: str, **kwargs
) -> tuple[EventStream, queue.Queue[SseEvent]]:
    received: queue.Queue[SseEvent] = queue.Queue()
    connected = queue.Queue()
    stream = EventStream(server.url, token, received.put, on_connection=connected.put, **kwargs)
    stream.start()
    assert connected.get(timeout=5) is True
    return stream, received


def next_events(received: queue.Queue[SseEvent], count: int, timeout: float = 5) -> list[SseEvent]:
    return [received.get(timeout=timeout) for _ in range(count)]


def prepared(server: RunningServer, staff: Staff) -> int:
    """Add the people and devices a test uses before its stream opens (each addition is
    an event of its own); returns the last event of the log then."""
    staff.display, staff.kiosk, staff.clerk("c1")
    return server.log_end()


def test_issue_and_call_next_arrive_on_the_stream(server: RunningServer, staff: Staff) -> None:
    base = prepared(server, staff)
    stream, received = collect(server, staff.display)
    try:
        with server.client(staff.kiosk) as kiosk:
            ticket = kiosk.post("/tickets", json={"service_id": "residence"}).json()
        with server.client(staff.clerk("c1")) as clerk:
            clerk.post("/counters/c1/open").raise_for_status()
            clerk.post("/counters/c1/call-next").raise_for_status()
        issued, opened, called = next_events(received, 3)
    finally:
        stream.stop()
    assert (issued.event, opened.event, called.event) == (
        "ticket.issued",
        "counter.opened",
        "ticket.called",
    )
    assert [issued.id, opened.id, called.id] == [base + 1, base + 2, base + 3]
    payload = called.json()
    assert payload["ticket"]["number"] == ticket["number"] == "A001"
    assert payload["ticket"]["counter_id"] == "c1" and payload["counter_label"] == "1"
    assert payload["seq"] == base + 3 and payload["type"] == "ticket.called"


def test_resume_with_last_event_id_yields_exactly_the_missed_events(
    server: RunningServer, staff: Staff
) -> None:
    base = prepared(server, staff)
    with server.client(staff.kiosk) as kiosk:
        for _ in range(3):
            kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
        # A client that saw the first two tickets' events reconnects; it must get the
        # third's and the next four, each once.
        stream, received = collect(server, staff.display, last_event_id=base + 2)
        try:
            for _ in range(4):
                kiosk.post("/tickets", json={"service_id": "certificates"}).raise_for_status()
            events = next_events(received, 5)
            time.sleep(0.3)
            assert received.empty(), "an event was delivered twice"
        finally:
            stream.stop()
    assert [e.id - base for e in events] == [3, 4, 5, 6, 7]
    assert [e.json()["ticket"]["number"] for e in events] == [
        "A003",
        "C001",
        "C002",
        "C003",
        "C004",
    ]


def test_stream_reconnects_and_resumes_after_the_connection_drops(
    server: RunningServer, staff: Staff
) -> None:
    base = prepared(server, staff)
    stream, received = collect(server, staff.display)
    try:
        with server.client(staff.kiosk) as kiosk:
            kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
            assert next_events(received, 1)[0].id == base + 1
            server.ctx.broker.close_all()  # the server ends every stream
            server.ctx.broker.closed = False
            kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
            kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
            events = next_events(received, 2)
    finally:
        stream.stop()
    assert [e.id - base for e in events] == [2, 3]


def test_filters_by_service_and_counter(server: RunningServer, staff: Staff) -> None:
    prepared(server, staff)
    stream, received = collect(server, staff.display, params={"service": "certificates"})
    try:
        with server.client(staff.kiosk) as kiosk:
            kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
            kiosk.post("/tickets", json={"service_id": "certificates"}).raise_for_status()
        event = next_events(received, 1)[0]
        assert event.json()["ticket"]["number"] == "C001"
    finally:
        stream.stop()


def test_heartbeat_comments_keep_idle_streams_alive(server: RunningServer, staff: Staff) -> None:
    lines: list[str] = []
    with (
        httpx.Client(timeout=5) as http,
        http.stream(
            "GET",
            f"{server.url}/api/v1/events",
            headers={"Authorization": f"Bearer {staff.display}"},
        ) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        started = time.monotonic()
        for line in response.iter_lines():
            lines.append(line)
            if line == ": heartbeat" or time.monotonic() - started > 4:
                break
    assert ": heartbeat" in lines


def test_sse_parser_handles_multi_line_data_and_comments() -> None:
    raw = ["retry: 500", ": hello", "id: 7", "event: x", 'data: {"a":', "data: 1}", "", ""]
    events = list(parse_sse(raw))
    assert len(events) == 1
    assert (events[0].id, events[0].event, events[0].json()) == (7, "x", {"a": 1})
