"""Appointments at the centre server: free slots, holding a slot, booking, the booking's
own page, cancelling, and what the retention rule leaves.

Every change runs as a writer transaction, so two people can never take the last
place of a slot: the second hold sees the first (`core.appointments` decides what a
slot offers; `server.store.appointments` counts what takes its places). A booking
is reached by its management link (an unguessable token whose hash alone is stored)
or, at the kiosk, by its short code. Events about appointments carry no personal data.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from core import appointments as rules
from core.applications import normalize_secret
from core.appointments import Slot
from core.catalogue import Catalogue
from core.contact import (
    mask_email,
    mask_phone,
    normalize_email,
    normalize_phone,
    short_name,
)
from core.errors import (
    BookingLimitReached,
    BookingNotActive,
    HoldExpired,
    InvalidInput,
    NotFound,
    SlotTaken,
)
from core.events import (
    APPOINTMENT_BOOKED,
    APPOINTMENT_CANCELLED,
    APPOINTMENT_MISSED,
    appointment_event,
    iso,
)
from core.free_text import DISPLAY_NAME, clean_text
from core.hours import OpeningHours
from core.model import AppointmentRules, Service
from server.applications import new_secret
from server.notify import outbox
from server.store import appointments as store
from server.store.appointments import AppointmentRow, AppointmentStatus
from server.store.writer import Transaction

MANAGE_PATH = "/b/{token}"
"""The booking's own page (confirmation, QR, calendar file, cancelling)."""
CODE_ATTEMPTS = 20
"""New codes tried before giving up (about 40 bits each: a clash is already rare)."""


@dataclass(frozen=True)
class Contact:
    """What the person gives when confirming (checked by `confirm`)."""

    name: str
    phone: str | None
    email: str | None
    language: str


