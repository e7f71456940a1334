"""The shipped form of the centre's events: what of each event leaves for the hub.

One place decides it, by allow-list per event type; whatever is not listed stays
at the centre. No visitor personal data leaves: applications' fields never were in
events, and their registration numbers stay too; a clerk's free-text note and
"delivered service" text, the display ticker's text, terminals' free-text details
and print errors, notes on opening-hours exceptions, and the names of staff (and of
whoever ran an admin command at the command line) stay.
Staff appear only by a pseudonymous staff id (`StaffIds`: a keyed hash of the
user id, stable for the centre, meaningless without the centre's key). Ticket
events gain the target wait of the ticket's service (from the centre's
catalogue), so the hub counts the service level exactly as the centre does.

An event type this module does not know is still shipped (its seq keeps the log
without gaps) but with no data at all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from core import events as ev
from core.catalogue import Catalogue
from core.wire.version import SCHEMA_VERSION as WIRE_SCHEMA_VERSION

SCHEMA_VERSION = WIRE_SCHEMA_VERSION
"""Version of the shipped form: the events' own (`core.wire.version`; the shipped form
is their wire form with what stays at the centre left out), so one rule versions both."""

TICKET_FIELDS = (
    "id",
    "number",
    "prefix",
    "seq",
    "business_day",
    "service_id",
    "original_service_id",
    "language",
    "is_priority",
    "status",
    "issued_at",
    "first_called_at",
    "called_at",
    "started_at",
    "finished_at",
    "parked_at",
    "no_show_at",
    "cancelled_at",
    "expired_at",
    "transferred_at",
    "counter_id",
    "target_counter_id",
    "recall_count",
    "transfer_count",
    "walk_direct",
    "printed",
    "appointment_at",
)
"""A ticket's fields that travel: an allow-list, so that a column added to the store's
tickets (`server.store.rows.TICKET_COLUMNS`) stays at the centre until it is listed
here or in `PRIVATE_TICKET_FIELDS` (a test makes each new column take one side)."""
PRIVATE_TICKET_FIELDS = ("clerk", "note", "delivered_service")
"""A ticket's fields that stay: a name, and texts typed by staff."""
TICKET_EXTRAS = ("counter_label", "from_service_id", "from_counter_id", "automatic", "device")
COUNTER_FIELDS = ("counter_id", "status", "since", "current_ticket_id")
DATA_FIELDS: Mapping[str, tuple[str, ...]] = {
    "feedback.given": ("rating",),
    "application.lodged": ("type_id", "department_id"),
    "application.status": ("type_id", "department_id", "status"),
    ev.DEVICE_STATUS: ("device", "role", "printer"),
    ev.TICKER_CHANGED: (),
    ev.DEVICE_ADDED: ("device", "role", "counter_id"),
    ev.DEVICE_REVOKED: ("device",),
    ev.HOURS_EXCEPTION_ADDED: ("date", "hours", "closed"),
    ev.HOURS_EXCEPTION_REMOVED: ("date",),
    **{event_type: ("appointment_id", "starts_at") for event_type in ev.APPOINTMENT_EVENTS},
    ev.APPOINTMENT_CHECKED_IN: ("appointment_id", "starts_at"),
    ev.NOTIFICATION_FAILED: ("kind", "channel", "attempts"),
}
"""Other event types: the data fields that travel. Admin changes travel so the hub
knows a centre's devices and its hours on each date, but not an exception's note
(free text); changes to user accounts travel as `USER_FIELDS` (the staff id for the
user name)."""
USER_FIELDS: Mapping[str, tuple[str, ...]] = {
    ev.USER_ADDED: ("role", "counter_id", "department_id"),
    ev.USER_DISABLED: (),
    ev.USER_ENABLED: (),
    ev.USER_PASSWORD_CHANGED: (),
}
"""Changes to user accounts: the fields that travel besides the user's staff id."""


PERSON_ACTORS = frozenset({"user", "cli"})
"""Kinds of actor (`server.actor.ActorKind`) that name a person."""


class StaffIds:
    """Pseudonymous staff ids: `s-` + 16 hex digits of HMAC-SHA256(key, user id)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the staff id key needs at least 16 bytes")
        self._key = key

    def __call__(self, username: str | None) -> str | None:
        if username is None:
            return None
        digest = hmac.new(self._key, username.encode(), hashlib.sha256).hexdigest()
        return f"s-{digest[:16]}"

    def actor(self, actor: str | None) -> str | None:
        """An event's actor: people by staff id (a user signed in, `user:`, or someone at
        the server's command line, `cli:` with their system user name); devices and the
        system as they are."""
        if actor is None:
            return None
        kind, _, name = actor.partition(":")
        if kind in PERSON_ACTORS:
            return f"{kind}:{self(name)}"
        return actor


def _pick(source: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: source[name] for name in names if name in source}


def _iso(stored: str) -> str:
    """A stored UTC time as ISO 8601 with its offset."""
    return datetime.fromisoformat(stored).astimezone(UTC).isoformat()


def shipped_data(
    event_type: str,
    data: Mapping[str, Any],
    catalogue: Catalogue,
    staff: Callable[[str | None], str | None],
) -> dict[str, Any]:
    """What of an event's data leaves the centre."""
    if event_type in ev.TICKET_EVENTS:
        source = data.get("ticket", {})
        ticket = _pick(source, TICKET_FIELDS)
        ticket["staff_id"] = staff(source.get("clerk"))
        service = catalogue.services_by_id.get(source.get("original_service_id", ""))
        ticket["target_wait_seconds"] = (
            int(service.target_wait.total_seconds()) if service is not None else 0
        )
        return {"ticket": ticket, **_pick(data, TICKET_EXTRAS)}
    if event_type in ev.COUNTER_EVENTS:
        source = data.get("counter", {})
        counter = _pick(source, COUNTER_FIELDS)
        counter["staff_id"] = staff(source.get("clerk"))
        return {"counter": counter}
    if event_type in USER_FIELDS:
        return {"staff_id": staff(data.get("username")), **_pick(data, USER_FIELDS[event_type])}
    return _pick(data, DATA_FIELDS.get(event_type, ()))


def shipped_event(
    row: sqlite3.Row | tuple[Any, ...],
    catalogue: Catalogue,
    staff: StaffIds,
) -> dict[str, Any]:
    """One row of the events table (`server.store.events.EVENT_COLUMNS`) as shipped."""
    seq, event_type, at, service_id, counter_id, ticket_id, actor, data = tuple(row)
    return {
        "seq": seq,
        "type": event_type,
        "at": _iso(at),
        "schema_version": SCHEMA_VERSION,
        "service_id": service_id,
        "counter_id": counter_id,
        "ticket_id": ticket_id,
        "actor": staff.actor(actor),
        "data": shipped_data(event_type, json.loads(data), catalogue, staff),
    }
