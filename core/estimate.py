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
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from core.model import Counter, QueuePolicy, Service, Ticket, TicketStatus
from core.routing import QueueBook, choose_next

DURATION_SAMPLES = 20
"""How many recent visit lengths per service the estimator learns from."""
PRIOR_WEIGHT = 3.0
"""How many measurements the catalogue's expected duration is worth."""
MIN_REMAINING_SHARE = 0.25
"""A visit running past its expected duration is assumed to need at least this
share of the expected duration more (it has not ended yet, after all)."""
MAX_SIMULATED_CALLS = 400
"""Bound on the play-through; beyond it the remaining queue is extrapolated."""
VIRTUAL_TICKET_ID = "~estimate"


class DurationLog:
    """Recent visit lengths (call to end of visit) per service, a bounded window."""

    def __init__(self, samples: int = DURATION_SAMPLES) -> None:
        self.samples = samples
        self._by_service: dict[str, deque[float]] = {}

    def record(self, service_id: str, seconds: float) -> None:
        """A visit of `service_id` occupied its counter for `seconds`."""
        window = self._by_service.setdefault(service_id, deque(maxlen=self.samples))
        window.append(max(seconds, 0.0))

    def snapshot(self) -> dict[str, tuple[float, ...]]:
        """The current windows, immutable."""
        return {service_id: tuple(window) for service_id, window in self._by_service.items()}

    def clear(self) -> None:
        """Forget everything (a new business day)."""
        self._by_service.clear()


FORECAST_WINDOW = timedelta(hours=1)
"""Arrival rates for the forecast are measured over this much recent history."""
FORECAST_HORIZON = timedelta(hours=12)


@dataclass(frozen=True)
class ArrivalForecast:
    """Expected arrivals per second, per (service, priority), from recent history.

    The play-through adds these expected visitors as they would arrive: a
    priority visitor, or one for a service a counter prefers, who arrives
    later may still be called earlier, and an honest estimate counts them.
    """

    rates: Mapping[tuple[str, bool], float] = field(default_factory=dict)

    @classmethod
    def from_history(
        cls,
        issued: Iterable[tuple[datetime, str, bool]],
        now: datetime,
        window: timedelta = FORECAST_WINDOW,
    ) -> ArrivalForecast:
        """Rates from (issued_at, service_id, is_priority) of recent tickets."""
        since = now - window
        counts: dict[tuple[str, bool], int] = {}
        earliest: datetime | None = None
        for issued_at, service_id, is_priority in issued:
            if since <= issued_at <= now:
                key = (service_id, is_priority)
                counts[key] = counts.get(key, 0) + 1
                earliest = issued_at if earliest is None else min(earliest, issued_at)
        return cls.from_counts(counts, earliest, now, window)

    @classmethod
    def from_counts(
        cls,
        counts: Mapping[tuple[str, bool], int],
        earliest: datetime | None,
        now: datetime,
        window: timedelta = FORECAST_WINDOW,
    ) -> ArrivalForecast:
        """Rates from tickets counted per (service, priority) within the window before
        `now`, the earliest of them issued at `earliest` (a running tally's shortcut)."""
        # Early in the day the history is shorter than the window.
        start = max(now - window, earliest or now)
        span = max((now - start).total_seconds(), 600.0)
        return cls({key: count / span for key, count in counts.items() if count > 0})


@dataclass
class _Stream:
    """One (service, priority) stream of forecast visitors."""

    service_id: str
    is_priority: bool
    interval: timedelta
    next_at: datetime
    """When the next visitor not yet in the book arrives."""
    in_book: bool = False


class _Joinable(Protocol):
    def add(self, ticket: Ticket) -> None: ...


class _Arrivals:
    """Forecast visitors, added to a play-through as its clock passes their arrival.

    Routing looks only at the head of each lane, and a stream's visitors queue in
    arrival order behind everyone already waiting in their lane, so at most one
    visitor per stream needs to be in the book: the next one is added when that
    one is called. This keeps a play-through's cost independent of the arrival
    rate (an overloaded centre would otherwise add thousands of visitors)."""

    def __init__(self, forecast: ArrivalForecast | None, now: datetime) -> None:
        self._streams: list[_Stream] = []
        self._by_ticket: dict[str, _Stream] = {}
        self._count = 0
        self._horizon = now + FORECAST_HORIZON
        if forecast is None:
            return
        for (service_id, is_priority), rate in sorted(forecast.rates.items()):
            if rate <= 0:
                continue
            interval = timedelta(seconds=1 / rate)
            first = now + interval / 2
            if first <= self._horizon:
                self._streams.append(_Stream(service_id, is_priority, interval, first))

    def copy(self) -> _Arrivals:
        """An independent copy (a kept play-through resumes from copies)."""
        twin = _Arrivals(None, self._horizon - FORECAST_HORIZON)
        streams = {id(s): replace(s) for s in self._streams}
        twin._streams = list(streams.values())
        twin._by_ticket = {t: streams[id(s)] for t, s in self._by_ticket.items()}
        twin._count = self._count
        twin._horizon = self._horizon
        return twin

    def admit(self, book: _Joinable, until: datetime) -> None:
        """Put each stream's next visitor who has arrived by `until` in the book
        (unless one of the stream's visitors is still waiting there)."""
        for stream in self._streams:
            if stream.in_book or stream.next_at > until or stream.next_at > self._horizon:
                continue
            self._count += 1
            ticket_id = f"~forecast{self._count}"
            book.add(
                _forecast_ticket(ticket_id, stream.service_id, stream.is_priority, stream.next_at)
            )
            self._by_ticket[ticket_id] = stream
            stream.in_book = True
            stream.next_at += stream.interval

    def called(self, ticket_id: str) -> None:
        """A forecast visitor was called: the stream's next one may join."""
        stream = self._by_ticket.pop(ticket_id, None)
        if stream is not None:
            stream.in_book = False

    def next_for(self, service_ids: Sequence[str]) -> datetime | None:
        """When the next forecast visitor for one of `service_ids` arrives."""
        times = [
            s.next_at
            for s in self._streams
            if s.service_id in service_ids and not s.in_book and s.next_at <= self._horizon
        ]
        return min(times, default=None)


