"""Wire views of the events: the envelope every event has and the data of each type.

On the stream (`GET /events`) an event is one JSON object: the envelope's members
(`seq`, `type`, `at`, `schema_version`, `service_id`, `counter_id`, `ticket_id`) and
its data's members side by side. `EVENT_DATA` maps every event type to its data view;
`encode_event` and `decode_event` are the one encoder and decoder of that form.
A reader refuses a `schema_version` it does not read (`UnsupportedVersion`), ignores
members it does not know, and gives an event of a type it does not know (a newer
server's) as `UnknownData`, so it can skip it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core import events as ev
from core.wire.codec import Json, WireError, decode, encode
from core.wire.envelope import ENVELOPE_MEMBERS, Envelope, event_json
from core.wire.event_data import (
    ApplicationLodgedData,
    ApplicationStatusData,
    AppointmentData,
    CatalogueAppliedData,
    CounterData,
    DayChangedData,
    DeviceAddedData,
    DeviceData,
    DeviceStatusData,
    EventData,
    FeedbackData,
    HoursAddedData,
    HoursData,
    NotificationFailedData,
    TickerData,
    TicketData,
    UnknownData,
    UserAddedData,
    UserData,
)
from core.wire.version import SCHEMA_VERSION, check_version

EVENT_DATA: Mapping[str, type[EventData]] = {
    **{kind: TicketData for kind in ev.TICKET_EVENTS},
    ev.COUNTER_OPENED: CounterData,
    ev.COUNTER_PAUSED: CounterData,
    ev.COUNTER_CLOSED: CounterData,
    ev.TICKER_CHANGED: TickerData,
    ev.DEVICE_STATUS: DeviceStatusData,
    ev.CENTRE_DAY_CHANGED: DayChangedData,
    ev.APPLICATION_LODGED: ApplicationLodgedData,
    ev.APPLICATION_STATUS: ApplicationStatusData,
    ev.FEEDBACK_GIVEN: FeedbackData,
    **{kind: AppointmentData for kind in ev.APPOINTMENT_EVENTS},
    ev.NOTIFICATION_FAILED: NotificationFailedData,
    ev.CATALOGUE_APPLIED: CatalogueAppliedData,
    ev.USER_ADDED: UserAddedData,
    ev.USER_DISABLED: UserData,
    ev.USER_ENABLED: UserData,
    ev.USER_PASSWORD_CHANGED: UserData,
    ev.DEVICE_ADDED: DeviceAddedData,
    ev.DEVICE_REVOKED: DeviceData,
    ev.HOURS_EXCEPTION_ADDED: HoursAddedData,
    ev.HOURS_EXCEPTION_REMOVED: HoursData,
}
"""The data view of every event type (a test holds it equal to `EVENT_TYPES`)."""


@dataclass(frozen=True)
class EventView:
    """One event of the log as a terminal or the hub receives it."""

    seq: int
    type: str
    at: datetime
    data: EventData | UnknownData
    service_id: str | None = None
    counter_id: str | None = None
    ticket_id: str | None = None
    schema_version: int = SCHEMA_VERSION


def encode_event(event: EventView) -> Json:
    """An event view as the stream's JSON."""
    data = event.data.members if isinstance(event.data, UnknownData) else encode(event.data)
    return event_json(
        event.seq,
        event.type,
        event.at,
        data,
        service_id=event.service_id,
        counter_id=event.counter_id,
        ticket_id=event.ticket_id,
    )


def decode_event(payload: Any, *, strict: bool = False) -> EventView:
    """An event from the stream's JSON. `UnsupportedVersion` for a schema version this
    reader does not read; `WireError` when a member it needs is missing or malformed.
    Members it does not know are ignored (refused with `strict`)."""
    if not isinstance(payload, dict):
        raise WireError(f"an event is a JSON object, not {payload!r:.60}")
    check_version(payload.get("schema_version"), payload.get("seq"))
    envelope = decode(Envelope, payload)
    data_type = EVENT_DATA.get(envelope.type)
    # A data member named like an envelope member (the `counter_id` a user or device
    # is linked to) stands in its place on the stream: it belongs to the data.
    own = data_type.__dataclass_fields__ if data_type is not None else {}
    members = {k: v for k, v in payload.items() if k in own or k not in ENVELOPE_MEMBERS}
    data: EventData | UnknownData
    if data_type is None:
        if strict:
            raise WireError(f"event {envelope.seq}: unknown type {envelope.type!r}")
        data = UnknownData(members)
    else:
        data = decode(data_type, members, strict=strict)
    return EventView(
        seq=envelope.seq,
        type=envelope.type,
        at=envelope.at,
        data=data,
        service_id=envelope.service_id,
        counter_id=envelope.counter_id,
        ticket_id=envelope.ticket_id,
        schema_version=envelope.schema_version,
    )


def data_json(data: EventData) -> Json:
    """An event's data as the log stores it."""
    return encode(data)
