"""What the hall display shows, as a pure reducer: `reduce(state, event) -> state`.

Events are the server's event log entries as wire views (`core.wire.events.EventView`);
a `Snapshot` (the `GET /queue` answer with the catalogue, as wire views) replaces what it
covers. No Kivy, no clock reads: the board is tested on its own, and the Kivy screen
only draws a `BoardState`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from core import events as ev
from core.model import TicketStatus
from core.wire.event_data import TickerData, TicketData
from core.wire.events import EventView
from core.wire.payloads import CentreView, CounterView, QueueView, ServiceView

RECENT_CALLS = 8
LEAVES_CURRENT = frozenset(
    {
        ev.TICKET_STARTED,
        ev.TICKET_FINISHED,
        ev.TICKET_NO_SHOW,
        ev.TICKET_PARKED,
        ev.TICKET_TRANSFERRED,
        ev.TICKET_CANCELLED,
        ev.TICKET_EXPIRED,
    }
)
"""Once the visitor reached the counter (or the call ended otherwise) it leaves the
"now calling" area; it stays in the recent calls."""
WAITING_DELTA = {ev.TICKET_ISSUED: 1, ev.TICKET_CALLED: -1, ev.TICKET_REACTIVATED: 1}
"""Immediate changes to waiting counts; the next snapshot (fetched after every event)
settles the rest (cancellations, transfers) together with the estimates."""


@dataclass(frozen=True)
class Zone:
    """The counters and services a display is limited to (empty: all)."""

    counter_ids: frozenset[str] = frozenset()
    service_ids: frozenset[str] = frozenset()

    def shows_counter(self, counter_id: str | None) -> bool:
        return not self.counter_ids or counter_id in self.counter_ids

    def shows_service(self, service_id: str | None) -> bool:
        return not self.service_ids or service_id in self.service_ids

    def shows_call(self, counter_id: str | None, service_id: str | None) -> bool:
        return self.shows_counter(counter_id) and self.shows_service(service_id)


@dataclass(frozen=True)
class Call:
    """A ticket called to a counter."""

    ticket_id: str
    number: str
    counter_id: str
    counter_label: str
    service_id: str
    at: datetime
    """When it was called (a recall calls again: a new time)."""
    seq: int
    recall: bool = False
    recalls: int = 0
    """How many times the ticket had been recalled (0 for its first call)."""

    @property
    def key(self) -> tuple[str, datetime, int]:
        """Which call this is, whichever path brought it (an event or a snapshot)."""
        return (self.ticket_id, self.at, self.recalls)


@dataclass(frozen=True)
class CounterPlace:
    """Where a counter is, as the hall is told: `4. kabinets`, `2. stāvs`."""

    label: str
    name: Mapping[str, str] = field(default_factory=dict)
    area: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceLine:
    """Waiting figures of one service."""

    service_id: str
    name: Mapping[str, str]
    waiting: int
    estimate_seconds: int | None
    """None when no open counter serves the service now."""
    unavailable_reason: str | None = None
    """Why no ticket can be taken now (an error code such as `daily_cap_reached`)."""
    counters_open: int | None = None
    estimate_range_seconds: tuple[int, int] | None = None
    """The 80 % range the server tells with the estimate, once it has learnt one."""


@dataclass(frozen=True)
class BoardState:
    """Everything on the board."""

    seq: int = 0
    current: tuple[Call, ...] = ()
    """Tickets called and not yet at their counter, newest first."""
    recent: tuple[Call, ...] = ()
    """The last calls, newest first."""
    services: tuple[ServiceLine, ...] = ()
    ticker: str = ""
    is_open: bool = True
    opens_at: datetime | None = None
    centre_name: Mapping[str, str] = field(default_factory=dict)
    centre_languages: tuple[str, ...] = ()
    counter_labels: Mapping[str, str] = field(default_factory=dict)
    counter_places: Mapping[str, CounterPlace] = field(default_factory=dict)
    service_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def newest(self) -> Call | None:
        """The call to emphasise."""
        return self.current[0] if self.current else None


@dataclass(frozen=True)
class Snapshot:
    """A full picture from `GET /queue` (plus the catalogue for names)."""

    queue: QueueView
    services: tuple[ServiceView, ...] = ()
    counters: tuple[CounterView, ...] = ()
    centre: CentreView | None = None


def reduce(state: BoardState, item: EventView | Snapshot, zone: Zone = Zone()) -> BoardState:
    """The board after one event (or snapshot)."""
    if isinstance(item, Snapshot):
        return _apply_snapshot(state, item, zone)
    if item.seq <= state.seq:
        return state  # already applied (a replay after reconnecting)
    state = replace(state, seq=item.seq)
    data = item.data
    if isinstance(data, TickerData):
        return replace(state, ticker=data.text)
    if not isinstance(data, TicketData):
        return state
    if item.type in ev.CALL_EVENTS:
        state = _apply_call(state, item, data, zone)
    if item.type in LEAVES_CURRENT:
        state = replace(
            state, current=tuple(c for c in state.current if c.ticket_id != data.ticket.id)
        )
    if item.type in WAITING_DELTA:
        state = _adjust_waiting(state, item.service_id, WAITING_DELTA[item.type])
    return state


def _call_from(event: EventView, data: TicketData, state: BoardState) -> Call:
    ticket = data.ticket
    counter_id = ticket.counter_id or ""
    return Call(
        ticket_id=ticket.id,
        number=ticket.number,
        counter_id=counter_id,
        counter_label=data.counter_label or state.counter_labels.get(counter_id, counter_id),
        service_id=ticket.service_id,
        at=ticket.called_at or event.at,
        seq=event.seq,
        recall=event.type == ev.TICKET_RECALLED,
        recalls=ticket.recall_count,
    )


def _apply_call(state: BoardState, event: EventView, data: TicketData, zone: Zone) -> BoardState:
    call = _call_from(event, data, state)
    if not zone.shows_call(call.counter_id, call.service_id):
        return state
    # One current call per counter and per ticket: the newest replaces older ones.
    current = tuple(
        c
        for c in state.current
        if c.counter_id != call.counter_id and c.ticket_id != call.ticket_id
    )
    # Each ticket is listed once; a recall moves it back to the top.
    recent = tuple(c for c in state.recent if c.ticket_id != call.ticket_id)
    return replace(
        state,
        current=(call, *current),
        recent=(call, *recent)[:RECENT_CALLS],
    )


def _adjust_waiting(state: BoardState, service_id: str | None, delta: int) -> BoardState:
    lines = tuple(
        replace(line, waiting=max(0, line.waiting + delta))
        if line.service_id == service_id
        else line
        for line in state.services
    )
    return replace(state, services=lines)


def _told_range(value: object) -> tuple[int, int] | None:
    """`estimated_wait_range_seconds` of a `/queue` row (`[low, high]` or null)."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None