@dataclass(frozen=True)
class OpenCounter:
    """A counter that takes visitors, the visit it holds, and its known absences."""

    counter: Counter
    current: Ticket | None = None
    breaks: tuple[tuple[datetime, datetime], ...] = ()
    """Planned breaks ahead (or under way): the counter calls nobody during them."""
    closes_at: datetime | None = None
    """When the counter stops calling for the day, if known."""

    def available_from(self, moment: datetime) -> datetime | None:
        """The first instant at or after `moment` when it may call (None: not again today)."""
        for starts, ends in sorted(self.breaks):
            if starts <= moment < ends:
                moment = ends
        if self.closes_at is not None and moment >= self.closes_at:
            return None
        return moment


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
    forecast: ArrivalForecast | None = None,
) -> Schedule:
    """Play the queue forward; `book` is not modified.

    Stops when `stop_at_ticket` is called, or when every ticket in `book` is.
    """
    work = book.copy()
    arrivals = _Arrivals(forecast, now)
    remaining = len(book)
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
    while free_at and calls < MAX_SIMULATED_CALLS and remaining > 0:
        moment, index = heapq.heappop(free_at)
        available = open_counters[index].available_from(moment)
        if available is None:
            continue  # closed for the day
        if available != moment:
            heapq.heappush(free_at, (available, index))
            continue
        counter = open_counters[index].counter
        arrivals.admit(work, moment)
        ticket = choose_next(counter, work, services, moment, policy)
        if ticket is None:
            # Idle until someone it serves is expected, or for good.
            wake = arrivals.next_for(counter.profile.service_ids)
            if wake is not None:
                heapq.heappush(free_at, (wake, index))
            continue
        work.remove(ticket)
        calls += 1
        if ticket.id.startswith("~forecast"):
            arrivals.called(ticket.id)
            duration = durations.get(ticket.service_id, timedelta(minutes=10))
            heapq.heappush(free_at, (moment + duration, index))
            continue
        call_at[ticket.id] = moment
        position[ticket.id] = len(position)
        remaining -= 1
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
    low: timedelta | None = None
    high: timedelta | None = None
    """The 80 % range told with the wait, once the centre has learnt one
    (`core.wait_range`)."""


def estimate_new_ticket(
    service_id: str,
    is_priority: bool,
    open_counters: Sequence[OpenCounter],
    book: QueueBook,
    services: Mapping[str, Service],
    durations: Mapping[str, timedelta],
    now: datetime,
    policy: QueuePolicy,
    forecast: ArrivalForecast | None = None,
    *,
    asked_at: datetime | None = None,
) -> NewTicketEstimate:
    """The wait and people ahead a ticket issued now for `service_id` would have.

    With `asked_at` (not before `now`), the ticket is issued then, and its wait is
    counted from then, on a play-through that starts at `now` (`core.play` keeps one)."""
    asked_at = now if asked_at is None else asked_at
    virtual = _virtual_ticket(service_id, is_priority, asked_at)
    trial = book.copy()
    trial.add(virtual)
    serving = [oc for oc in open_counters if service_id in oc.counter.profile.service_ids]
    if not serving:
        return NewTicketEstimate(None, people_ahead_in_service(virtual, trial))
    schedule = simulate(
        open_counters,
        trial,
        services,
        durations,
        now,
        policy,
        stop_at_ticket=virtual.id,
        forecast=forecast,
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
    return NewTicketEstimate(max(called - asked_at, timedelta(0)), ahead)


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
    return _forecast_ticket(VIRTUAL_TICKET_ID, service_id, is_priority, now)


def _forecast_ticket(ticket_id: str, service_id: str, is_priority: bool, at: datetime) -> Ticket:
    return Ticket(
        id=ticket_id,
        number="~",
        prefix="~",
        seq=10**9,
        business_day=at.date(),
        service_id=service_id,
        original_service_id=service_id,
        language="lv",
        is_priority=is_priority,
        status=TicketStatus.WAITING,
        issued_at=at,
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
