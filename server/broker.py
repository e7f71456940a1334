"""Fan-out of committed events to live subscribers (the SSE streams).

The writer thread hands each commit's events to `publish_threadsafe`; they
are delivered on the event loop to every subscriber's bounded queue. A
subscriber that falls too far behind is dropped; its client reconnects with
`Last-Event-ID` and catches up from the event log, so nothing is lost.

Delivery costs per *filter*, not per listener: subscribers are grouped by their
filter (a hall of displays all asks for the same events), each commit's events
are matched once per filter into one immutable `Batch`, and that same object is
put in every subscriber's queue. Its SSE bytes are built once, by the first
stream that writes it (`Batch.sse`); every other listener writes the same bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.events import Event

QUEUE_LIMIT = 5000
"""Batches (one per commit that has events for the subscriber) a subscriber may fall
behind before it is dropped."""


def sse_bytes(event: Event) -> bytes:
    """One SSE message (`id:` the event's sequence number, `event:` its type, `data:`
    its JSON), UTF-8. Built once per event and kept on it (an event never changes)."""
    cached: bytes | None = event.__dict__.get("_sse_bytes")
    if cached is None:
        data = json.dumps(event.as_json(), ensure_ascii=False, separators=(",", ":"))
        cached = f"id: {event.seq}\nevent: {event.type}\ndata: {data}\n\n".encode()
        object.__setattr__(event, "_sse_bytes", cached)
    return cached


@dataclass(frozen=True, eq=False)
class Batch:
    """The events of one commit that match one filter, shared by its subscribers."""

    events: tuple[Event, ...]
    _sse: list[bytes] = field(default_factory=list, repr=False)

    @property
    def last_seq(self) -> int:
        """The newest event's sequence number."""
        return self.events[-1].seq

    def sse(self) -> bytes:
        """The SSE messages of every event, joined (built on first use, then shared)."""
        if not self._sse:
            self._sse.append(b"".join(sse_bytes(event) for event in self.events))
        return self._sse[0]

    def sse_after(self, seq: int) -> bytes:
        """The SSE messages of the events newer than `seq` (those not yet sent)."""
        if self.events[0].seq > seq:
            return self.sse()
        return b"".join(sse_bytes(event) for event in self.events if event.seq > seq)


@dataclass(frozen=True)
class EventFilter:
    """Which events a subscriber wants (empty sets mean all)."""

    service_ids: frozenset[str] = frozenset()
    counter_ids: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()

    def matches(self, event: Event) -> bool:
        """Events not tied to a service or counter pass the service and counter filters."""
        if self.types and not any(
            event.type == t or event.type.startswith(t + ".") for t in self.types
        ):
            return False
        if (
            self.service_ids
            and event.service_id is not None
            and event.service_id not in self.service_ids
        ):
            return False
        if self.counter_ids and event.counter_id is not None:
            return event.counter_id in self.counter_ids
        return True


class Closed:
    """Marker put in a subscriber's queue when the stream must end."""


CLOSED = Closed()


@dataclass(eq=False)
class Subscription:
    """One live listener, and the digest of the credential (session or device token)
    it was opened with: when that stops being valid, the stream is ended."""

    filter: EventFilter
    credential: str = ""
    queue: asyncio.Queue[Batch | Closed] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_LIMIT)
    )
    dropped: bool = False

    def offer(self, batch: Batch) -> None:
        """Queue a batch (already matched against this subscription's filter)."""
        if self.dropped:
            return
        try:
            self.queue.put_nowait(batch)
        except asyncio.QueueFull:
            self.dropped = True
            self._close()

    async def next(self, timeout: float) -> list[Batch | Closed] | None:
        """Everything queued, once there is something (None after `timeout` seconds of
        nothing); a `Closed` marker is last and means the stream must end."""
        try:
            async with asyncio.timeout(timeout):
                first = await self.queue.get()
        except TimeoutError:
            return None
        items = [first]
        while not isinstance(items[-1], Closed):
            try:
                items.append(self.queue.get_nowait())
            except asyncio.QueueEmpty:
                break
        return items

    def end(self) -> None:
        """End the stream now: events still queued are not sent (its credential ended)."""
        self.dropped = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(CLOSED)

    def _close(self) -> None:
        while True:
            try:
                self.queue.put_nowait(CLOSED)
                return
            except asyncio.QueueFull:
                self.queue.get_nowait()


class Broker:
    """Delivers events from the writer thread to subscribers on the event loop."""

    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()
        self._by_filter: dict[EventFilter, set[Subscription]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Use `loop` for delivery (called at start-up)."""
        self._loop = loop

    def subscribe(self, event_filter: EventFilter, credential: str = "") -> Subscription:
        """Start receiving matching events (call on the event loop)."""
        subscription = Subscription(event_filter, credential)
        if self.closed:
            subscription.queue.put_nowait(CLOSED)
        self._subscriptions.add(subscription)
        self._by_filter.setdefault(event_filter, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop receiving events."""
        self._subscriptions.discard(subscription)
        group = self._by_filter.get(subscription.filter)
        if group is not None:
            group.discard(subscription)
            if not group:
                del self._by_filter[subscription.filter]

    @property
    def subscriber_count(self) -> int:
        """How many streams are connected."""
        return len(self._subscriptions)

    def credentials(self) -> set[str]:
        """The credentials the open streams were opened with (call on the event loop)."""
        return {s.credential for s in self._subscriptions if s.credential}

    def end_streams_of(self, credentials: set[str]) -> int:
        """End every stream opened with one of these credentials (call on the event
        loop); returns how many were ended."""
        ended = 0
        for subscription in list(self._subscriptions):
            if subscription.credential in credentials:
                self.unsubscribe(subscription)
                subscription.end()
                ended += 1
        return ended

    def publish_threadsafe(self, events: Iterable[Event]) -> None:
        """Called from the writer thread after a commit."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        batch = list(events)
        # A loop shutting down refuses the call; clients resume from the log.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._deliver, batch)

    def _deliver(self, events: list[Event]) -> None:
        for event_filter, group in list(self._by_filter.items()):
            matching = tuple(event for event in events if event_filter.matches(event))
            if matching:
                batch = Batch(matching)
                for subscription in list(group):
                    subscription.offer(batch)

    def close_all(self) -> None:
        """End every stream (server shutdown); safe from any thread."""

        def close() -> None:
            self.closed = True
            for subscription in list(self._subscriptions):
                subscription._close()

        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(close)
