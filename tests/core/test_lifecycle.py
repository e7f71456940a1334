"""Every legal move of a ticket, and the specific error for every illegal one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import lifecycle
from core.errors import (
    CounterBusy,
    CounterNotOpen,
    IllegalTransition,
    ReactivationExpired,
    WrongCounter,
)
from core.model import CounterState, CounterStatus, QueuePolicy, TicketStatus
from tests.support.factories import T0, service, ticket

POLICY = QueuePolicy(no_show_reactivation_window=timedelta(minutes=15))
SVC = service("residence", "A")
OTHER = service("tax", "E")
MIN = timedelta(minutes=1)


def called(at_counter: str = "c1"):
    return lifecycle.call(
        ticket(SVC, 1, T0), counter_id=at_counter, clerk="anna", now=T0 + MIN, policy=POLICY
    )


def test_full_visit_is_time_stamped() -> None:
    t = called()
    assert t.status is TicketStatus.CALLED and t.called_at == T0 + MIN
    assert t.first_called_at == T0 + MIN and t.counter_id == "c1" and t.clerk == "anna"
    t = lifecycle.recall(t, counter_id="c1", now=T0 + 2 * MIN)
    assert t.recall_count == 1 and t.called_at == T0 + 2 * MIN
    assert t.first_called_at == T0 + MIN, (
        "a recall does not change when the visitor was first called"
    )
    t = lifecycle.start(t, counter_id="c1", now=T0 + 3 * MIN)
    assert t.status is TicketStatus.SERVING and t.started_at == T0 + 3 * MIN
    t = lifecycle.finish(t, counter_id="c1", now=T0 + 9 * MIN, delivered_service="tax", note="ok")
    assert t.status is TicketStatus.DONE and t.finished_at == T0 + 9 * MIN
    assert (t.delivered_service, t.note) == ("tax", "ok")
    assert t.status.is_final


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("start", TicketStatus.WAITING),
        ("finish", TicketStatus.WAITING),
        ("recall", TicketStatus.WAITING),
        ("no_show", TicketStatus.WAITING),
        ("park", TicketStatus.WAITING),
        ("resume", TicketStatus.WAITING),
        ("reactivate", TicketStatus.WAITING),
    ],
)
def test_illegal_moves_from_waiting(action: str, status: TicketStatus) -> None:
    waiting = ticket(SVC, 1, T0)
    assert waiting.status is status
    kwargs = {"now": T0}
    if action in ("start", "finish", "recall", "no_show", "park"):
        kwargs["counter_id"] = "c1"
    if action == "resume":
        kwargs.update(counter_id="c1", clerk=None)
    if action == "reactivate":
        kwargs["policy"] = POLICY
    with pytest.raises(IllegalTransition) as info:
        getattr(lifecycle, action)(waiting, **kwargs)
    assert info.value.code == "illegal_transition"
    assert "A001" in info.value.message


def test_finished_ticket_cannot_be_called_cancelled_or_transferred() -> None:
    t = lifecycle.finish(
        lifecycle.start(called(), counter_id="c1", now=T0), counter_id="c1", now=T0
    )
    with pytest.raises(IllegalTransition):
        lifecycle.call(t, counter_id="c2", clerk=None, now=T0, policy=POLICY)
    with pytest.raises(IllegalTransition):
        lifecycle.cancel(t, now=T0)
    with pytest.raises(IllegalTransition):
        lifecycle.transfer(t, now=T0, to_service=OTHER)


def test_another_counter_cannot_act_on_a_called_ticket() -> None:
    with pytest.raises(WrongCounter):
        lifecycle.start(called("c1"), counter_id="c2", now=T0)


def test_no_show_can_be_reactivated_within_the_window_only() -> None:
    gone = lifecycle.no_show(called(), counter_id="c1", now=T0 + 5 * MIN)
    back = lifecycle.reactivate(gone, now=T0 + 19 * MIN, policy=POLICY)
    assert back.status is TicketStatus.WAITING and back.issued_at == T0
    with pytest.raises(ReactivationExpired):
        lifecycle.reactivate(gone, now=T0 + 21 * MIN, policy=POLICY)
    again = lifecycle.call(gone, counter_id="c2", clerk=None, now=T0 + 10 * MIN, policy=POLICY)
    assert again.status is TicketStatus.CALLED and again.counter_id == "c2"
    with pytest.raises(ReactivationExpired):
        lifecycle.call(gone, counter_id="c2", clerk=None, now=T0 + 30 * MIN, policy=POLICY)


def test_park_and_resume_at_another_counter() -> None:
    serving = lifecycle.start(called(), counter_id="c1", now=T0 + 2 * MIN)
    parked = lifecycle.park(serving, counter_id="c1", now=T0 + 4 * MIN)
    assert parked.status is TicketStatus.PARKED and parked.parked_at == T0 + 4 * MIN
    resumed = lifecycle.resume(parked, counter_id="c3", clerk="ivan", now=T0 + 20 * MIN)
    assert resumed.status is TicketStatus.CALLED and resumed.counter_id == "c3"
    assert resumed.called_at == T0 + 20 * MIN and resumed.started_at is None


def test_transfer_keeps_number_and_issue_time() -> None:
    serving = lifecycle.start(called(), counter_id="c1", now=T0 + 2 * MIN)
    moved = lifecycle.transfer(serving, now=T0 + 5 * MIN, to_service=OTHER)
    assert moved.status is TicketStatus.WAITING
    assert (moved.number, moved.issued_at, moved.service_id) == ("A001", T0, "tax")
    assert moved.original_service_id == "residence" and moved.transfer_count == 1
    assert moved.counter_id is None and moved.transferred_at == T0 + 5 * MIN
    to_counter = lifecycle.transfer(serving, now=T0 + 5 * MIN, to_counter_id="c4")
    assert to_counter.target_counter_id == "c4" and to_counter.service_id == "residence"


def test_cancel_and_expire() -> None:
    waiting = ticket(SVC, 1, T0)
    assert lifecycle.cancel(waiting, now=T0 + MIN).cancelled_at == T0 + MIN
    expired = lifecycle.expire(waiting, now=T0 + MIN)
    assert expired.status is TicketStatus.EXPIRED and expired.expired_at == T0 + MIN
    serving = lifecycle.start(called(), counter_id="c1", now=T0)
    with pytest.raises(IllegalTransition):
        lifecycle.expire(serving, now=T0)


def test_walk_direct_is_recorded_as_a_visit_in_service() -> None:
    visit = lifecycle.walk_direct(
        ticket_id="w",
        service=SVC,
        seq=7,
        business_day=T0.date(),
        language="ru",
        counter_id="c2",
        clerk="ivan",
        now=T0,
    )
    assert visit.walk_direct and visit.status is TicketStatus.SERVING
    assert (visit.number, visit.counter_id, visit.started_at) == ("A007", "c2", T0)


def test_counter_states() -> None:
    closed = CounterState("c1")
    with pytest.raises(CounterNotOpen):
        lifecycle.require_free_open_counter(closed)
    with pytest.raises(CounterNotOpen):
        lifecycle.pause_counter(closed, now=T0)
    opened = lifecycle.open_counter(closed, clerk="anna", now=T0)
    assert opened.status is CounterStatus.OPEN and opened.clerk == "anna"
    lifecycle.require_free_open_counter(opened)
    busy = lifecycle.hold(opened, "t1")
    with pytest.raises(CounterBusy):
        lifecycle.require_free_open_counter(busy)
    with pytest.raises(CounterBusy):
        lifecycle.close_counter(busy, now=T0)
    paused = lifecycle.pause_counter(lifecycle.release(busy), now=T0)
    with pytest.raises(CounterNotOpen):
        lifecycle.require_free_open_counter(paused)
    assert lifecycle.close_counter(paused, now=T0).status is CounterStatus.CLOSED
