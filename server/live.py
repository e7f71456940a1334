"""The live queue held in memory, and immutable snapshots of it for readers.

`LiveState` is owned by the writer thread: it is loaded from the database at
start and changed only by after-commit hooks, so it always equals what is
committed. After each change it publishes a `QueueSnapshot`, an immutable
value that request handlers in any thread may read without locks.
"""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core.catalogue import Catalogue
from core.estimate import (
    FORECAST_WINDOW,
    ArrivalForecast,
    DurationLog,
    NewTicketEstimate,
    OpenCounter,
    Schedule,
    expected_durations,
    people_ahead,
    simulate,
)
from core.hours import breaks_ahead, on_break
from core.lifecycle import ACTIVE_STATUSES
from core.model import CounterState, CounterStatus, Ticket, TicketStatus
from core.play import Basis, Play
from core.routing import QueueBook
from core.wait_range import Calibration, ErrorLog, naive_wait
from core.wire.payloads import RecentCallView

RECENT_CALLS = 12
PLAY_LIFETIME = timedelta(milliseconds=200)
"""How long a kept play-through (`core.play`) serves the estimates of new tickets while
only new tickets join the queue; any other change starts a new one at once."""


@dataclass(frozen=True)
class QueueFigures:
    """Estimates computed from one snapshot at one instant."""

    schedule: Schedule
    people_ahead: Mapping[str, int]
    new_ticket: Mapping[str, NewTicketEstimate]
    new_priority_ticket: Mapping[str, NewTicketEstimate]


@dataclass(frozen=True)
class QueueSnapshot:
    """An immutable picture of the live queue."""

    version: int
    event_seq: int
    """The last event reflected in this snapshot: stream from here to stay current."""
    business_day: date | None
    tickets: Mapping[str, Ticket]
    counters: Mapping[str, CounterState]
    issued_today: Mapping[str, int]
    measured: Mapping[str, tuple[float, ...]]
    recent_calls: tuple[RecentCallView, ...]
    catalogue: Catalogue
    ticker: str = ""
    recent_issues: tuple[tuple[datetime, str, bool], ...] = ()
    calibration: Calibration = field(default_factory=lambda: Calibration({}))
    """How past estimates turned out (`core.wait_range`)."""
    _cache: dict[int, QueueFigures] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def book(self) -> QueueBook:
        """The waiting tickets arranged for routing."""
        return QueueBook.from_tickets(self.tickets.values())

    def open_counters(self, now: datetime) -> list[OpenCounter]:
        """Counters taking visitors, with the visit each holds and their breaks."""
        return open_counters(self.catalogue, self.counters, self.tickets, now)

    def durations(self) -> dict[str, timedelta]:
        """Expected visit length per service."""
        return expected_durations(self.catalogue.services_by_id, self.measured)

    def figures(self, now: datetime) -> QueueFigures:
        """Estimates for `now`, cached per second (they change slowly)."""
        key = int(now.timestamp())
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                return cached
        figures = self._compute(now)
        with self._lock:
            self._cache.clear()
            self._cache[key] = figures
        return figures

    def _compute(self, now: datetime) -> QueueFigures:
        catalogue = self.catalogue
        book = self.book()
        counters = self.open_counters(now)
        durations = self.durations()
        forecast = ArrivalForecast.from_history(self.recent_issues, now)
        schedule = simulate(
            counters,
            book,
            catalogue.services_by_id,
            durations,
            now,
            catalogue.policy,
            forecast=forecast,
        )
        # One kept play-through answers for every service (`core.play`): one pass over
        # the queue, not one replay per service and priority.
        play = Play(
            Basis(now, counters, durations, forecast, catalogue.services_by_id, catalogue.policy),
            book,
        )
        new_ticket: dict[str, NewTicketEstimate] = {}
        new_priority: dict[str, NewTicketEstimate] = {}
        for service in catalogue.services:
            for is_priority, target in ((False, new_ticket), (True, new_priority)):
                estimate = play.estimate(service.id, is_priority, now)
                naive = naive_new(service.id, is_priority, book, counters, durations)
                target[service.id] = told(self.calibration, estimate, naive)
        return QueueFigures(
            schedule=schedule,
            people_ahead=people_ahead(schedule, book),
            new_ticket=new_ticket,
            new_priority_ticket=new_priority,
        )

    def ticket_wait(self, ticket: Ticket, now: datetime) -> tuple[int, int | None]:
        """People ahead of a ticket and its estimated remaining wait in seconds."""
        if ticket.status is not TicketStatus.WAITING:
            return 0, 0 if ticket.status.holds_counter else None
        figures = self.figures(now)
        ahead = figures.people_ahead.get(ticket.id, 0)
        call_at = figures.schedule.call_at.get(ticket.id)
        if call_at is None:
            return ahead, None
        return ahead, max(int((call_at - now).total_seconds()), 0)