def _apply_snapshot(state: BoardState, snapshot: Snapshot, zone: Zone) -> BoardState:
    queue = snapshot.queue
    labels = dict(state.counter_labels)
    labels.update({c.id: c.label for c in snapshot.counters})
    labels.update({c.id: c.label for c in queue.counters})
    places = dict(state.counter_places)
    for counter in (*snapshot.counters, *queue.counters):
        places[counter.id] = CounterPlace(
            label=counter.label, name=counter.name.as_dict(), area=counter.area.as_dict()
        )
    names = dict(state.service_names)
    names.update({s.id: s.name.as_dict() for s in snapshot.services})
    lines = tuple(
        ServiceLine(
            service_id=row.service_id,
            name=names.get(row.service_id, {"lv": row.service_id}),
            waiting=row.waiting,
            estimate_seconds=row.estimated_wait_seconds,
            unavailable_reason=row.unavailable_reason,
            counters_open=row.counters_open,
            estimate_range_seconds=_told_range(row.estimated_wait_range_seconds),
        )
        for row in queue.services
        if zone.shows_service(row.service_id)
    )
    current = state.current
    recent = state.recent
    if queue.seq >= state.seq:
        current = _current_from_snapshot(queue, labels, zone)
        recent = _recent_from_snapshot(queue, zone) or state.recent
    centre = snapshot.centre
    return replace(
        state,
        seq=max(state.seq, queue.seq),
        current=current,
        recent=recent,
        services=lines,
        ticker=queue.ticker,
        is_open=queue.centre.is_open,
        opens_at=queue.centre.opens_at,
        centre_name=centre.name.as_dict() if centre else state.centre_name,
        centre_languages=centre.languages if centre else state.centre_languages,
        counter_labels=labels,
        counter_places=places,
        service_names=names,
    )


