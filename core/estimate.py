"""Estimated waiting time, by playing the routing rules forward.

The estimator runs the *same* `choose_next` the counters use over the
current queue: each open counter becomes free when its current visit is
expected to end, calls the next ticket by its profile and strategy, and is
busy for that service's expected duration. The time at which a ticket is
called in this play-through is its estimate. Expected durations come from
recent measurements (time from call to the end of the visit), shrunk towards
the catalogue's expected duration while there are few of them.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.model import Counter, QueuePolicy, Service, Ticket, TicketStatus
from core.routing import QueueBook, choose_next

PRIOR_WEIGHT = 3.0
"""How many measurements the catalogue's expected duration is worth."""
MIN_REMAINING_SHARE = 0.25
"""A visit running past its expected duration is assumed to need at least this
share of the expected duration more (it has not ended yet, after all)."""
MAX_SIMULATED_CALLS = 400
"""Bound on the play-through; beyond it the remaining queue is extrapolated."""
VIRTUAL_TICKET_ID = "~estimate"


@dataclass(frozen=True)
class OpenCounter:
    """A counter that takes visitors, and the visit it holds (if any)."""

    counter: Counter
    current: Ticket | None = None


@dataclass(frozen=True)
class Schedule:
    """The outcome of a play-through: when each waiting ticket will be called."""

    call_at: Mapping[str, datetime]
    position: Mapping[str, int]
    """0-based order in which tickets are called."""


def expected_durations(
    services: Mapping[str, Service],
    measured: Mapping[str, Sequence[float]],
) -> dict[str, timedelta]:
    """Per-service expected visit length: measured seconds shrunk towards the catalogue."""
    result: dict[str, timedelta] = {}
    for service_id, service in services.items():
        samples = measured.get(service_id, ())
        prior = service.expected_duration.total_seconds()
        mean = (prior * PRIOR_WEIGHT + sum(samples)) / (PRIOR_WEIGHT + len(samples))
        result[service_id] = timedelta(seconds=mean)
    return result


def remaining_time(current: Ticket, duration: timedelta, now: datetime) -> timedelta:
    """How much longer the visit at a counter is expected to take."""
    began = current.called_at or current.started_at or now
    elapsed = now - began
    return max(duration - elapsed, duration * MIN_REMAINING_SHARE)


def simulate(
    open_counters: Sequence[OpenCounter],
    book: QueueBook,
    services: Mapping[str, Service],
    durations: Mapping[str, timedelta],
    now: datetime,
    policy: QueuePolicy,
    *,
    stop_at_ticket: str | None = None,
) -> Schedule:
    """Play the queue forward; `book` is not modified."""
    work = book.copy()
    free_at: list[tuple[datetime, int]] = []
    for index, open_counter in enumerate(open_counters):
        busy = timedelta(0)
        if open_counter.current is not None:
            duration = durations.get(open_counter.current.service_id, timedelta(minutes=10))
            busy = remaining_time(open_counter.current, duration, now)
        free_at.append((now + busy, index))
    heapq.heapify(free_at)
    call_at: dict[str, datetime] = {}
    position: dict[str, int] = {}
    calls = 0
    while free_at and calls < MAX_SIMULATED_CALLS:
        moment, index = heapq.heappop(free_at)
        counter = open_counters[index].counter
        ticket = choose_next(counter, work, services, moment, policy)
        if ticket is None:
            continue  # nothing left for this counter's profile: it stays idle
        work.remove(ticket)
        call_at[ticket.id] = moment
        position[ticket.id] = calls
        calls += 1
        if ticket.id == stop_at_ticket:
            break
        duration = durations.get(ticket.service_id, timedelta(minutes=10))
        heapq.heappush(free_at, (moment + duration, index))
    return Schedule(call_at=call_at, position=position)


@dataclass(frozen=True)
class NewTicketEstimate:
    """What a visitor is told before and after taking a ticket."""

    wait: timedelta | None
    """None when no open counter serves the service."""
    people_ahead: int


