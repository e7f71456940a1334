"""The kept play-through (`core.play`) tells every new ticket exactly what a full replay
of the queue tells it (`core.estimate.estimate_new_ticket` on a copy of the live book,
from the same basis), whatever happened to the queue before: random days of issues,
calls, visits ending, counters opening and closing, and time passing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import lifecycle
from core.estimate import NewTicketEstimate, estimate_new_ticket
from core.model import CounterStatus, QueuePolicy, TicketStatus
from core.routing import choose_next
from server.live import LiveState
from tests.support.catalogues import always_open
from tests.support.factories import T0

CATALOGUE = always_open()
SERVICES = ["residence", "certificates", "council", "social-assistance"]
"""Services whose counters overlap (lanes interleave in the play-through), and one apart."""
COUNTERS = [c.id for c in CATALOGUE.counters]

issue = st.tuples(st.just("issue"), st.sampled_from(SERVICES), st.booleans(), st.integers(0, 40))
ask = st.tuples(st.just("ask"), st.sampled_from(SERVICES), st.booleans(), st.integers(0, 40))
call = st.tuples(st.just("call"), st.sampled_from(COUNTERS), st.booleans(), st.integers(0, 0))
finish = st.tuples(st.just("finish"), st.sampled_from(COUNTERS), st.booleans(), st.integers(0, 0))
toggle = st.tuples(st.just("toggle"), st.sampled_from(COUNTERS), st.booleans(), st.integers(0, 0))
wait = st.tuples(st.just("wait"), st.just(""), st.booleans(), st.integers(1, 900_000))
step = st.one_of(issue, issue, issue, ask, call, finish, toggle, wait)


def replayed(state: LiveState, service_id: str, is_priority: bool, now) -> NewTicketEstimate:  # type: ignore[no-untyped-def]
    """The full replay: a copy of the live queue played through from the same basis."""
    basis = state.play_basis(now)
    return estimate_new_ticket(
        service_id,
        is_priority,
        basis.counters,
        state.book.copy(),
        basis.services,
        basis.durations,
        basis.at,
        basis.policy,
        basis.forecast,
        asked_at=now,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(step, min_size=1, max_size=120),
    fairness=st.sampled_from([timedelta(minutes=2), timedelta(minutes=20)]),
    opened=st.sets(st.sampled_from(COUNTERS), min_size=1),
)
def test_kept_estimates_equal_the_full_replay(
    steps: list[tuple[str, str, bool, int]], fairness: timedelta, opened: set[str]
) -> None:
    catalogue = replace(CATALOGUE, policy=QueuePolicy(priority_fairness_limit=fairness))
    state = LiveState(catalogue)
    now = T0
    seq = 0
    for counter_id in sorted(opened):
        state.put_counter(lifecycle.open_counter(state.counters[counter_id], clerk="c", now=now))
    for kind, ident, flag, amount in steps:
        if kind in ("issue", "ask"):
            now += timedelta(milliseconds=amount)
            kept = state.estimate_new(ident, flag, now)
            assert kept == replayed(state, ident, flag, now), (kind, ident, flag)
            if kind == "issue":
                seq += 1
                ticket = lifecycle.issue(
                    ticket_id=f"t{seq}",
                    service=catalogue.service(ident),
                    seq=seq,
                    business_day=T0.date(),
                    language="lv",
                    is_priority=flag,
                    now=now,
                )
                state.put_ticket(ticket)
                state.count_issue(ticket)
        elif kind == "call":
            counter_state = state.counters[ident]
            if counter_state.status is not CounterStatus.OPEN or counter_state.current_ticket_id:
                continue
            chosen = choose_next(
                catalogue.counter(ident),
                state.book,
                catalogue.services_by_id,
                now,
                catalogue.policy,
            )
            if chosen is None:
                continue
            called = lifecycle.call(
                chosen, counter_id=ident, clerk="c", now=now, policy=catalogue.policy
            )
            state.put_ticket(called)
            state.put_counter(lifecycle.hold(counter_state, called.id))
            state.record_call(called)
        elif kind == "finish":
            counter_state = state.counters[ident]
            current = state.tickets.get(counter_state.current_ticket_id or "")
            if current is None or current.status is not TicketStatus.CALLED:
                continue
            done = lifecycle.no_show(current, counter_id=ident, now=now)
            state.put_ticket(done)
            state.put_counter(lifecycle.release(counter_state))
            assert current.called_at is not None
            state.record_duration(current.service_id, (now - current.called_at).total_seconds())
        elif kind == "toggle":
            counter_state = state.counters[ident]
            if counter_state.current_ticket_id:
                continue
            if counter_state.status is CounterStatus.OPEN:
                state.put_counter(lifecycle.close_counter(counter_state, now=now))
            else:
                state.put_counter(lifecycle.open_counter(counter_state, clerk="c", now=now))
        else:
            now += timedelta(milliseconds=amount)
    for service_id in SERVICES:  # and, at the end, a ticket of every service
        for is_priority in (False, True):
            kept = state.estimate_new(service_id, is_priority, now)
            assert kept == replayed(state, service_id, is_priority, now)
    # The snapshot's figures (one play-through for all services) equal a replay per
    # service (nothing learnt yet: told as played).
    state.publish()
    snapshot = state.snapshot
    figures = snapshot.figures(now)
    for service in catalogue.services:
        for is_priority, told in ((False, figures.new_ticket), (True, figures.new_priority_ticket)):
            assert told[service.id] == estimate_new_ticket(
                service.id,
                is_priority,
                snapshot.open_counters(now),
                snapshot.book(),
                catalogue.services_by_id,
                snapshot.durations(),
                now,
                catalogue.policy,
                state.forecast(now),
            )


def test_the_kept_play_through_serves_a_burst_without_replaying() -> None:
    """Within its lifetime a burst of issues reuses one play-through (the same basis),
    and each estimate still equals the full replay with that basis."""
    state = LiveState(CATALOGUE)
    for counter_id in COUNTERS[:4]:
        state.put_counter(lifecycle.open_counter(state.counters[counter_id], clerk="c", now=T0))
    service = CATALOGUE.services[0]
    now = T0
    first_basis = state.play_basis(now)
    for seq in range(1, 450):  # past the play-through bound (MAX_SIMULATED_CALLS)
        now += timedelta(microseconds=200)
        assert state.estimate_new(service.id, False, now) == replayed(state, service.id, False, now)
        ticket = lifecycle.issue(
            ticket_id=f"t{seq}",
            service=service,
            seq=seq,
            business_day=T0.date(),
            language="lv",
            is_priority=False,
            now=now,
        )
        state.put_ticket(ticket)
        state.count_issue(ticket)
    assert state.play_basis(now) is first_basis