def _current_from_snapshot(
    queue: QueueView, labels: Mapping[str, str], zone: Zone
) -> tuple[Call, ...]:
    calls = []
    for counter in queue.counters:
        ticket = counter.current
        if ticket is None or ticket.status != TicketStatus.CALLED or ticket.called_at is None:
            continue
        if not zone.shows_call(counter.id, ticket.service_id):
            continue
        calls.append(
            Call(
                ticket_id=ticket.id,
                number=ticket.number,
                counter_id=counter.id,
                counter_label=labels.get(counter.id, counter.id),
                service_id=ticket.service_id,
                at=ticket.called_at,
                seq=queue.seq,
                recall=ticket.recall_count > 0,
                recalls=ticket.recall_count,
            )
        )
    # Newest first: the server lists recent calls in call order, newest first.
    order = {row.ticket_id: index for index, row in reversed(list(enumerate(queue.recent_calls)))}
    return tuple(
        sorted(calls, key=lambda c: (order.get(c.ticket_id, len(order)), -c.at.timestamp()))
    )


def _recent_from_snapshot(queue: QueueView, zone: Zone) -> tuple[Call, ...]:
    calls = [
        Call(
            ticket_id=row.ticket_id,
            number=row.number,
            counter_id=row.counter_id,
            counter_label=row.counter_label,
            service_id=row.service_id,
            at=row.at,
            seq=0,
            recall=row.recall,
        )
        for row in queue.recent_calls
        if zone.shows_call(row.counter_id, row.service_id)
    ]
    # The server lists a recall beside the call it repeats; show each ticket once.
    unique: list[Call] = []
    for call in calls:
        if all(c.ticket_id != call.ticket_id for c in unique):
            unique.append(call)
    return tuple(unique[:RECENT_CALLS])


def reduce_all(
    state: BoardState, items: Iterable[EventView | Snapshot], zone: Zone = Zone()
) -> BoardState:
    """Apply several events in order."""
    for item in items:
        state = reduce(state, item, zone)
    return state


def new_calls(before: BoardState, after: BoardState) -> tuple[Call, ...]:
    """Calls on the board `after` that were not on it `before`, oldest first.

    The one rule for what to announce: a call is announced when it first reaches
    the board, whichever path brought it (a live event, a replay after
    reconnecting, or a queue snapshot), so a call is neither missed nor repeated.
    """
    seen = {call.key for call in before.current}
    return tuple(call for call in reversed(after.current) if call.key not in seen)


@dataclass(frozen=True)
class Announcement:
    """A call to read aloud (a recall is read again)."""

    number: str
    counter_id: str
    counter_label: str
    seq: int
    recall: bool
    at: datetime | None = None

    @classmethod
    def of(cls, call: Call) -> Announcement:
        """The announcement of a call on the board."""
        return cls(
            number=call.number,
            counter_id=call.counter_id,
            counter_label=call.counter_label,
            seq=call.seq,
            recall=call.recall,
            at=call.at,
        )