def open_counters(
    catalogue: Catalogue,
    counters: Mapping[str, CounterState],
    tickets: Mapping[str, Ticket],
    now: datetime,
) -> list[OpenCounter]:
    """Counters taking visitors (catalogue order), with the visit each holds and today's
    planned breaks. A counter paused during one of its planned breaks is expected back."""
    hours = catalogue.hours
    today = hours.local(now).date()

    def at(minute: int) -> datetime:
        return hours.at(today, minute)

    result = []
    for counter in catalogue.counters:
        state = counters.get(counter.id)
        if state is None or state.status is CounterStatus.CLOSED:
            continue
        if state.status is CounterStatus.PAUSED and not on_break(counter.breaks, at, now):
            continue
        current = tickets.get(state.current_ticket_id) if state.current_ticket_id else None
        result.append(OpenCounter(counter, current, breaks_ahead(counter.breaks, at, now)))
    return result


def naive_new(
    service_id: str,
    is_priority: bool,
    book: QueueBook,
    counters: list[OpenCounter],
    durations: Mapping[str, timedelta],
) -> float | None:
    """The naive rule's wait (seconds) for a ticket issued now (`core.wait_range.naive_wait`):
    the tickets of its lane ahead of it × the expected visit ÷ open counters serving it."""
    queue = book.by_service.get(service_id)
    ahead = 0
    if queue is not None:
        ahead = len(queue.priority) + (0 if is_priority else len(queue.normal))
    serving = sum(1 for oc in counters if service_id in oc.counter.profile.service_ids)
    return naive_wait(ahead, durations[service_id].total_seconds(), serving)


def told(
    calibration: Calibration, estimate: NewTicketEstimate, naive: float | None
) -> NewTicketEstimate:
    """The play-through's estimate as a visitor is told it: calibrated, with its range."""
    if estimate.wait is None:
        return estimate
    told = calibration.tell(estimate.wait.total_seconds(), naive)
    return NewTicketEstimate(
        timedelta(seconds=told.seconds),
        estimate.people_ahead,
        None if told.low_seconds is None else timedelta(seconds=told.low_seconds),
        None if told.high_seconds is None else timedelta(seconds=told.high_seconds),
    )


