"""Event types of the append-only event log, and how their payloads look.

Every state change the server commits appends one or more events. Terminals
receive them over Server-Sent Events; statistics are computed from them.
An event's `data` is plain JSON; tickets and counters inside it use the same
shape as the REST API (`ticket_json`, `counter_state_json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.model import CounterState, Ticket

TICKET_ISSUED = "ticket.issued"
TICKET_CALLED = "ticket.called"
TICKET_RECALLED = "ticket.recalled"
TICKET_STARTED = "ticket.started"
TICKET_FINISHED = "ticket.finished"
TICKET_NO_SHOW = "ticket.no_show"
TICKET_REACTIVATED = "ticket.reactivated"
TICKET_PARKED = "ticket.parked"
TICKET_RESUMED = "ticket.resumed"
TICKET_TRANSFERRED = "ticket.transferred"
TICKET_CANCELLED = "ticket.cancelled"
TICKET_EXPIRED = "ticket.expired"
TICKET_WALK_DIRECT = "ticket.walk_direct"
TICKET_PRINTED = "ticket.printed"
TICKET_PRINT_FAILED = "ticket.print_failed"
COUNTER_OPENED = "counter.opened"
COUNTER_PAUSED = "counter.paused"
COUNTER_CLOSED = "counter.closed"
DEVICE_STATUS = "device.status"
TICKER_CHANGED = "display.ticker"
CENTRE_DAY_CHANGED = "centre.day_changed"
APPLICATION_LODGED = "application.lodged"
APPLICATION_STATUS = "application.status"
FEEDBACK_GIVEN = "feedback.given"
APPOINTMENT_BOOKED = "appointment.booked"
APPOINTMENT_CANCELLED = "appointment.cancelled"
APPOINTMENT_CHECKED_IN = "appointment.checked_in"
APPOINTMENT_MISSED = "appointment.missed"
NOTIFICATION_FAILED = "notification.failed"
USER_ADDED = "user.added"
USER_DISABLED = "user.disabled"
USER_ENABLED = "user.enabled"
USER_PASSWORD_CHANGED = "user.password_changed"
DEVICE_ADDED = "device.added"
DEVICE_REVOKED = "device.revoked"
HOURS_EXCEPTION_ADDED = "hours.exception_added"
HOURS_EXCEPTION_REMOVED = "hours.exception_removed"

HEARTBEAT_HEADER = "Rinda-Heartbeat-Seconds"
"""Response header of `GET /api/v1/events`: how often the server sends a heartbeat
comment, in seconds (a client that hears nothing for two of them reconnects)."""
DEFAULT_HEARTBEAT_SECONDS = 15.0
"""Assumed when a server does not say (the server's default)."""

TICKET_EVENTS = frozenset(
    {
        TICKET_ISSUED,
        TICKET_CALLED,
        TICKET_RECALLED,
        TICKET_STARTED,
        TICKET_FINISHED,
        TICKET_NO_SHOW,
        TICKET_REACTIVATED,
        TICKET_PARKED,
        TICKET_RESUMED,
        TICKET_TRANSFERRED,
        TICKET_CANCELLED,
        TICKET_EXPIRED,
        TICKET_WALK_DIRECT,
        TICKET_PRINTED,
        TICKET_PRINT_FAILED,
    }
)
CALL_EVENTS = frozenset({TICKET_CALLED, TICKET_RECALLED, TICKET_RESUMED})
"""Events the hall display announces."""
ADMIN_EVENTS = frozenset(
    {
        USER_ADDED,
        USER_DISABLED,
        USER_ENABLED,
        USER_PASSWORD_CHANGED,
        DEVICE_ADDED,
        DEVICE_REVOKED,
        HOURS_EXCEPTION_ADDED,
        HOURS_EXCEPTION_REMOVED,
    }
)
"""Changes an admin makes (on the admin pages or with `rinda users|devices|hours`): they
name who changed what, never a secret (no password, hash or token)."""
APPOINTMENT_EVENTS = frozenset(
    {APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_CHECKED_IN, APPOINTMENT_MISSED}
)
"""What happens to bookings: `{appointment_id, starts_at}` (and `ticket_id` at check-in),
never a name or a contact."""
HOURS_EVENTS = frozenset({HOURS_EXCEPTION_ADDED, HOURS_EXCEPTION_REMOVED})
"""Changes to the opening hours: a server re-reads its hours when it sees one."""
EVENT_TYPES = (
    TICKET_EVENTS
    | ADMIN_EVENTS
    | APPOINTMENT_EVENTS
    | {
        NOTIFICATION_FAILED,
        COUNTER_OPENED,
        COUNTER_PAUSED,
        COUNTER_CLOSED,
        DEVICE_STATUS,
        TICKER_CHANGED,
        CENTRE_DAY_CHANGED,
        APPLICATION_LODGED,
        APPLICATION_STATUS,
        FEEDBACK_GIVEN,
    }
)
"""Every type the event log holds (the stream's `type` filter accepts these and their
dotted prefixes, such as `ticket`)."""


@dataclass(frozen=True)
class EventDraft:
    """An event before the store gives it a sequence number."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)
    service_id: str | None = None
    counter_id: str | None = None
    ticket_id: str | None = None


@dataclass(frozen=True)
class Event:
    """A committed event, as stored and streamed."""

    seq: int
    type: str
    at: datetime
    data: dict[str, Any]
    service_id: str | None = None
    counter_id: str | None = None
    ticket_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The event as the SSE `data:` payload carries it."""
        return {
            "seq": self.seq,
            "type": self.type,
            "at": iso(self.at),
            "service_id": self.service_id,
            "counter_id": self.counter_id,
            "ticket_id": self.ticket_id,
            **self.data,
        }


def iso(moment: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 (None stays None)."""
    return moment.isoformat() if moment is not None else None


def iso_day(day: date | None) -> str | None:
    """A date as ISO 8601."""
    return day.isoformat() if day is not None else None


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    """The ticket's stored fields as JSON (the API adds live figures)."""
    return {
        "id": ticket.id,
        "number": ticket.number,
        "prefix": ticket.prefix,
        "seq": ticket.seq,
        "business_day": iso_day(ticket.business_day),
        "service_id": ticket.service_id,
        "original_service_id": ticket.original_service_id,
        "language": ticket.language,
        "is_priority": ticket.is_priority,
        "status": ticket.status.value,
        "issued_at": iso(ticket.issued_at),
        "first_called_at": iso(ticket.first_called_at),
        "called_at": iso(ticket.called_at),
        "started_at": iso(ticket.started_at),
        "finished_at": iso(ticket.finished_at),
        "parked_at": iso(ticket.parked_at),
        "no_show_at": iso(ticket.no_show_at),
        "cancelled_at": iso(ticket.cancelled_at),
        "expired_at": iso(ticket.expired_at),
        "transferred_at": iso(ticket.transferred_at),
        "counter_id": ticket.counter_id,
        "target_counter_id": ticket.target_counter_id,
        "recall_count": ticket.recall_count,
        "transfer_count": ticket.transfer_count,
        "walk_direct": ticket.walk_direct,
        "clerk": ticket.clerk,
        "printed": ticket.printed,
        "delivered_service": ticket.delivered_service,
        "note": ticket.note,
        "appointment_at": iso(ticket.appointment_at),
    }


def counter_state_json(state: CounterState) -> dict[str, Any]:
    """A counter's live state as JSON."""
    return {
        "counter_id": state.counter_id,
        "status": state.status.value,
        "since": iso(state.since),
        "clerk": state.clerk,
        "current_ticket_id": state.current_ticket_id,
    }


def ticket_event(
    event_type: str, ticket: Ticket, *, counter_label: str | None = None, **extra: Any
) -> EventDraft:
    """An event about one ticket, carrying the whole ticket."""
    data: dict[str, Any] = {"ticket": ticket_json(ticket), **extra}
    if counter_label is not None:
        data["counter_label"] = counter_label
    return EventDraft(
        type=event_type,
        data=data,
        service_id=ticket.service_id,
        counter_id=ticket.counter_id or ticket.target_counter_id,
        ticket_id=ticket.id,
    )


def user_event(event_type: str, username: str, **details: Any) -> EventDraft:
    """An admin's change to a user account: the user name and what changed, never the
    password or its hash."""
    return EventDraft(type=event_type, data={"username": username, **details})


def device_event(event_type: str, name: str, **details: Any) -> EventDraft:
    """An admin's change to a device: its name and what changed, never its token."""
    return EventDraft(type=event_type, data={"device": name, **details})


def hours_event(event_type: str, day: date, **details: Any) -> EventDraft:
    """An admin's change to the opening hours of one date."""
    return EventDraft(type=event_type, data={"date": day.isoformat(), **details})


def counter_event(event_type: str, state: CounterState) -> EventDraft:
    """An event about a counter's state."""
    return EventDraft(
        type=event_type, data={"counter": counter_state_json(state)}, counter_id=state.counter_id
    )
