"""Estimated waiting times played forward through the real routing."""

from __future__ import annotations

from datetime import timedelta

from core import lifecycle
from core.estimate import (
    OpenCounter,
    estimate_new_ticket,
    expected_durations,
    people_ahead,
    remaining_time,
    simulate,
)
from core.model import QueuePolicy
from core.routing import QueueBook
from tests.support.factories import T0, counter, service, ticket

MIN = timedelta(minutes=1)
POLICY = QueuePolicy()
A = service("a", "A", expected_minutes=10)
B = service("b", "B", expected_minutes=5)
SERVICES = {"a": A, "b": B}
DURATIONS = {"a": 10 * MIN, "b": 5 * MIN}


def waiting(count: int, svc=A) -> QueueBook:
    return QueueBook.from_tickets(
        ticket(svc, i, T0 - (count - i) * MIN) for i in range(1, count + 1)
    )


def estimate(book: QueueBook, counters: list[OpenCounter], svc: str = "a", priority: bool = False):
    return estimate_new_ticket(svc, priority, counters, book, SERVICES, DURATIONS, T0, POLICY)


def test_one_free_counter_three_waiting() -> None:
    result = estimate(waiting(3), [OpenCounter(counter("c1", ("a",)))])
    assert result.wait == 30 * MIN and result.people_ahead == 3


def test_two_counters_share_the_queue() -> None:
    desks = [OpenCounter(counter("c1", ("a",))), OpenCounter(counter("c2", ("a",)))]
    result = estimate(waiting(3), desks)
    assert result.wait == 10 * MIN and result.people_ahead == 3


def test_a_busy_counter_counts_its_remaining_time() -> None:
    current = lifecycle.call(
        ticket(A, 99, T0 - 30 * MIN), counter_id="c1", clerk=None, now=T0 - 4 * MIN, policy=POLICY
    )
    result = estimate(waiting(0), [OpenCounter(counter("c1", ("a",)), current)])
    assert result.wait == 6 * MIN and result.people_ahead == 0


def test_overrunning_visit_still_needs_a_little_more() -> None:
    current = lifecycle.call(
        ticket(A, 99, T0 - 60 * MIN), counter_id="c1", clerk=None, now=T0 - 40 * MIN, policy=POLICY
    )
    assert remaining_time(current, 10 * MIN, T0) == 2.5 * MIN


def test_no_open_counter_means_unknown_wait() -> None:
    result = estimate(waiting(2), [OpenCounter(counter("c1", ("b",)))])
    assert result.wait is None and result.people_ahead == 2


def test_priority_visitor_waits_less() -> None:
    desks = [OpenCounter(counter("c1", ("a",)))]
    assert estimate(waiting(4), desks, priority=True).wait == 0 * MIN
    assert estimate(waiting(4), desks).wait == 40 * MIN


def test_other_services_on_a_shared_counter_delay_the_ticket() -> None:
    book = waiting(2, B)
    for t in waiting(1, A).all_tickets():
        book.add(t)
    desks = [OpenCounter(counter("c1", ("a", "b")))]
    # A001 is newest; B001 and B002 are older: 5 + 5 minutes first, then A001 (10), then us.
    result = estimate(book, desks, svc="a")
    assert result.wait == 20 * MIN and result.people_ahead == 1


def test_measured_durations_shrink_towards_the_catalogue() -> None:
    assert expected_durations(SERVICES, {})["a"] == 10 * MIN
    # Three samples of 4 minutes weigh as much as the catalogue's 10: mean 7.
    assert expected_durations(SERVICES, {"a": (240.0, 240.0, 240.0)})["a"] == 7 * MIN
    many = expected_durations(SERVICES, {"a": (240.0,) * 297})["a"]
    assert many.total_seconds() == (3 * 600 + 297 * 240) / 300


def test_schedule_and_people_ahead_per_service() -> None:
    book = waiting(3)
    desks = [OpenCounter(counter("c1", ("a",)))]
    schedule = simulate(desks, book, SERVICES, DURATIONS, T0, POLICY)
    tickets = book.all_tickets()
    assert [schedule.call_at[t.id] - T0 for t in tickets] == [0 * MIN, 10 * MIN, 20 * MIN]
    assert [people_ahead(schedule, book)[t.id] for t in tickets] == [0, 1, 2]


def test_planned_break_delays_the_estimate() -> None:
    desk = OpenCounter(counter("c1", ("a",)), breaks=((T0 + 5 * MIN, T0 + 35 * MIN),))
    result = estimate(waiting(2), [desk])
    # A001 at 0 (busy until 10), break until 35, A002 at 35, the new ticket at 45.
    assert result.wait == 45 * MIN


def test_counter_closing_early_is_not_counted_after_it_closes() -> None:
    early = OpenCounter(counter("c1", ("a",)), closes_at=T0 + 15 * MIN)
    stays = OpenCounter(counter("c2", ("a",)))
    result = estimate(waiting(4), [early, stays])
    # c1 calls at 0 and 10, then closes; c2 calls at 0, 10, 20: the new ticket at 20.
    assert result.wait == 20 * MIN


def test_forecast_priority_arrivals_overtake_a_normal_ticket() -> None:
    from core.estimate import ArrivalForecast

    desks = [OpenCounter(counter("c1", ("a",)))]
    history = [(T0 - k * 10 * MIN, "a", True) for k in range(6)]  # six per hour
    forecast = ArrivalForecast.from_history(history, T0)
    assert forecast.rates[("a", True)] == 6 / 3000
    plain = estimate_new_ticket("a", False, desks, waiting(2), SERVICES, DURATIONS, T0, POLICY)
    with_forecast = estimate_new_ticket(
        "a", False, desks, waiting(2), SERVICES, DURATIONS, T0, POLICY, forecast
    )
    assert plain.wait == 20 * MIN
    assert with_forecast.wait > plain.wait
    # A priority visitor is not delayed by later normal arrivals.
    normal_history = ArrivalForecast.from_history([(T0 - MIN, "a", False)] * 5, T0)
    assert (
        estimate_new_ticket(
            "a", True, desks, waiting(2), SERVICES, DURATIONS, T0, POLICY, normal_history
        ).wait
        == 0 * MIN
    )


def test_forecast_adds_one_visitor_per_stream_at_a_time() -> None:
    """An overloaded centre's forecast must not flood the play-through: routing sees
    only lane heads, so one forecast visitor per stream in the book is exact."""
    from core.estimate import ArrivalForecast, _Arrivals

    arrivals = _Arrivals(ArrivalForecast({("a", False): 100.0, ("a", True): 50.0}), T0)
    book = QueueBook()
    arrivals.admit(book, T0 + 60 * MIN)
    assert len(book) == 2  # not 540 000
    first = book.by_service["a"].normal[0]
    arrivals.admit(book, T0 + 60 * MIN)
    assert len(book) == 2  # the stream's next visitor waits until this one is called
    book.remove(first)
    arrivals.called(first.id)
    arrivals.admit(book, T0 + 60 * MIN)
    second = book.by_service["a"].normal[0]
    assert second.issued_at - first.issued_at == timedelta(seconds=0.01)
    # Later normal arrivals of the same service queue behind: the estimate is the
    # same with or without a (huge) forecast of them.
    desks = [OpenCounter(counter("c1", ("a",)))]
    flood = ArrivalForecast({("a", False): 100.0})
    plain = estimate_new_ticket("a", False, desks, waiting(300), SERVICES, DURATIONS, T0, POLICY)
    flooded = estimate_new_ticket(
        "a", False, desks, waiting(300), SERVICES, DURATIONS, T0, POLICY, flood
    )
    assert flooded == plain