class LiveState:
    """The mutable live queue; change it only from the writer thread.

    Readers (API handlers in other threads) get an immutable `snapshot`. It is
    built when first read after a change, not on every commit: a burst of
    commits then costs one copy of the queue, not one per commit. `lock` is
    held by the writer while a transaction's after-commit changes are applied
    (see `Writer.after_commit_lock`), so a snapshot never shows half of one.

    Estimates for a new ticket come from a play-through kept between issues
    (`core.play`): exactly what `core.estimate.estimate_new_ticket` says on the
    live queue, played from the instant the play-through started (with the
    counters, expected durations and arrival forecast of that instant), at a
    cost per issue that does not grow with the queue. A play-through is kept for
    `PLAY_LIFETIME` while only new tickets join the queue; any other change (a
    call, a counter opening ...) starts a new one.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.version = 0
        self.event_seq = 0
        self.lock = threading.RLock()
        self.errors = ErrorLog()
        """Outcomes of the estimates told (kept across days; lost at a restart)."""
        self._told: dict[str, tuple[float, float | None]] = {}
        """Waiting tickets' play-through and naive estimates at issue (seconds)."""
        self._forget()
        self._snapshot = self._build_snapshot()
        self._dirty = False

    def reset(self) -> None:
        """Forget everything but the version and event number (to be loaded again from
        the database, as at a restart)."""
        with self.lock:
            self._forget()
            self.version += 1
            self._dirty = True

    def _forget(self) -> None:
        self.business_day: date | None = None
        self.tickets: dict[str, Ticket] = {}
        self.book = QueueBook()
        self.counters: dict[str, CounterState] = {
            c.id: CounterState(counter_id=c.id) for c in self.catalogue.counters
        }
        self.issued_today: Tally[str] = Tally()
        self.last_ticket_seq: dict[str, int] = {}
        """Today's last ticket sequence number per prefix (not an event's `seq`)."""
        self.durations = DurationLog()
        self.recent_calls: deque[RecentCallView] = deque(maxlen=RECENT_CALLS)
        self.ticker = ""
        self._play: Play | None = None
        self.recent_issues: deque[tuple[datetime, str, bool]] = deque()
        self._recent_counts: Tally[tuple[str, bool]] = Tally()
        """`recent_issues` counted per (service, priority), kept in step with it."""

    @property
    def snapshot(self) -> QueueSnapshot:
        """The latest published picture of the queue (built on first read)."""
        with self.lock:
            if self._dirty:
                self._snapshot = self._build_snapshot()
                self._dirty = False
            return self._snapshot

    # -- changes (after commit) ------------------------------------------------

    def put_ticket(self, ticket: Ticket) -> None:
        """Record a ticket's committed state."""
        with self.lock:
            previous = self.tickets.pop(ticket.id, None)
            if previous is not None and previous.status is TicketStatus.WAITING:
                self.book.remove(previous)
            if ticket.status in ACTIVE_STATUSES:
                self.tickets[ticket.id] = ticket
                if ticket.status is TicketStatus.WAITING:
                    self.book.add(ticket)
            play = self._play
            if play is not None:
                if previous is None and play.accepts(ticket):
                    play.added(ticket)  # a new ticket at the tail of its lane
                else:
                    self._play = None

    def count_issue(self, ticket: Ticket) -> None:
        """A ticket was numbered today (cap counts exclude walk-direct visits)."""
        with self.lock:
            self.last_ticket_seq[ticket.prefix] = max(
                self.last_ticket_seq.get(ticket.prefix, 0), ticket.seq
            )
            if not ticket.walk_direct:
                self.issued_today[ticket.service_id] += 1
                self.recent_issues.append((ticket.issued_at, ticket.service_id, ticket.is_priority))
                self._recent_counts[(ticket.service_id, ticket.is_priority)] += 1
                self._forget_issues_before(ticket.issued_at - FORECAST_WINDOW)

    def _forget_issues_before(self, moment: datetime) -> None:
        with self.lock:
            while self.recent_issues and self.recent_issues[0][0] < moment:
                _, service_id, is_priority = self.recent_issues.popleft()
                self._recent_counts[(service_id, is_priority)] -= 1

    def forecast(self, now: datetime) -> ArrivalForecast:
        """The arrival forecast at `now` (from the running tally: no pass over history)."""
        self._forget_issues_before(now - FORECAST_WINDOW)
        earliest = self.recent_issues[0][0] if self.recent_issues else None
        return ArrivalForecast.from_counts(self._recent_counts, earliest, now)

    def put_counter(self, state: CounterState) -> None:
        """Record a counter's committed state."""
        with self.lock:
            self.counters[state.counter_id] = state
            self._play = None

    def record_duration(self, service_id: str, seconds: float) -> None:
        """A visit ended after `seconds` at the counter (from call)."""
        with self.lock:
            self.durations.record(service_id, seconds)
            self._play = None

    def remember_told(self, ticket_id: str, play_through: float, naive: float | None) -> None:
        """What a ticket's visitor was told at issue, to learn from when it is called."""
        with self.lock:
            self._told[ticket_id] = (play_through, naive)

    def record_call(self, ticket: Ticket, recall: bool = False) -> None:
        """A ticket was called (or recalled) to a counter; its first call is an outcome
        of the estimate its visitor was told."""
        with self.lock:
            assert ticket.counter_id is not None and ticket.called_at is not None
            told_at_issue = self._told.pop(ticket.id, None)
            if told_at_issue is not None:
                waited = (ticket.called_at - ticket.issued_at).total_seconds()
                self.errors.record(*told_at_issue, waited)
            counter = self.catalogue.counter(ticket.counter_id)
            self.recent_calls.appendleft(
                RecentCallView(
                    ticket_id=ticket.id,
                    number=ticket.number,
                    counter_id=counter.id,
                    counter_label=counter.label,
                    service_id=ticket.service_id,
                    at=ticket.called_at,
                    recall=recall,
                )
            )

    def start_day(
        self, day: date, last_ticket_seq: Mapping[str, int], issued: Mapping[str, int]
    ) -> None:
        """Begin a business day with its numbering and counts (from the database)."""
        with self.lock:
            self.business_day = day
            self.last_ticket_seq = dict(last_ticket_seq)
            self.issued_today = Tally(issued)
            self.durations.clear()
            self.recent_calls.clear()
            self._play = None

    def replace_catalogue(self, catalogue: Catalogue) -> None:
        """Run on a new catalogue (a national version applied): the same counters, the
        services as it has them; estimates are worked out afresh."""
        with self.lock:
            self.catalogue = catalogue
            self._play = None
            self._dirty = True

    def publish(self, event_seq: int | None = None) -> None:
        """Let readers see the changes so far (reflecting events up to `event_seq`)."""
        with self.lock:
            if event_seq is not None:
                self.event_seq = max(self.event_seq, event_seq)
            self.version += 1
            self._dirty = True

    def _build_snapshot(self) -> QueueSnapshot:
        return QueueSnapshot(
            version=self.version,
            event_seq=self.event_seq,
            business_day=self.business_day,
            tickets=dict(self.tickets),
            counters=dict(self.counters),
            issued_today=dict(self.issued_today),
            measured=self.durations.snapshot(),
            recent_calls=tuple(self.recent_calls),
            catalogue=self.catalogue,
            ticker=self.ticker,
            recent_issues=tuple(self.recent_issues),
            calibration=self.errors.calibration(),
        )

    # -- estimates on the live state (writer thread) ---------------------------

    def estimate_new(self, service_id: str, is_priority: bool, now: datetime) -> NewTicketEstimate:
        """What a ticket issued now would be told before calibration (the kept
        play-through's estimate; `play_basis` says what it was played from)."""
        return self._kept_play(now).estimate(service_id, is_priority, now)

    def play_basis(self, now: datetime) -> Basis:
        """What the estimates of tickets issued at `now` are played from: the instant,
        counters, expected durations and arrival forecast of the kept play-through
        (a new one when none is kept, it is older than `PLAY_LIFETIME`, or `now` is
        before it)."""
        return self._kept_play(now).basis

    def _kept_play(self, now: datetime) -> Play:
        play = self._play
        if play is None or not play.basis.at <= now <= play.basis.at + PLAY_LIFETIME:
            basis = Basis(
                at=now,
                counters=open_counters(self.catalogue, self.counters, self.tickets, now),
                durations=expected_durations(
                    self.catalogue.services_by_id, self.durations.snapshot()
                ),
                forecast=self.forecast(now),
                services=self.catalogue.services_by_id,
                policy=self.catalogue.policy,
            )
            play = self._play = Play(basis, self.book)
        return play

    def tell_new(
        self, service_id: str, is_priority: bool, now: datetime
    ) -> tuple[NewTicketEstimate, float | None, float | None]:
        """What a ticket issued now is told (calibrated, with its range), and the
        play-through's and the naive rule's own figures (seconds) to learn from."""
        estimate = self.estimate_new(service_id, is_priority, now)
        durations = expected_durations(self.catalogue.services_by_id, self.durations.snapshot())
        counters = open_counters(self.catalogue, self.counters, self.tickets, now)
        naive = naive_new(service_id, is_priority, self.book, counters, durations)
        raw = estimate.wait.total_seconds() if estimate.wait is not None else None
        return told(self.errors.calibration(), estimate, naive), raw, naive