def estimate_new_ticket(
    service_id: str,
    is_priority: bool,
    open_counters: Sequence[OpenCounter],
    book: QueueBook,
    services: Mapping[str, Service],
    durations: Mapping[str, timedelta],
    now: datetime,
    policy: QueuePolicy,
) -> NewTicketEstimate:
    """The wait and people ahead a ticket issued now for `service_id` would have."""
    virtual = _virtual_ticket(service_id, is_priority, now)
    trial = book.copy()
    trial.add(virtual)
    serving = [oc for oc in open_counters if service_id in oc.counter.profile.service_ids]
    if not serving:
        return NewTicketEstimate(None, people_ahead_in_service(virtual, trial))
    schedule = simulate(
        open_counters, trial, services, durations, now, policy, stop_at_ticket=virtual.id
    )
    called = schedule.call_at.get(virtual.id)
    if called is None:
        return NewTicketEstimate(
            _extrapolate(service_id, serving, book, durations),
            people_ahead_in_service(virtual, trial),
        )
    ahead = sum(
        1
        for ticket in trial.all_tickets()
        if ticket.service_id == service_id
        and ticket.id != virtual.id
        and ticket.id in schedule.position
    )
    return NewTicketEstimate(max(called - now, timedelta(0)), ahead)


def _extrapolate(
    service_id: str,
    serving: Sequence[OpenCounter],
    book: QueueBook,
    durations: Mapping[str, timedelta],
) -> timedelta:
    """Fallback for queues longer than the play-through bound: a fluid estimate."""
    ahead = book.waiting(service_id)
    duration = durations.get(service_id, timedelta(minutes=10))
    return duration * ahead / max(len(serving), 1)


def _virtual_ticket(service_id: str, is_priority: bool, now: datetime) -> Ticket:
    return Ticket(
        id=VIRTUAL_TICKET_ID,
        number="~",
        prefix="~",
        seq=10**9,
        business_day=now.date(),
        service_id=service_id,
        original_service_id=service_id,
        language="lv",
        is_priority=is_priority,
        status=TicketStatus.WAITING,
        issued_at=now,
    )


def people_ahead_in_service(ticket: Ticket, book: QueueBook) -> int:
    """Tickets for the same service that go before `ticket` by queue rules alone.

    Priority tickets are ahead of normal ones; within a lane, earlier tickets
    are ahead. Used when no counter is open to play the queue through.
    """
    if ticket.target_counter_id is not None:
        return _earlier(book.by_counter.get(ticket.target_counter_id, []), ticket)
    queue = book.by_service.get(ticket.service_id)
    if queue is None:
        return 0
    if ticket.is_priority:
        return _earlier(queue.priority, ticket)
    return len(queue.priority) + _earlier(queue.normal, ticket)


def _earlier(lane: list[Ticket], ticket: Ticket) -> int:
    """How many tickets of a lane (in queue order) come before `ticket`."""
    return bisect.bisect_left(lane, ticket.order_key, key=lambda t: t.order_key)


def people_ahead(schedule: Schedule, book: QueueBook) -> dict[str, int]:
    """People ahead of each waiting ticket: tickets of its service called before it.

    Tickets the play-through never reaches (no open counter serves them) fall
    back to `people_ahead_in_service`.
    """
    result: dict[str, int] = {}
    seen_per_service: dict[str, int] = {}
    tickets = book.all_tickets()
    for ticket in sorted(
        (t for t in tickets if t.id in schedule.position), key=lambda t: schedule.position[t.id]
    ):
        result[ticket.id] = seen_per_service.get(ticket.service_id, 0)
        seen_per_service[ticket.service_id] = result[ticket.id] + 1
    for ticket in tickets:
        if ticket.id not in result:
            result[ticket.id] = people_ahead_in_service(ticket, book)
    return result
