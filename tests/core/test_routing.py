"""Call-next routing: strategies, priority with a fairness bound, transfers to a counter."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core import lifecycle
from core.model import QueuePolicy, Strategy, Ticket
from core.routing import QueueBook, choose_next
from tests.support.factories import T0, counter, service, ticket

MIN = timedelta(minutes=1)
POLICY = QueuePolicy(priority_fairness_limit=timedelta(minutes=20))
A = service("a", "A", target_minutes=10)
B = service("b", "B", target_minutes=30)
C = service("c", "C", target_minutes=20)
SERVICES = {s.id: s for s in (A, B, C)}


def book_of(*tickets: Ticket) -> QueueBook:
    return QueueBook.from_tickets(tickets)


def test_longest_wait_picks_the_oldest_across_the_profile() -> None:
    desk = counter("c1", ("a", "b"))
    book = book_of(ticket(A, 1, T0 + 5 * MIN), ticket(B, 1, T0 + 2 * MIN), ticket(C, 1, T0))
    assert choose_next(desk, book, SERVICES, T0 + 10 * MIN, POLICY).number == "B001"


def test_profile_order_empties_the_first_service_first() -> None:
    desk = counter("c1", ("a", "b"), Strategy.PROFILE_ORDER)
    book = book_of(ticket(A, 1, T0 + 5 * MIN), ticket(B, 1, T0))
    assert choose_next(desk, book, SERVICES, T0 + 10 * MIN, POLICY).number == "A001"


def test_service_level_weighs_wait_against_target() -> None:
    desk = counter("c1", ("a", "b"), Strategy.SERVICE_LEVEL)
    # At 20 minutes: A001 waited 8 of 10 (0.8), B001 waited 20 of 30 (0.67).
    book = book_of(ticket(A, 1, T0 + 12 * MIN), ticket(B, 1, T0))
    assert choose_next(desk, book, SERVICES, T0 + 20 * MIN, POLICY).number == "A001"
    weighted = counter("c1", ("a", "b"), Strategy.SERVICE_LEVEL, {"b": 1.5})
    assert choose_next(weighted, book, SERVICES, T0 + 20 * MIN, POLICY).number == "B001"


def test_priority_goes_first_within_the_fairness_limit() -> None:
    desk = counter("c1", ("a",))
    book = book_of(ticket(A, 1, T0), ticket(A, 2, T0 + 5 * MIN, is_priority=True))
    assert choose_next(desk, book, SERVICES, T0 + 10 * MIN, POLICY).number == "A002"


def test_priority_does_not_overtake_a_ticket_past_the_fairness_limit() -> None:
    desk = counter("c1", ("a", "b"))
    book = book_of(ticket(A, 1, T0), ticket(B, 2, T0 + 5 * MIN, is_priority=True))
    assert choose_next(desk, book, SERVICES, T0 + 20 * MIN, POLICY).number == "A001"
    # A priority ticket that has waited even longer still goes first.
    book.add(ticket(B, 3, T0 - MIN, is_priority=True))
    assert choose_next(desk, book, SERVICES, T0 + 20 * MIN, POLICY).number == "B003"


def test_ticket_transferred_to_a_counter_goes_first_there_only() -> None:
    moved = lifecycle.transfer(ticket(C, 9, T0 + 9 * MIN), now=T0 + 10 * MIN, to_counter_id="c2")
    book = book_of(ticket(A, 1, T0), moved)
    assert (
        choose_next(counter("c2", ("a",)), book, SERVICES, T0 + 11 * MIN, POLICY).number == "C009"
    )
    assert (
        choose_next(counter("c1", ("a", "c")), book, SERVICES, T0 + 11 * MIN, POLICY).number
        == "A001"
    )


def test_nothing_to_call_outside_the_profile() -> None:
    book = book_of(ticket(C, 1, T0))
    assert choose_next(counter("c1", ("a", "b")), book, SERVICES, T0, POLICY) is None


def test_queue_book_keeps_queue_order_when_a_transfer_arrives() -> None:
    book = book_of(ticket(A, 1, T0), ticket(A, 3, T0 + 10 * MIN))
    earlier = lifecycle.transfer(ticket(B, 2, T0 + 5 * MIN), now=T0 + 11 * MIN, to_service=A)
    book.add(earlier)
    assert [t.number for t in book.by_service["a"].normal] == ["A001", "B002", "A003"]
    book.remove(earlier)
    assert [t.number for t in book.by_service["a"].normal] == ["A001", "A003"]


# -- properties ----------------------------------------------------------------

arrivals = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.integers(min_value=0, max_value=120),  # minute of issue
        st.booleans(),  # priority
    ),
    min_size=1,
    max_size=40,
)
profiles = st.lists(
    st.tuples(
        st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True),
        st.sampled_from(list(Strategy)),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(arrivals=arrivals, profiles=profiles, service_minutes=st.integers(1, 15))
def test_every_ticket_is_called_once_by_one_counter_and_fairness_holds(
    arrivals: list[tuple[str, int, bool]],
    profiles: list[tuple[list[str], Strategy]],
    service_minutes: int,
) -> None:
    """Counters keep calling; every ticket is eventually called, exactly once, by one
    counter at a time, and no priority ticket ever overtakes a normal ticket that has
    waited past the fairness limit."""
    desks = [
        counter(f"c{i}", tuple(services), strategy)
        for i, (services, strategy) in enumerate(profiles)
    ]
    # Every service must be served by someone, otherwise it legitimately waits forever.
    covered = {s for d in desks for s in d.profile.service_ids}
    issued = [
        ticket(SERVICES[sid], seq, T0 + minute * MIN, is_priority=prio)
        for seq, (sid, minute, prio) in enumerate(arrivals, start=1)
        if sid in covered
    ]
    pending = sorted(issued, key=lambda t: t.issued_at)
    book = QueueBook()
    free_at = {d.id: T0 for d in desks}
    held: dict[str, str] = {}
    called: dict[str, str] = {}
    now = T0
    for _ in range(10 * len(issued) + 10):
        if len(called) == len(issued):
            break
        desk = min(desks, key=lambda d: (free_at[d.id], d.id))
        now = max(now, free_at[desk.id])
        while pending and pending[0].issued_at <= now:
            book.add(pending.pop(0))
        held.pop(desk.id, None)
        choice = choose_next(desk, book, SERVICES, now, POLICY)
        if choice is None:
            # Idle until the next arrival.
            free_at[desk.id] = pending[0].issued_at if pending else now + 1000 * MIN
            continue
        if choice.is_priority:
            for lane in book.by_service.values():
                for normal in lane.normal:
                    overdue = normal.waited(now) >= POLICY.priority_fairness_limit
                    served_here = normal.service_id in desk.profile.service_ids
                    assert not (overdue and served_here and normal.issued_at < choice.issued_at), (
                        f"{choice.number} overtook {normal.number}"
                    )
        book.remove(choice)
        assert choice.id not in called, "called twice"
        assert choice.id not in held.values(), "held by two counters"
        called[choice.id] = desk.id
        held[desk.id] = choice.id
        free_at[desk.id] = now + service_minutes * MIN
    assert len(called) == len(issued)
    assert len(book) == 0


def booked(svc, seq: int, checked_in_at, booked_for) -> Ticket:
    """The ticket of a booking for `booked_for`, checked in at `checked_in_at`."""
    return lifecycle.issue(
        ticket_id=f"{svc.prefix}{seq}",
        service=svc,
        seq=seq,
        business_day=T0.date(),
        language="lv",
        is_priority=False,
        now=checked_in_at,
        appointment_at=booked_for,
    )


def test_a_booked_visitor_is_called_from_the_booked_time_before_walk_ins() -> None:
    desk = counter("c1", ("a",))
    walk_in = ticket(A, 1, T0)
    early = booked(A, 2, T0 + 2 * MIN, T0 + 15 * MIN)  # checked in 13 minutes early
    book = book_of(walk_in, early)
    # Before the booked time the walk-in goes first; the booking is not due.
    assert choose_next(desk, book, SERVICES, T0 + 10 * MIN, POLICY).number == "A001"
    assert early.waited(T0 + 10 * MIN) == timedelta(0)
    # From the booked time on, the booking goes before a walk-in within the bound.
    assert choose_next(desk, book, SERVICES, T0 + 15 * MIN, POLICY).number == "A002"


def test_a_walk_in_past_the_fairness_limit_is_not_overtaken_by_a_booking() -> None:
    desk = counter("c1", ("a", "b"))
    walk_in = ticket(A, 1, T0)
    due = booked(B, 2, T0, T0 + 10 * MIN)
    book = book_of(walk_in, due)
    # At +20 the walk-in has waited 20 minutes, the booking 10 (from its booked time).
    assert choose_next(desk, book, SERVICES, T0 + 20 * MIN, POLICY).number == "A001"
    # A booking that has waited longer than the overdue walk-in still goes first.
    book.add(booked(B, 3, T0 - 5 * MIN, T0 - 5 * MIN))
    assert choose_next(desk, book, SERVICES, T0 + 20 * MIN, POLICY).number == "B003"


def test_a_late_check_in_waits_from_the_check_in() -> None:
    late = booked(A, 1, T0 + 8 * MIN, T0)
    assert late.queued_since == T0 + 8 * MIN
    assert late.waited(T0 + 10 * MIN) == 2 * MIN


def test_an_idle_counter_calls_an_early_booking_rather_than_nobody() -> None:
    desk = counter("c1", ("a",))
    book = book_of(booked(A, 1, T0, T0 + 25 * MIN))
    assert choose_next(desk, book, SERVICES, T0, POLICY).number == "A001"


def test_a_due_booking_goes_before_a_priority_ticket_that_waited_less() -> None:
    desk = counter("c1", ("a",))
    book = book_of(ticket(A, 1, T0 + 12 * MIN, is_priority=True), booked(A, 2, T0, T0 + 10 * MIN))
    assert choose_next(desk, book, SERVICES, T0 + 14 * MIN, POLICY).number == "A002"
