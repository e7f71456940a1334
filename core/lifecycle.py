"""Ticket and counter lifecycle: every legal move, time-stamped.

    waiting ──call──► called ──start──► serving ──finish──► done
       ▲  │             │ ▲  recall       │
       │  │             │ └──────────┐    │
       │  │             ├─no-show─► no_show ──reactivate (within window)──┐
       │  │             ├─park──► parked ◄──park── serving                │
       │  │             │           └──resume──► called                   │
       │  └─cancel──► cancelled     (waiting, called, parked)            │
       ├──────────────────────── transfer (any active status) ◄──────────┘ (reactivate)
       └─expire at closing──► expired (waiting, parked, no_show)

Each function takes the current value and the time and returns the new value,
or raises `IllegalTransition` (or another `core.errors.Conflict`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from core.errors import (
    CounterBusy,
    CounterNotOpen,
    IllegalTransition,
    ReactivationExpired,
    WrongCounter,
)
from core.model import (
    CounterState,
    CounterStatus,
    QueuePolicy,
    Service,
    Ticket,
    TicketStatus,
)
from core.numbering import format_number

ACTIVE_STATUSES = frozenset(
    {TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.PARKED}
)


def _require(ticket: Ticket, allowed: set[TicketStatus], action: str) -> None:
    if ticket.status not in allowed:
        raise IllegalTransition(ticket.number, ticket.status.value, action)


def _require_holder(ticket: Ticket, counter_id: str | None) -> None:
    if counter_id is not None and ticket.counter_id not in (None, counter_id):
        raise WrongCounter(
            f"Ticket {ticket.number} is at counter {ticket.counter_id}, not {counter_id}."
        )


def issue(
    *,
    ticket_id: str,
    service: Service,
    seq: int,
    business_day: date,
    language: str,
    is_priority: bool,
    now: datetime,
    appointment_at: datetime | None = None,
) -> Ticket:
    """A new waiting ticket (`appointment_at`: the booked time of a checked-in booking)."""
    return Ticket(
        id=ticket_id,
        number=format_number(service.prefix, seq),
        prefix=service.prefix,
        seq=seq,
        business_day=business_day,
        service_id=service.id,
        original_service_id=service.id,
        language=language,
        is_priority=is_priority,
        status=TicketStatus.WAITING,
        issued_at=now,
        appointment_at=appointment_at,
    )


def walk_direct(
    *,
    ticket_id: str,
    service: Service,
    seq: int,
    business_day: date,
    language: str,
    counter_id: str,
    clerk: str | None,
    now: datetime,
) -> Ticket:
    """A visitor served at once without having taken a ticket (still recorded)."""
    ticket = issue(
        ticket_id=ticket_id,
        service=service,
        seq=seq,
        business_day=business_day,
        language=language,
        is_priority=False,
        now=now,
    )
    return replace(
        ticket,
        status=TicketStatus.SERVING,
        walk_direct=True,
        counter_id=counter_id,
        clerk=clerk,
        first_called_at=now,
        called_at=now,
        started_at=now,
    )


def call(
    ticket: Ticket,
    *,
    counter_id: str,
    clerk: str | None,
    now: datetime,
    policy: QueuePolicy,
) -> Ticket:
    """Call a waiting ticket (or a no-show still within its window) to a counter."""
    _require(ticket, {TicketStatus.WAITING, TicketStatus.NO_SHOW}, "called")
    if ticket.status is TicketStatus.NO_SHOW:
        _check_reactivation(ticket, now, policy)
    return replace(
        ticket,
        status=TicketStatus.CALLED,
        counter_id=counter_id,
        target_counter_id=None,
        clerk=clerk,
        called_at=now,
        first_called_at=ticket.first_called_at or now,
        recall_count=0,
        no_show_at=None,
    )


def recall(ticket: Ticket, *, counter_id: str | None, now: datetime) -> Ticket:
    """Call the same ticket again; the hall display repeats it."""
    _require(ticket, {TicketStatus.CALLED}, "recalled")
    _require_holder(ticket, counter_id)
    return replace(ticket, recall_count=ticket.recall_count + 1, called_at=now)


def start(ticket: Ticket, *, counter_id: str | None, now: datetime) -> Ticket:
    """The visitor arrived at the counter; service begins."""
    _require(ticket, {TicketStatus.CALLED}, "started")
    _require_holder(ticket, counter_id)
    return replace(ticket, status=TicketStatus.SERVING, started_at=now)


def finish(
    ticket: Ticket,
    *,
    counter_id: str | None,
    now: datetime,
    delivered_service: str | None = None,
    note: str | None = None,
) -> Ticket:
    """Service completed."""
    _require(ticket, {TicketStatus.SERVING}, "finished")
    _require_holder(ticket, counter_id)
    return replace(
        ticket,
        status=TicketStatus.DONE,
        finished_at=now,
        delivered_service=delivered_service,
        note=note if note is not None else ticket.note,
    )


def no_show(ticket: Ticket, *, counter_id: str | None, now: datetime) -> Ticket:
    """The visitor did not come after being called."""
    _require(ticket, {TicketStatus.CALLED}, "marked as no-show")
    _require_holder(ticket, counter_id)
    return replace(ticket, status=TicketStatus.NO_SHOW, no_show_at=now)


def _check_reactivation(ticket: Ticket, now: datetime, policy: QueuePolicy) -> None:
    assert ticket.no_show_at is not None
    if now - ticket.no_show_at > policy.no_show_reactivation_window:
        minutes = int(policy.no_show_reactivation_window.total_seconds() // 60)
        raise ReactivationExpired(
            f"Ticket {ticket.number} was marked as no-show more than {minutes} minutes ago."
        )


def reactivate(ticket: Ticket, *, now: datetime, policy: QueuePolicy) -> Ticket:
    """Put a no-show back in the queue at its original place (within the window)."""
    _require(ticket, {TicketStatus.NO_SHOW}, "reactivated")
    _check_reactivation(ticket, now, policy)
    return replace(ticket, status=TicketStatus.WAITING, no_show_at=None, counter_id=None)


def park(ticket: Ticket, *, counter_id: str | None, now: datetime) -> Ticket:
    """Set the visit aside (the visitor fetches a document); the counter is freed."""
    _require(ticket, {TicketStatus.CALLED, TicketStatus.SERVING}, "parked")
    _require_holder(ticket, counter_id)
    return replace(ticket, status=TicketStatus.PARKED, parked_at=now)


def resume(ticket: Ticket, *, counter_id: str, clerk: str | None, now: datetime) -> Ticket:
    """Bring a parked visit back: it is called again to `counter_id`."""
    _require(ticket, {TicketStatus.PARKED}, "resumed")
    return replace(
        ticket,
        status=TicketStatus.CALLED,
        counter_id=counter_id,
        clerk=clerk,
        called_at=now,
        started_at=None,
        parked_at=None,
        recall_count=0,
    )


def transfer(
    ticket: Ticket,
    *,
    now: datetime,
    to_service: Service | None = None,
    to_counter_id: str | None = None,
) -> Ticket:
    """Send the visit to another service's queue or to one counter's queue.

    The ticket keeps its number and original issue time, so it keeps its place
    in the centre rather than starting again at the back.
    """
    _require(ticket, set(ACTIVE_STATUSES) | {TicketStatus.NO_SHOW}, "transferred")
    if to_service is None and to_counter_id is None:
        raise ValueError("a transfer needs a service or a counter")
    return replace(
        ticket,
        status=TicketStatus.WAITING,
        service_id=to_service.id if to_service is not None else ticket.service_id,
        target_counter_id=to_counter_id,
        counter_id=None,
        transferred_at=now,
        transfer_count=ticket.transfer_count + 1,
        called_at=None,
        started_at=None,
        parked_at=None,
        no_show_at=None,
        recall_count=0,
    )


def cancel(ticket: Ticket, *, now: datetime) -> Ticket:
    """The visitor left or the ticket was issued by mistake."""
    _require(
        ticket,
        {TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.PARKED, TicketStatus.NO_SHOW},
        "cancelled",
    )
    return replace(ticket, status=TicketStatus.CANCELLED, cancelled_at=now)


def expire(ticket: Ticket, *, now: datetime) -> Ticket:
    """A ticket still waiting (or parked, or a no-show) when the centre closes."""
    _require(
        ticket,
        {TicketStatus.WAITING, TicketStatus.PARKED, TicketStatus.NO_SHOW, TicketStatus.CALLED},
        "expired",
    )
    return replace(ticket, status=TicketStatus.EXPIRED, expired_at=now)


def mark_printed(ticket: Ticket, *, printed: bool) -> Ticket:
    """Record whether the kiosk managed to print the ticket."""
    return replace(ticket, printed=printed)


# Counters -----------------------------------------------------------------


def open_counter(state: CounterState, *, clerk: str | None, now: datetime) -> CounterState:
    """The counter starts (or resumes) taking visitors."""
    return replace(state, status=CounterStatus.OPEN, since=now, clerk=clerk or state.clerk)


def pause_counter(state: CounterState, *, now: datetime) -> CounterState:
    """No new calls; a ticket already held may be finished."""
    if state.status is CounterStatus.CLOSED:
        raise CounterNotOpen(f"Counter {state.counter_id} is closed; open it first.")
    return replace(state, status=CounterStatus.PAUSED, since=now)


def close_counter(state: CounterState, *, now: datetime) -> CounterState:
    """The clerk leaves the counter; it must not hold a visitor."""
    if state.current_ticket_id is not None:
        raise CounterBusy(
            f"Counter {state.counter_id} still holds a ticket; finish, park or transfer it first."
        )
    return replace(state, status=CounterStatus.CLOSED, since=now, clerk=None)


def require_free_open_counter(state: CounterState) -> None:
    """Raise unless the counter is open and holds nobody (before a call)."""
    if state.status is not CounterStatus.OPEN:
        raise CounterNotOpen(f"Counter {state.counter_id} is {state.status.value}; open it first.")
    if state.current_ticket_id is not None:
        raise CounterBusy(
            f"Counter {state.counter_id} still holds a ticket; "
            "finish it or mark it as no-show first."
        )


def hold(state: CounterState, ticket_id: str) -> CounterState:
    """The counter now holds `ticket_id`."""
    return replace(state, current_ticket_id=ticket_id)


def release(state: CounterState) -> CounterState:
    """The counter no longer holds a ticket."""
    return replace(state, current_ticket_id=None)