def manage_digest(token: str) -> str:
    """What is stored instead of the management link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def appointment_service(catalogue: Catalogue, service_id: str) -> tuple[Service, AppointmentRules]:
    """The service and its rules; `NotFound` (`unknown_service`) when the service does not
    exist or takes no appointments."""
    service = catalogue.service(service_id)
    if service.appointments is None:
        raise NotFound("service", service_id, f"The service {service_id!r} takes no appointments.")
    return service, service.appointments


def _day_bounds(hours: OpeningHours, day: date) -> tuple[datetime, datetime]:
    return hours.at(day, 0), hours.at(day + timedelta(days=1), 0)


def slots_of_day(
    conn: sqlite3.Connection,
    catalogue: Catalogue,
    hours: OpeningHours,
    service_id: str,
    day: date,
    now: datetime,
) -> list[Slot]:
    """The slots of a local day that may be booked now (free, with notice, in range)."""
    service, service_rules = appointment_service(catalogue, service_id)
    low, high = _day_bounds(hours, day)
    taken = store.occupancy(conn, service_id, low, high, now)
    return [
        slot
        for slot in rules.day_slots(service, hours, catalogue.counters, day, taken)
        if rules.is_bookable(slot, service_rules, hours, now)
    ]


def free_days(
    conn: sqlite3.Connection,
    catalogue: Catalogue,
    hours: OpeningHours,
    service_id: str,
    now: datetime,
) -> list[tuple[date, int]]:
    """(day, free places) for every day that may be booked, today first."""
    _, service_rules = appointment_service(catalogue, service_id)
    return [
        (day, sum(slot.free for slot in slots_of_day(conn, catalogue, hours, service_id, day, now)))
        for day in rules.bookable_days(service_rules, hours, now)
    ]


def hold(
    tx: Transaction,
    catalogue: Catalogue,
    hours: OpeningHours,
    service_id: str,
    starts_at: datetime,
    language: str,
) -> dict[str, Any]:
    """Hold one place of a slot for `AppointmentPolicy.hold` while the form is filled in.

    `InvalidInput` `{starts_at: "not_a_slot" | "not_bookable"}`; `SlotTaken` when no
    place is free (held places count)."""
    service, service_rules = appointment_service(catalogue, service_id)
    day = hours.local(starts_at).date()
    low, high = _day_bounds(hours, day)
    taken = store.occupancy(tx.db.conn, service_id, low, high, tx.now)
    slot = rules.find_slot(service, hours, catalogue.counters, starts_at, taken)
    if slot is None:
        raise InvalidInput("No appointment starts at this time.", {"starts_at": "not_a_slot"})
    if slot.free <= 0:
        raise SlotTaken("This time has just been taken; please choose another.")
    if not rules.is_bookable(slot, service_rules, hours, tx.now):
        raise InvalidInput("This time cannot be booked now.", {"starts_at": "not_bookable"})
    held_until = tx.now + catalogue.appointment_policy.hold
    appointment_id = secrets.token_hex(16)
    store.insert_hold(
        tx.db.conn,
        appointment_id=appointment_id,
        service_id=service_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        language=language,
        now=tx.now,
        held_until=held_until,
    )
    return {
        "hold_id": appointment_id,
        "service_id": service_id,
        "starts_at": iso(slot.starts_at),
        "ends_at": iso(slot.ends_at),
        "held_until": iso(held_until),
    }


def held(conn: sqlite3.Connection, hold_id: str, now: datetime) -> AppointmentRow:
    """A hold still running; `HoldExpired` otherwise (also for an unknown id)."""
    row = store.appointment(conn, hold_id[:64])
    if row is None or row.status is not AppointmentStatus.HELD or row.held_until <= now:
        raise HoldExpired("The time was held for you, but not any longer; please choose again.")
    return row


def _checked_contact(contact: Contact) -> tuple[str, str | None, str | None]:
    name = clean_text(contact.name, DISPLAY_NAME, "name")
    if not name:
        raise InvalidInput("Please give your name.", {"name": "required"})
    phone = normalize_phone(contact.phone) if contact.phone else None
    email = normalize_email(contact.email) if contact.email else None
    if phone is None and email is None:
        raise InvalidInput(
            "Please give a phone number or an e-mail address.", {"phone": "required"}
        )
    return name, phone, email


def _new_code(conn: sqlite3.Connection) -> str:
    for _ in range(CODE_ATTEMPTS):
        code = normalize_secret(new_secret())
        if not store.code_in_use(conn, code):
            return code
    raise RuntimeError("no free booking code found")  # about 2**40 codes: never in practice


def display_code(code: str) -> str:
    """`K7MP-3XQ9`: the stored code as printed and shown."""
    return f"{code[:4]}-{code[4:]}"


def confirm(
    tx: Transaction,
    catalogue: Catalogue,
    hold_id: str,
    contact: Contact,
    base_url: str,
) -> dict[str, Any]:
    """Turn a running hold into a booking: the answer holds the code and the management
    link (shown only now; the link's token is stored as a hash). Queues the confirmation
    to each contact given. `HoldExpired`, `InvalidInput`, `BookingLimitReached`."""
    row = held(tx.db.conn, hold_id, tx.now)
    _, service_rules = appointment_service(catalogue, row.service_id)
    name, phone, email = _checked_contact(contact)
    keys = [key for key in (phone, email) if key]
    if store.upcoming_of_contact(tx.db.conn, row.service_id, keys, tx.now) >= (
        service_rules.per_person
    ):
        raise BookingLimitReached(
            "This phone number or e-mail address already has a booking for this service."
        )
    code = _new_code(tx.db.conn)
    token = secrets.token_urlsafe(16)
    store.book(
        tx.db.conn,
        row.id,
        code=code,
        manage_hash=manage_digest(token),
        name=name,
        phone=phone,
        email=email,
        contact_key=phone or email or "",
        language=contact.language,
        now=tx.now,
    )
    tx.emit(appointment_event(APPOINTMENT_BOOKED, row.id, row.starts_at, row.service_id))
    manage_url = base_url.rstrip("/") + MANAGE_PATH.format(token=token)
    booked = store.appointment(tx.db.conn, row.id)
    assert booked is not None
    outbox.queue_booking_notice(tx, catalogue, booked, outbox.Kind.BOOKED, manage_url)
    return {**public_view(catalogue, booked), "manage_token": token, "manage_url": manage_url}


def public_view(catalogue: Catalogue, row: AppointmentRow) -> dict[str, Any]:
    """What the booking's own page shows: service, times, code, status, masked contacts."""
    service = catalogue.service(row.service_id)
    return {
        "id": row.id,
        "code": display_code(row.code) if row.code else None,
        "status": row.status.value,
        "service_id": row.service_id,
        "service_name": service.name.as_dict(),
        "starts_at": iso(row.starts_at),
        "ends_at": iso(row.ends_at),
        "language": row.language,
        "phone": mask_phone(row.phone) if row.phone else None,
        "email": mask_email(row.email) if row.email else None,
    }


def by_token(conn: sqlite3.Connection, token: str) -> AppointmentRow:
    """The booking behind a management link; `NotFound` (`unknown_appointment`)."""
    row = store.by_manage_hash(conn, manage_digest(token[:64]))
    if row is None:
        raise NotFound("appointment", "behind this link", "No booking behind this link.")
    return row


def cancel(tx: Transaction, catalogue: Catalogue, token: str, base_url: str) -> dict[str, Any]:
    """Cancel a booking not yet begun; its place returns after the service's release
    delay. Cancelling twice answers the same. `Conflict` `booking_not_active` when the
    booking has begun or ended otherwise."""
    row = by_token(tx.db.conn, token)
    if row.status is AppointmentStatus.CANCELLED:
        return public_view(catalogue, row)
    _, service_rules = appointment_service(catalogue, row.service_id)
    if row.status is not AppointmentStatus.BOOKED or row.starts_at <= tx.now:
        raise BookingNotActive("This booking can no longer be cancelled.")
    store.cancel(tx.db.conn, row.id, tx.now, tx.now + service_rules.release_delay)
    tx.emit(appointment_event(APPOINTMENT_CANCELLED, row.id, row.starts_at, row.service_id))
    cancelled = store.appointment(tx.db.conn, row.id)
    assert cancelled is not None
    manage_url = base_url.rstrip("/") + MANAGE_PATH.format(token=token)
    outbox.queue_booking_notice(tx, catalogue, cancelled, outbox.Kind.CANCELLED, manage_url)
    return public_view(catalogue, cancelled)


def booked_next(
    conn: sqlite3.Connection,
    catalogue: Catalogue,
    hours: OpeningHours,
    service_ids: set[str],
    now: datetime,
) -> list[dict[str, Any]]:
    """Today's bookings of `service_ids` not yet checked in whose check-in window is
    still open, in time order, each with the short form of the name (`short_name`)."""
    policy = catalogue.appointment_policy
    tomorrow = hours.at(hours.local(now).date() + timedelta(days=1), 0)
    rows = store.booked_between(
        conn, now - policy.check_in_late, tomorrow, (AppointmentStatus.BOOKED,)
    )
    return [
        {
            "id": row.id,
            "service_id": row.service_id,
            "starts_at": iso(row.starts_at),
            "name": short_name(row.name or ""),
        }
        for row in rows
        if row.service_id in service_ids
    ]


def audit(tx: Transaction, action: str, subject: str | None, detail: str = "") -> None:
    """Record that a member of staff read personal data of bookings or messages."""
    store.add_audit(tx.db.conn, tx.now, tx.actor or "?", action, subject, detail)


def purge_contacts(tx: Transaction, retention_days: int) -> int:
    """Remove the contacts of appointments that ended `retention_days` ago, and of the
    messages sent to them; audited."""
    cutoff = tx.now - timedelta(days=retention_days)
    purged = store.purge_contacts(tx.db.conn, cutoff, tx.now)
    messages = outbox.purge(tx, cutoff)
    if purged or messages:
        store.add_audit(
            tx.db.conn, tx.now, tx.actor or "?", "purge", None,
            f"{purged} appointments, {messages} messages",
        )  # fmt: skip
    return purged


def upkeep(tx: Transaction, catalogue: Catalogue) -> None:
    """Queue reminders that are due (once each, and only for bookings made before the
    reminder time) and mark bookings missed once their check-in window has passed."""
    policy = catalogue.appointment_policy
    if policy.reminder_before > timedelta(0):
        upcoming = store.booked_between(
            tx.db.conn, tx.now, tx.now + policy.reminder_before, (AppointmentStatus.BOOKED,)
        )
        for row in upcoming:
            if (
                row.booked_at is not None
                and row.booked_at <= row.starts_at - policy.reminder_before
            ):
                outbox.queue_booking_notice(tx, catalogue, row, outbox.Kind.REMINDER)
    for row in store.overdue_bookings(tx.db.conn, tx.now - policy.check_in_late):
        store.mark_missed(tx.db.conn, row.id, tx.now)
        tx.emit(appointment_event(APPOINTMENT_MISSED, row.id, row.starts_at, row.service_id))
