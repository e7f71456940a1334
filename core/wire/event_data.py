"""The data of each event type, as wire views (`core.wire.events` maps types to them).

An event's data members sit beside the envelope's on the stream; a detail only some
events of a type carry is left out when it has no value (`core.wire.codec.omitted`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.wire.codec import Json, WireView, omitted
from core.wire.payloads import CounterStateView, TicketView


@dataclass(frozen=True)
class TicketData(WireView):
    """`ticket.*`: the ticket as it is after the event."""

    ticket: TicketView
    counter_label: str | None = omitted()
    """The label of the counter holding the ticket (calls, recalls ...)."""
    from_service_id: str | None = omitted()
    """`ticket.transferred`: the service it left."""
    from_counter_id: str | None = omitted()
    """`ticket.transferred`: the counter it left."""
    automatic: bool | None = omitted()
    """`ticket.finished` by end-of-day housekeeping: true."""
    device: str | None = omitted()
    """`ticket.issued`, `ticket.printed`, `ticket.print_failed`: the kiosk."""
    error: str | None = omitted()
    """`ticket.print_failed`: what the kiosk's printer said."""


@dataclass(frozen=True)
class CounterData(WireView):
    """`counter.opened`, `counter.paused`, `counter.closed`."""

    counter: CounterStateView


@dataclass(frozen=True)
class TickerData(WireView):
    """`display.ticker`: the text along the bottom of the hall displays."""

    text: str


@dataclass(frozen=True)
class CatalogueAppliedData(WireView):
    """`catalogue.applied`: the centre now runs this version of the national catalogue."""

    version: int
    withdrawn: tuple[str, ...]
    """Services no longer offered for new tickets (tickets already issued are served)."""
    restored: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class DeviceStatusData(WireView):
    """`device.status`: a terminal's printer state changed."""

    device: str
    role: str
    printer: str
    detail: str | None
    version: str | None


@dataclass(frozen=True)
class DayChangedData(WireView):
    """`centre.day_changed`: reserved; no member yet (the server does not log it today)."""


@dataclass(frozen=True)
class ApplicationLodgedData(WireView):
    """`application.lodged` (no personal data: the fields stay in the store)."""

    registration_number: str
    type_id: str
    department_id: str


@dataclass(frozen=True)
class ApplicationStatusData(WireView):
    """`application.status`: an application moved to `status`."""

    registration_number: str
    type_id: str
    department_id: str
    status: str


@dataclass(frozen=True)
class FeedbackData(WireView):
    """`feedback.given`: a visitor's rating (1-5) of the visit `ticket_id`."""

    rating: int


@dataclass(frozen=True)
class AppointmentData(WireView):
    """`appointment.*`: which booking and when it starts (never a name or a contact)."""

    appointment_id: str
    starts_at: datetime


@dataclass(frozen=True)
class NotificationFailedData(WireView):
    """`notification.failed`: a notice that could not be sent after its attempts."""

    notification_id: int
    kind: str
    channel: str
    attempts: int


@dataclass(frozen=True)
class UserAddedData(WireView):
    """`user.added` (never a password or its hash)."""

    username: str
    role: str
    counter_id: str | None
    department_id: str | None


@dataclass(frozen=True)
class UserData(WireView):
    """`user.disabled`, `user.enabled`, `user.password_changed`."""

    username: str


@dataclass(frozen=True)
class DeviceAddedData(WireView):
    """`device.added` (never its token)."""

    device: str
    role: str
    counter_id: str | None


@dataclass(frozen=True)
class DeviceData(WireView):
    """`device.revoked`."""

    device: str


@dataclass(frozen=True)
class HoursAddedData(WireView):
    """`hours.exception_added`: the date's ranges, or closed, and a note."""

    date: date
    hours: tuple[str, ...]
    closed: bool
    note: str


@dataclass(frozen=True)
class HoursData(WireView):
    """`hours.exception_removed`."""

    date: date


@dataclass(frozen=True)
class UnknownData:
    """The data of an event type this reader does not know, as it came."""

    members: Json


EventData = (
    TicketData
    | CounterData
    | TickerData
    | DeviceStatusData
    | DayChangedData
    | ApplicationLodgedData
    | ApplicationStatusData
    | FeedbackData
    | AppointmentData
    | NotificationFailedData
    | UserAddedData
    | UserData
    | DeviceAddedData
    | DeviceData
    | HoursAddedData
    | HoursData
    | CatalogueAppliedData
)
