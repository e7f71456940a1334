"""The play-through of `core.estimate`, kept between events instead of replayed.

A new ticket's estimate is the instant the play-through calls it (`simulate` with the
ticket added, `estimate_new_ticket`). Two facts make most of that play-through
reusable from one issue to the next:

- `choose_next` only ever takes the *head* of a lane (a service's priority or normal
  tickets, or those sent to one counter), and
- a new ticket joins its lane at the tail.

So the play-through with a new ticket in lane L is step for step the play-through
without it until L's last waiting ticket has been called: before that, L's head is
the same in both. A `Play` keeps, per lane, the state of the play-through just after
that step (a checkpoint: counters' free times, lane heads, forecast arrivals, calls
counted). An estimate resumes from its lane's checkpoint and plays only the few
steps until the new ticket is called; when the ticket is then issued, the resumed
state is the new checkpoint of its lane, and the checkpoints of lanes emptied
*later* in the play-through are dropped (found again, lazily, by playing on from the
furthest state still valid). The cost per issue no longer grows with the queue.

Exactness: `Play.estimate` equals `estimate_new_ticket` on the same queue with the
same inputs (`Basis`: the instant the play-through starts at, open counters,
expected durations, arrival forecast), the new ticket issued at `asked_at`
(`tests/core/test_play.py` checks it on random event sequences). The lanes are
*views* of the live `QueueBook`'s lists (a head index, plus visitors the
play-through added), never copies; the caller tells the `Play` of every ticket
added (`added`) and starts a new one at any other change to the queue.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import overload

from core.estimate import (
    MAX_SIMULATED_CALLS,
    ArrivalForecast,
    NewTicketEstimate,
    OpenCounter,
    _Arrivals,
    _extrapolate,
    _virtual_ticket,
    estimate_new_ticket,
    people_ahead_in_service,
    remaining_time,
)
from core.model import QueuePolicy, Service, Ticket
from core.routing import QueueBook, ServiceQueue, choose_next

LaneKey = tuple[str, str, bool]
"""("service", service id, is priority), ("booked", service id, False) for checked-in
appointments, or ("counter", counter id, False)."""


def lane_key(ticket: Ticket) -> LaneKey:
    """The lane of the queue book a waiting ticket is in."""
    if ticket.target_counter_id is not None:
        return ("counter", ticket.target_counter_id, False)
    if ticket.appointment_at is not None:
        return ("booked", ticket.service_id, False)
    return ("service", ticket.service_id, ticket.is_priority)


class _Lane(Sequence[Ticket]):
    """A lane as the play-through sees it: the live lane from `start` on, merged in
    queue order with the visitors the play-through added (`extra`, kept sorted)."""

    __slots__ = ("extra", "live", "start")

    def __init__(self, live: list[Ticket], start: int = 0, extra: list[Ticket] | None = None):
        self.live = live
        self.start = start
        self.extra = extra if extra is not None else []

    def copy(self) -> _Lane:
        return _Lane(self.live, self.start, list(self.extra))

    def real_left(self) -> bool:
        """Whether tickets of the live lane are still waiting in the play-through."""
        return self.start < len(self.live)

    def _merged(self) -> Iterator[Ticket]:
        live, extra = self.live, self.extra
        i, j = self.start, 0
        while i < len(live) or j < len(extra):
            if j >= len(extra) or (i < len(live) and live[i].order_key <= extra[j].order_key):
                yield live[i]
                i += 1
            else:
                yield extra[j]
                j += 1

    def __len__(self) -> int:
        return len(self.live) - self.start + len(self.extra)

    @overload
    def __getitem__(self, index: int) -> Ticket: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Ticket]: ...
    def __getitem__(self, index: int | slice) -> Ticket | Sequence[Ticket]:
        if index == 0:  # the head: all routing asks for
            live, extra = self.live, self.extra
            if self.start < len(live):
                head = live[self.start]
                return extra[0] if extra and extra[0].order_key < head.order_key else head
            if extra:
                return extra[0]
            raise IndexError(index)
        return list(self._merged())[index]

    def add(self, ticket: Ticket) -> None:
        bisect.insort(self.extra, ticket, key=lambda t: t.order_key)

    def remove_head(self, ticket: Ticket) -> None:
        if self.extra and self.extra[0] is ticket:
            del self.extra[0]
        elif self.start < len(self.live) and self.live[self.start] is ticket:
            self.start += 1
        else:
            raise KeyError(ticket.id)  # routing only ever takes heads


@dataclass
class _ServiceLanes:
    priority: _Lane
    normal: _Lane
    booked: _Lane


class _Book:
    """The queue book of a play-through: lane views (`QueueBook`'s shape for routing)."""

    def __init__(self, lanes: dict[LaneKey, _Lane]) -> None:
        self.lanes = lanes
        self.by_service: dict[str, _ServiceLanes] = {}
        self.by_counter: dict[str, _Lane] = {}
        services: dict[str, dict[str, _Lane]] = {}
        for (kind, ident, is_priority), lane in lanes.items():
            if kind == "counter":
                self.by_counter[ident] = lane
            else:
                name = "booked" if kind == "booked" else "priority" if is_priority else "normal"
                services.setdefault(ident, {})[name] = lane
        for service_id, named in services.items():
            self.by_service[service_id] = _ServiceLanes(
                named["priority"], named["normal"], named["booked"]
            )

    def copy(self) -> _Book:
        return _Book({key: lane.copy() for key, lane in self.lanes.items()})

    def add(self, ticket: Ticket) -> None:
        """A visitor the play-through adds (forecast, or the ticket being estimated)."""
        self.lanes[lane_key(ticket)].add(ticket)

    def remove(self, ticket: Ticket) -> None:
        self.lanes[lane_key(ticket)].remove_head(ticket)


@dataclass
class _State:
    """The play-through after `step` turns of its loop (`core.estimate.simulate`)."""

    book: _Book
    free_at: list[tuple[datetime, int]]
    arrivals: _Arrivals
    step: int = 0
    calls: int = 0
    """Every call, forecast visitors' too (bounded by `MAX_SIMULATED_CALLS`)."""
    real_calls: int = 0
    called: dict[str, int] | None = None
    """Real tickets called so far, per service."""
    over: bool = False
    """The loop has ended (the queue was played through, or it hit a bound)."""

    def copy(self) -> _State:
        return _State(
            self.book.copy(),
            list(self.free_at),
            self.arrivals.copy(),
            self.step,
            self.calls,
            self.real_calls,
            dict(self.called or {}),
            self.over,
        )


@dataclass(frozen=True)
class Basis:
    """What a play-through is computed from, fixed while it is kept."""

    at: datetime
    """The instant it starts at."""
    counters: Sequence[OpenCounter]
    durations: Mapping[str, timedelta]
    forecast: ArrivalForecast | None
    services: Mapping[str, Service]
    policy: QueuePolicy


@dataclass
class _Pending:
    """The resumed state of the last estimate, to become its lane's checkpoint when its
    ticket is issued (and the checkpoints of lanes emptied on the way)."""

    key: LaneKey
    virtual: Ticket
    asked_at: datetime
    added: int
    state: _State
    passed: dict[LaneKey, _State]


class Play:
    """The play-through of one queue book from one `Basis`, kept up to date as tickets
    join it (mutable; owned by one thread)."""

    def __init__(self, basis: Basis, book: QueueBook) -> None:
        self.basis = basis
        self.book = book
        for service_id in basis.services:  # every service lane exists (views hold them)
            book.by_service.setdefault(service_id, ServiceQueue())
        lanes: dict[LaneKey, _Lane] = {}
        for service_id, queue in book.by_service.items():
            lanes[("service", service_id, True)] = _Lane(queue.priority)
            lanes[("service", service_id, False)] = _Lane(queue.normal)
            lanes[("booked", service_id, False)] = _Lane(queue.booked)
        for counter_id, lane in book.by_counter.items():
            lanes[("counter", counter_id, False)] = _Lane(lane)
        free_at: list[tuple[datetime, int]] = []
        for index, open_counter in enumerate(basis.counters):
            busy = timedelta(0)
            if open_counter.current is not None:
                duration = basis.durations.get(open_counter.current.service_id, _TEN_MINUTES)
                busy = remaining_time(open_counter.current, duration, basis.at)
            free_at.append((basis.at + busy, index))
        heapq.heapify(free_at)
        start = _State(_Book(lanes), free_at, _Arrivals(basis.forecast, basis.at), called={})
        self._start = start
        self._checkpoints: dict[LaneKey, _State] = {
            key: start for key, lane in lanes.items() if not lane.real_left()
        }
        self._never: set[LaneKey] = set()
        """Lanes the play-through never empties (it ends or hits a bound first)."""
        self._frontier = start.copy()
        self._added = 0
        self._pending: _Pending | None = None

    # -- the queue changed ---------------------------------------------------------

    def accepts(self, ticket: Ticket) -> bool:
        """Whether `ticket` (just added to the live book) joined its lane at the tail,
        the one change a kept play-through follows (call `added` then)."""
        queue = self.book.by_service.get(ticket.service_id)
        if queue is None or ticket.target_counter_id is not None:
            return False
        if ticket.appointment_at is not None:
            return False  # booked tickets are placed by booked time: play afresh
        live = queue.lane(ticket)
        return bool(live) and live[-1] is ticket

    def added(self, ticket: Ticket) -> None:
        """`ticket` has joined the live book at the tail of its lane (`accepts`)."""
        key = lane_key(ticket)
        self._added += 1
        pending, self._pending = self._pending, None
        diverges = self._checkpoints.get(key)
        if diverges is None:
            self._advance_until(key)  # find where the lane emptied before this ticket
            diverges = self._checkpoints.get(key)
        if diverges is None:  # the lane never empties: nothing of the play changes
            return
        self._drop_after(diverges.step)
        del self._checkpoints[key]
        if (
            pending is not None
            and pending.key == key
            and pending.asked_at == ticket.issued_at
            and pending.added == self._added - 1
        ):
            # The estimate played exactly this ticket's call: keep what it found.
            pending.state.book.lanes[key].start += 1  # the call was of this ticket
            for passed_key, state in pending.passed.items():
                # Before its call, the estimated visitor stood where the ticket now is.
                state.book.lanes[key].extra.remove(pending.virtual)
                if passed_key not in self._checkpoints:
                    self._checkpoints[passed_key] = state
            self._checkpoints[key] = pending.state
            self._frontier = pending.state.copy()
        else:
            self._frontier = diverges.copy()

    def _drop_after(self, step: int) -> None:
        self._checkpoints = {k: s for k, s in self._checkpoints.items() if s.step <= step}
        self._never.clear()

    # -- estimates -------------------------------------------------------------------

    def estimate(self, service_id: str, is_priority: bool, asked_at: datetime) -> NewTicketEstimate:
        """What `estimate_new_ticket` says for a ticket issued at `asked_at` (not before
        any ticket of its lane), played from this play-through's `Basis`."""
        basis = self.basis
        virtual = _virtual_ticket(service_id, is_priority, asked_at)
        key = lane_key(virtual)
        self._pending = None
        serving = [oc for oc in basis.counters if service_id in oc.counter.profile.service_ids]
        if not serving:
            return NewTicketEstimate(None, people_ahead_in_service(virtual, self.book))
        live = self.book.by_service[service_id].lane(virtual)
        if asked_at < basis.at or (live and live[-1].order_key > virtual.order_key):
            # Not at its lane's tail: the kept play-through does not apply; replay.
            return estimate_new_ticket(
                service_id,
                is_priority,
                basis.counters,
                self.book,
                basis.services,
                basis.durations,
                basis.at,
                basis.policy,
                basis.forecast,
                asked_at=asked_at,
            )
        if key not in self._checkpoints and key not in self._never:
            self._advance_until(key)
        checkpoint = self._checkpoints.get(key)
        if checkpoint is None:  # never called within the play-through's bound
            return NewTicketEstimate(
                _extrapolate(service_id, serving, self.book, basis.durations),
                people_ahead_in_service(virtual, self.book),
            )
        state = checkpoint.copy()
        state.book.add(virtual)
        passed: dict[LaneKey, _State] = {}
        called = self._run(state, passed, stop=virtual, extra_real=1)
        if called is None:
            return NewTicketEstimate(
                _extrapolate(service_id, serving, self.book, basis.durations),
                people_ahead_in_service(virtual, self.book),
            )
        moment, ahead = called
        self._pending = _Pending(key, virtual, asked_at, self._added, state, passed)
        return NewTicketEstimate(max(moment - asked_at, timedelta(0)), ahead)

    def _advance_until(self, key: LaneKey) -> None:
        """Play on from the furthest state until lane `key` empties (or the play ends)."""
        frontier = self._frontier
        while key not in self._checkpoints and not frontier.over:
            self._run(frontier, self._checkpoints, stop=None, extra_real=0, until=key)
        if key not in self._checkpoints:
            self._never.add(key)

    def _run(
        self,
        state: _State,
        passed: dict[LaneKey, _State],
        *,
        stop: Ticket | None,
        extra_real: int,
        until: LaneKey | None = None,
    ) -> tuple[datetime, int] | None:
        """Turns of `simulate`'s loop on `state` (in place). Records in `passed` the
        state after each step that empties a lane of live tickets. Returns when `stop`
        was called (its moment and the tickets of its service called before it), when
        lane `until` empties, or None when the play ends."""
        basis = self.basis
        counters, durations = basis.counters, basis.durations
        book, arrivals, free_at = state.book, state.arrivals, state.free_at
        called = state.called if state.called is not None else {}
        state.called = called
        total = len(self.book) + extra_real
        while free_at and state.calls < MAX_SIMULATED_CALLS and state.real_calls < total:
            state.step += 1
            moment, index = heapq.heappop(free_at)
            available = counters[index].available_from(moment)
            if available is None:
                continue
            if available != moment:
                heapq.heappush(free_at, (available, index))
                continue
            counter = counters[index].counter
            arrivals.admit(book, moment)
            ticket = choose_next(counter, book, basis.services, moment, basis.policy)
            if ticket is None:
                wake = arrivals.next_for(counter.profile.service_ids)
                if wake is not None:
                    heapq.heappush(free_at, (wake, index))
                continue
            book.remove(ticket)
            state.calls += 1
            duration = durations.get(ticket.service_id, _TEN_MINUTES)
            heapq.heappush(free_at, (moment + duration, index))
            if ticket.id.startswith("~forecast"):
                arrivals.called(ticket.id)
                continue
            state.real_calls += 1
            ahead = called.get(ticket.service_id, 0)
            called[ticket.service_id] = ahead + 1
            if ticket is stop:
                return moment, ahead
            key = lane_key(ticket)
            if not book.lanes[key].real_left() and key not in passed:
                passed[key] = state.copy()
                if key == until:
                    return None
        state.over = True
        return None


_TEN_MINUTES = timedelta(minutes=10)
