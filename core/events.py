"""Event types of the append-only event log, and how their payloads look.

Every state change the server commits appends one or more events. Terminals
receive them over Server-Sent Events; statistics are computed from them.
An event's `data` is plain JSON, encoded from its wire view (`core.wire.event_data`;
`core.wire.events` maps each type to its view and decodes the stream's form).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from core.model import CounterState, Ticket
from core.wire.codec import Json, encode
from core.wire.envelope import event_json
from core.wire.event_data import (
    ApplicationLodgedData,
    ApplicationStatusData,
    AppointmentData,
    CatalogueAppliedData,
    CounterData,
    DeviceAddedData,
    DeviceData,
    DeviceStatusData,
    FeedbackData,
    HoursAddedData,
    HoursData,
    NotificationFailedData,
    TickerData,
    TicketData,
    UserAddedData,
    UserData,
)
from core.wire.payloads import CounterStateView, TicketView

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
CATALOGUE_APPLIED = "catalogue.applied"

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
COUNTER_EVENTS = frozenset({COUNTER_OPENED, COUNTER_PAUSED, COUNTER_CLOSED})
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
    | COUNTER_EVENTS
    | APPOINTMENT_EVENTS
    | {
        NOTIFICATION_FAILED,
        DEVICE_STATUS,
        TICKER_CHANGED,
        CENTRE_DAY_CHANGED,
        APPLICATION_LODGED,
        APPLICATION_STATUS,
        FEEDBACK_GIVEN,
        CATALOGUE_APPLIED,
    }
)
"""Every type the event log holds (the stream's `type` filter accepts these and their
dotted prefixes, such as `ticket`)."""


@dataclass(frozen=True)
class EventDraft:
    """An event before the store gives it a sequence number."""

    type: str
    data: Json = field(default_factory=dict)
    service_id: str | None = None
    counter_id: str | None = None
    ticket_id: str | None = None


@dataclass(frozen=True)
class Event:
    """A committed event, as stored and streamed."""

    seq: int
    type: str
    at: datetime
    data: Json
    service_id: str | None = None
    counter_id: str | None = None
    ticket_id: str | None = None

    def as_json(self) -> Json:
        """The event as the SSE `data:` payload carries it (`core.wire.events`)."""
        return event_json(
            self.seq,
            self.type,
            self.at,
            self.data,
            service_id=self.service_id,
            counter_id=self.counter_id,
            ticket_id=self.ticket_id,
        )


def iso(moment: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 (None stays None)."""
    return moment.isoformat() if moment is not None else None


def iso_day(day: date | None) -> str | None:
    """A date as ISO 8601."""
    return day.isoformat() if day is not None else None


def ticket_json(ticket: Ticket) -> Json:
    """The ticket's stored fields as JSON (`core.wire.payloads.TicketView`)."""
    return encode(TicketView.of(ticket))


def counter_state_json(state: CounterState) -> Json:
    """A counter's live state as JSON (`core.wire.payloads.CounterStateView`)."""
    return encode(CounterStateView.of(state))


def ticket_event(
    event_type: str,
    ticket: Ticket,
    *,
    counter_label: str | None = None,
    from_service_id: str | None = None,
    from_counter_id: str | None = None,
    automatic: bool | None = None,
    device: str | None = None,
    error: str | None = None,
) -> EventDraft:
    """An event about one ticket, carrying the whole ticket (`TicketData`)."""
    data = TicketData(
        ticket=TicketView.of(ticket),
        counter_label=counter_label,
        from_service_id=from_service_id,
        from_counter_id=from_counter_id,
        automatic=automatic,
        device=device,
        error=error,
    )
    return EventDraft(
        type=event_type,
        data=encode(data),
        service_id=ticket.service_id,
        counter_id=ticket.counter_id or ticket.target_counter_id,
        ticket_id=ticket.id,
    )


def user_added_event(
    username: str, role: str, counter_id: str | None, department_id: str | None
) -> EventDraft:
    """`user.added`: the user name, role and links, never the password or its hash."""
    return EventDraft(
        type=USER_ADDED, data=encode(UserAddedData(username, role, counter_id, department_id))
    )


def user_event(event_type: str, username: str) -> EventDraft:
    """`user.disabled`, `user.enabled`, `user.password_changed`: the user name only."""
    return EventDraft(type=event_type, data=encode(UserData(username)))


