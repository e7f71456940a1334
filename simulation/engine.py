"""The discrete-event simulation of one scenario, on a virtual clock.

Visitors arrive (Poisson, with a time-of-day profile), are told an estimated
wait by `core.estimate`, may be turned away by the closing-time cut-off, and
are called by `core.routing.choose_next` through the `core.lifecycle`
transitions, exactly as on the server. Visit lengths are measured into the
same `DurationLog` window the server keeps.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter as Tally
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core import lifecycle
from core.estimate import (
    FORECAST_WINDOW,
    ArrivalForecast,
    DurationLog,
    OpenCounter,
    estimate_new_ticket,
    expected_durations,
)
from core.hours import breaks_ahead, on_break
from core.issuing import issue_refusal
from core.model import Counter, Service, Ticket
from core.numbering import next_seq
from core.routing import QueueBook, choose_next
from core.wait_range import ErrorLog, naive_wait
from simulation.arrivals import DAY_SECONDS, arrivals_of_day
from simulation.scenario import CounterSpec, Scenario
from simulation.visits import SimulatedVisit

__all__ = ["DAY_SECONDS", "CounterUse", "SimulatedVisit", "SimulationResult", "Simulator"]

EPOCH = datetime(2026, 1, 5, tzinfo=UTC)
"""Simulated days start on a Monday."""


@dataclass
class CounterUse:
    """How a counter spent its time."""

    counter_id: str
    busy: float = 0.0
    idle: float = 0.0

    @property
    def utilisation(self) -> float:
        """Busy share of the time the counter was available."""
        total = self.busy + self.idle
        return self.busy / total if total else 0.0


@dataclass
class SimulationResult:
    """Everything recorded during a run."""

    scenario: str
    seed: int
    visits: list[SimulatedVisit]
    counters: list[CounterUse]
    fairness_violations: int


@dataclass
class _Desk:
    spec: CounterSpec
    available: bool = False
    busy: bool = False
    current: Ticket | None = None
    since: float = 0.0
    closing: bool = False

    @property
    def counter(self) -> Counter:
        return self.spec.counter


class Simulator:
    """Runs a scenario for all its days (or one continuous period)."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 1,
        *,
        estimate: bool = True,
        forecast: bool = True,
        calibrate: bool = True,
    ) -> None:
        self.scenario = scenario
        self.calibrate = calibrate
        self.errors = ErrorLog()
        """Outcomes of estimates, kept across days as the centre keeps them."""
        self.seed = seed
        self.estimate = estimate
        self.forecast = forecast
        self.services = scenario.services_by_id
        self.specs = {spec.service.id: spec for spec in scenario.services}
        self.visits: dict[str, SimulatedVisit] = {}
        self.uses = {spec.counter.id: CounterUse(spec.counter.id) for spec in scenario.counters}
        self.violations = 0

    # -- public ----------------------------------------------------------------

    def run(self) -> SimulationResult:
        """Simulate and return the records."""
        if self.scenario.continuous_hours:
            self._period(0, 0.0, self.scenario.continuous_hours * 3600)
        else:
            for day in range(self.scenario.days):
                start = day * DAY_SECONDS + self.scenario.opens * 60
                end = day * DAY_SECONDS + self.scenario.closes * 60
                self._period(day, start, end)
        return SimulationResult(
            scenario=self.scenario.name,
            seed=self.seed,
            visits=list(self.visits.values()),
            counters=list(self.uses.values()),
            fairness_violations=self.violations,
        )

    # -- one day -------------------------------------------------------------

    def _period(self, day: int, start: float, end: float) -> None:
        self.book = QueueBook()
        self.durations = DurationLog()
        self.history: deque[tuple[datetime, str, bool]] = deque()
        self.closing_at = end
        self.issued: Tally[str] = Tally()
        self.last_ticket_seq: dict[str, int] = {}
        self.events: list[tuple[float, int, str, _Desk]] = []
        self._order = 0
        self.desks = {spec.counter.id: _Desk(spec) for spec in self.scenario.counters}
        for desk in self.desks.values():
            base = day * DAY_SECONDS if not self.scenario.continuous_hours else 0.0
            opens = start if self.scenario.continuous_hours else base + desk.spec.opens * 60
            closes = end if self.scenario.continuous_hours else base + desk.spec.closes * 60
            self._push(opens, "open", desk)
            self._push(closes, "close", desk)
            for pause in desk.counter.breaks:
                self._push(base + pause.opens_minute * 60, "break", desk)
                self._push(base + pause.closes_minute * 60, "back", desk)
        arrivals = self._arrivals(day, start, end)
        index = 0
        # Arrivals are one sorted stream; the heap holds only counter events, so it stays small.
        while index < len(arrivals) or self.events:
            if index < len(arrivals) and (
                not self.events or arrivals[index].issued_at < self.events[0][0]
            ):
                self._arrive(arrivals[index], arrivals[index].issued_at)
                index += 1
                continue
            time, _, kind, desk = heapq.heappop(self.events)
            self._handle(time, kind, desk)

    def _push(self, time: float, kind: str, desk: _Desk) -> None:
        self._order += 1
        heapq.heappush(self.events, (time, self._order, kind, desk))

    def _arrivals(self, day: int, start: float, end: float) -> list[SimulatedVisit]:
        return arrivals_of_day(self.scenario, self.seed, day, start, end)

    # -- events --------------------------------------------------------------

    def _handle(self, now: float, kind: str, desk: _Desk) -> None:
        if kind in ("open", "back"):
            if kind == "open" or not desk.closing:
                self._set_available(desk, True, now)
                self._try_call(desk, now)
        elif kind == "close":
            desk.closing = True
            if not self.book.all_tickets() or not self._serves_anyone(desk):
                self._set_available(desk, False, now)
        elif kind == "break":
            self._set_available(desk, False, now)
        elif kind == "done":
            self._finish_activity(desk, now)

    def _serves_anyone(self, desk: _Desk) -> bool:
        return any(self.book.waiting(service_id) for service_id in desk.counter.profile.service_ids)

    def _set_available(self, desk: _Desk, available: bool, now: float) -> None:
        self._account(desk, now)
        desk.available = available

    def _account(self, desk: _Desk, now: float) -> None:
        use = self.uses[desk.counter.id]
        elapsed = now - desk.since
        if desk.busy:
            use.busy += elapsed
        elif desk.available:
            use.idle += elapsed
        desk.since = now

    def _at(self, seconds: float) -> datetime:
        return EPOCH + timedelta(seconds=seconds)

    def _arrive(self, visit: SimulatedVisit, now: float) -> None:
        moment = self._at(now)
        service = self.services[visit.service_id]
        self.visits[visit.ticket_id] = visit
        if visit.booked_at is not None:
            # A check-in: no wait is told and no cut-off applies (the server's
            # `server.commands.appointments`).
            self._enqueue(visit, service, moment, self._at(visit.booked_at), now)
            return
        if self.estimate:
            self._tell_estimate(visit, now)
        refusal = issue_refusal(
            service,
            self.scenario.hours,
            moment,
            issued_today=self.issued[service.id],
            expected_wait=lambda: self._wait_for_cut_off(visit),
        )
        if refusal is not None:
            visit.turned_away = True
            return
        self._enqueue(visit, service, moment, None, now)

    def _enqueue(
        self,
        visit: SimulatedVisit,
        service: Service,
        moment: datetime,
        appointment_at: datetime | None,
        now: float,
    ) -> None:
        seq = next_seq(self.last_ticket_seq.get(service.prefix))
        self.last_ticket_seq[service.prefix] = seq
        self.issued[service.id] += 1
        ticket = lifecycle.issue(
            ticket_id=visit.ticket_id,
            service=service,
            seq=seq,
            business_day=moment.date(),
            language="lv",
            is_priority=visit.is_priority,
            now=moment,
            appointment_at=appointment_at,
        )
        visit.number = ticket.number
        self.book.add(ticket)
        self.history.append((moment, visit.service_id, visit.is_priority))
        while self.history and moment - self.history[0][0] > FORECAST_WINDOW:
            self.history.popleft()
        for desk in self.desks.values():
            if desk.available and not desk.busy:
                self._try_call(desk, now)

    def _wait_for_cut_off(self, visit: SimulatedVisit) -> timedelta | None:
        """The wait the cut-off weighs: the one the visitor was told (none when the
        scenario turns the cut-off off, or no estimate is told)."""
        if not self.scenario.apply_cut_off or visit.estimate is None:
            return None
        return timedelta(seconds=visit.estimate)

    def _tell_estimate(self, visit: SimulatedVisit, now: float) -> None:
        moment = self._at(now)
        durations = expected_durations(self.services, self.durations.snapshot())
        open_desks = [
            OpenCounter(
                desk.counter, desk.current, self._breaks_ahead(desk, now), self._closes(desk)
            )
            for desk in self.desks.values()
            if desk.available or self._on_break(desk, now)
        ]
        result = estimate_new_ticket(
            visit.service_id,
            visit.is_priority,
            open_desks,
            self.book,
            self.services,
            durations,
            moment,
            self.scenario.policy,
            ArrivalForecast.from_history(self.history, moment) if self.forecast else None,
        )
        serving = sum(1 for d in open_desks if visit.service_id in d.counter.profile.service_ids)
        queue = self.book.by_service.get(visit.service_id)
        ahead = 0
        if queue is not None:
            ahead = len(queue.priority) + (0 if visit.is_priority else len(queue.normal))
        mean = durations[visit.service_id].total_seconds()
        visit.naive_estimate = naive_wait(ahead, mean, serving)
        if result.wait is None:
            return
        visit.play_through = result.wait.total_seconds()
        if not self.calibrate:
            visit.estimate = visit.play_through
            return
        told = self.errors.tell(visit.play_through, visit.naive_estimate)
        visit.estimate, visit.low, visit.high = told.seconds, told.low_seconds, told.high_seconds

    def _day_start(self, now: float) -> float:
        return 0.0 if self.scenario.continuous_hours else now - now % DAY_SECONDS

    def _minute_at(self, now: float) -> Callable[[int], datetime]:
        base = self._day_start(now)
        return lambda minute: self._at(base + minute * 60)

    def _breaks_ahead(self, desk: _Desk, now: float) -> tuple[tuple[datetime, datetime], ...]:
        """The counter's planned breaks that have not ended yet (known to the centre)."""
        return breaks_ahead(desk.counter.breaks, self._minute_at(now), self._at(now))

    def _on_break(self, desk: _Desk, now: float) -> bool:
        return not desk.closing and on_break(
            desk.counter.breaks, self._minute_at(now), self._at(now)
        )

    def _closes(self, desk: _Desk) -> datetime | None:
        if self.scenario.continuous_hours or desk.spec.closes >= self.scenario.closes:
            return None  # stays until the hall is empty
        return self._at(self._day_start(self.closing_at - 1) + desk.spec.closes * 60)

    def _try_call(self, desk: _Desk, now: float) -> None:
        if not desk.available or desk.busy:
            return
        moment = self._at(now)
        policy = self.scenario.policy
        choice = choose_next(desk.counter, self.book, self.services, moment, policy)
        if choice is None:
            if desk.closing:
                self._set_available(desk, False, now)
            return
        if choice.is_priority:
            self._check_fairness(desk.counter, choice, moment)
        self.book.remove(choice)
        called = lifecycle.call(
            choice, counter_id=desk.counter.id, clerk=None, now=moment, policy=policy
        )
        visit = self.visits[choice.id]
        if visit.called_at is None:
            visit.called_at = now
            if visit.play_through is not None:
                self.errors.record(visit.play_through, visit.naive_estimate, now - visit.issued_at)
        self._account(desk, now)
        desk.busy = True
        desk.current = called
        if visit.no_show:
            finish = now + self.scenario.no_show_wait_seconds
        else:
            finish = now + self.scenario.walk_seconds + visit.duration
        self._push(finish, "done", desk)

    def _finish_activity(self, desk: _Desk, now: float) -> None:
        ticket = desk.current
        assert ticket is not None and ticket.called_at is not None
        moment = self._at(now)
        visit = self.visits[ticket.id]
        self.durations.record(ticket.service_id, (moment - ticket.called_at).total_seconds())
        self._account(desk, now)
        desk.busy = False
        desk.current = None
        if not visit.no_show and visit.transfer_to is not None:
            target = self.services[visit.transfer_to]
            visit.transfer_to = None
            started = lifecycle.start(ticket, counter_id=desk.counter.id, now=moment)
            moved = lifecycle.transfer(started, now=moment, to_service=target)
            # The second part of the visit takes the target service's time.
            visit.duration = self.specs[target.id].duration.sample(
                random.Random(f"{self.seed}/{ticket.id}")
            )
            self.book.add(moved)
            for other in self.desks.values():
                if other is not desk and other.available and not other.busy:
                    self._try_call(other, now)
        self._try_call(desk, now)

    def _check_fairness(self, counter: Counter, choice: Ticket, moment: datetime) -> None:
        limit = self.scenario.policy.priority_fairness_limit
        for service_id in counter.profile.service_ids:
            queue = self.book.by_service.get(service_id)
            if queue is None or not queue.normal:
                continue
            head = queue.normal[0]
            if head.waited(moment) >= limit and head.order_key < choice.order_key:
                self.violations += 1
