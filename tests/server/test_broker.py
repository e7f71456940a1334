"""Fan-out costs per filter, not per listener: a commit's events are matched once per
distinct filter, and every listener of that filter gets the same batch, whose SSE
bytes are built once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from core.events import Event
from server.broker import Batch, Broker, EventFilter, sse_bytes

AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _event(seq: int, event_type: str, service_id: str = "residence") -> Event:
    return Event(seq=seq, type=event_type, at=AT, data={"n": seq}, service_id=service_id)


class CountingFilter(EventFilter):
    """An `EventFilter` that counts how often it is asked."""

    asked = 0

    def matches(self, event: Event) -> bool:
        CountingFilter.asked += 1
        return super().matches(event)


def test_each_filter_is_matched_once_per_event_and_listeners_share_one_batch() -> None:
    async def scenario() -> None:
        broker = Broker()
        broker.bind(asyncio.get_running_loop())
        calls = CountingFilter(types=frozenset({"ticket.called"}))
        everything = EventFilter()
        hall = [broker.subscribe(calls) for _ in range(100)]
        clerks = [broker.subscribe(everything) for _ in range(3)]
        events = [
            _event(1, "ticket.issued"),
            _event(2, "ticket.called"),
            _event(3, "ticket.issued"),
        ]
        CountingFilter.asked = 0
        broker.publish_threadsafe(events)
        hall_items = [await s.next(1) for s in hall]
        clerk_items = [await s.next(1) for s in clerks]
        assert CountingFilter.asked == len(events), "one filter, asked once per event"
        batches = {id(items[0]) for items in hall_items if items}
        assert len(batches) == 1 and len(hall_items[0] or []) == 1, "one shared batch"
        batch = (hall_items[0] or [])[0]
        assert isinstance(batch, Batch)
        assert [e.seq for e in batch.events] == [2]
        assert all(batch.sse() is (items or [])[0].sse() for items in hall_items)  # type: ignore[union-attr]
        assert batch.sse() == sse_bytes(events[1])
        clerk_batch = (clerk_items[0] or [])[0]
        assert isinstance(clerk_batch, Batch)
        assert [e.seq for e in clerk_batch.events] == [1, 2, 3]
        assert clerk_batch.sse() == b"".join(sse_bytes(e) for e in events)
        assert clerk_batch.sse_after(2) == sse_bytes(events[2]), "what was sent is skipped"

    asyncio.run(scenario())


def test_a_listener_that_goes_away_stops_costing_anything() -> None:
    async def scenario() -> None:
        broker = Broker()
        broker.bind(asyncio.get_running_loop())
        gone = broker.subscribe(CountingFilter())
        broker.unsubscribe(gone)
        CountingFilter.asked = 0
        broker.publish_threadsafe([_event(1, "ticket.issued")])
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert CountingFilter.asked == 0
        assert broker.subscriber_count == 0

    asyncio.run(scenario())


def test_a_listener_asleep_gets_nothing_and_times_out() -> None:
    async def scenario() -> None:
        broker = Broker()
        broker.bind(asyncio.get_running_loop())
        quiet = broker.subscribe(EventFilter(service_ids=frozenset({"council"})))
        broker.publish_threadsafe([_event(1, "ticket.issued", "residence")])
        assert await quiet.next(0.01) is None

    asyncio.run(scenario())