def device_added_event(name: str, role: str, counter_id: str | None) -> EventDraft:
    """`device.added`: its name, role and counter, never its token."""
    return EventDraft(type=DEVICE_ADDED, data=encode(DeviceAddedData(name, role, counter_id)))


def device_revoked_event(name: str) -> EventDraft:
    """`device.revoked`."""
    return EventDraft(type=DEVICE_REVOKED, data=encode(DeviceData(name)))


def hours_added_event(day: date, hours: list[str], closed: bool, note: str) -> EventDraft:
    """`hours.exception_added`: the date's ranges or closed, and its note."""
    return EventDraft(
        type=HOURS_EXCEPTION_ADDED, data=encode(HoursAddedData(day, tuple(hours), closed, note))
    )


def hours_removed_event(day: date) -> EventDraft:
    """`hours.exception_removed`."""
    return EventDraft(type=HOURS_EXCEPTION_REMOVED, data=encode(HoursData(day)))


def counter_event(event_type: str, state: CounterState) -> EventDraft:
    """An event about a counter's state (`CounterData`)."""
    return EventDraft(
        type=event_type,
        data=encode(CounterData(CounterStateView.of(state))),
        counter_id=state.counter_id,
    )


def ticker_event(text: str) -> EventDraft:
    """`display.ticker`: the hall displays' new ticker text."""
    return EventDraft(type=TICKER_CHANGED, data=encode(TickerData(text)))


def device_status_event(
    device: str, role: str, printer: str, detail: str | None, version: str | None
) -> EventDraft:
    """`device.status`: a terminal's printer state changed."""
    return EventDraft(
        type=DEVICE_STATUS, data=encode(DeviceStatusData(device, role, printer, detail, version))
    )


def feedback_event(
    rating: int, *, ticket_id: str, service_id: str | None, counter_id: str | None
) -> EventDraft:
    """`feedback.given`: a visitor's rating of the visit `ticket_id`."""
    return EventDraft(
        type=FEEDBACK_GIVEN,
        data=encode(FeedbackData(rating)),
        service_id=service_id,
        counter_id=counter_id,
        ticket_id=ticket_id,
    )


def application_lodged_event(
    registration_number: str, type_id: str, department_id: str, service_id: str
) -> EventDraft:
    """`application.lodged` (no personal data)."""
    data = ApplicationLodgedData(registration_number, type_id, department_id)
    return EventDraft(type=APPLICATION_LODGED, data=encode(data), service_id=service_id)


def application_status_event(
    registration_number: str, type_id: str, department_id: str, status: str, service_id: str
) -> EventDraft:
    """`application.status`: the application moved to `status`."""
    data = ApplicationStatusData(registration_number, type_id, department_id, status)
    return EventDraft(type=APPLICATION_STATUS, data=encode(data), service_id=service_id)


def appointment_event(
    event_type: str,
    appointment_id: str,
    starts_at: datetime,
    service_id: str,
    ticket_id: str | None = None,
) -> EventDraft:
    """`appointment.*`: a booking and when it starts (never a name or a contact); a
    check-in also names the ticket it gave (the event's `ticket_id`)."""
    data = AppointmentData(appointment_id, starts_at)
    return EventDraft(
        type=event_type, data=encode(data), service_id=service_id, ticket_id=ticket_id
    )


def notification_failed_event(
    notification_id: int, kind: str, channel: str, attempts: int
) -> EventDraft:
    """`notification.failed`: a notice not sent after `attempts` tries."""
    data = NotificationFailedData(notification_id, kind, channel, attempts)
    return EventDraft(type=NOTIFICATION_FAILED, data=encode(data))


def catalogue_applied(
    version: int, *, withdrawn: list[str], restored: list[str], added: list[str]
) -> EventDraft:
    """`catalogue.applied`: a subscribed centre now runs national catalogue `version`;
    terminals read the services again. `withdrawn`: services no longer offered for new
    tickets (tickets already issued are still served); `restored`: offered again;
    `added`: new here."""
    data = CatalogueAppliedData(version, tuple(withdrawn), tuple(restored), tuple(added))
    return EventDraft(type=CATALOGUE_APPLIED, data=encode(data))
