"""Appointments in the store: holds, bookings, what takes a slot's places, retention."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from server.store.times import parse_time, to_db_time


class AppointmentStatus(StrEnum):
    """Where a booking is: held (the form is being filled in), then booked; a booking
    ends cancelled, checked in (a ticket was issued) or missed."""

    HELD = "held"
    BOOKED = "booked"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    MISSED = "missed"


@dataclass(frozen=True)
class AppointmentRow:
    """One stored appointment (contact fields are None once purged, or while held)."""

    id: str
    service_id: str
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    language: str
    held_until: datetime
    code: str | None
    name: str | None
    phone: str | None
    email: str | None
    booked_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None
    ticket_id: str | None


_COLUMNS = (
    "id, service_id, starts_at, ends_at, status, language, held_until, code, name, phone, "
    "email, booked_at, cancelled_at, checked_in_at, ticket_id"
)


def _row(values: tuple[object, ...]) -> AppointmentRow:
    (id_, service, starts, ends, status, language, held, code, name, phone, email, booked,
     cancelled, checked, ticket) = values  # fmt: skip
    return AppointmentRow(
        id=str(id_),
        service_id=str(service),
        starts_at=parse_time(str(starts)),  # type: ignore[arg-type]
        ends_at=parse_time(str(ends)),  # type: ignore[arg-type]
        status=AppointmentStatus(str(status)),
        language=str(language),
        held_until=parse_time(str(held)),  # type: ignore[arg-type]
        code=code,  # type: ignore[arg-type]
        name=name,  # type: ignore[arg-type]
        phone=phone,  # type: ignore[arg-type]
        email=email,  # type: ignore[arg-type]
        booked_at=parse_time(booked),  # type: ignore[arg-type]
        cancelled_at=parse_time(cancelled),  # type: ignore[arg-type]
        checked_in_at=parse_time(checked),  # type: ignore[arg-type]
        ticket_id=ticket,  # type: ignore[arg-type]
    )


def occupancy(
    conn: sqlite3.Connection, service_id: str, low: datetime, high: datetime, now: datetime
) -> dict[datetime, int]:
    """Places taken per slot start in [low, high): bookings (also checked in or missed),
    holds not yet run out, and cancellations not yet released."""
    rows = conn.execute(
        "SELECT starts_at, COUNT(*) FROM appointments WHERE service_id = :service "
        "AND starts_at >= :low AND starts_at < :high AND ("
        "status IN ('booked', 'checked_in', 'missed') "
        "OR (status = 'held' AND held_until > :now) "
        "OR (status = 'cancelled' AND released_at > :now)) GROUP BY starts_at",
        {
            "service": service_id,
            "low": to_db_time(low),
            "high": to_db_time(high),
            "now": to_db_time(now),
        },
    )
    return {parse_time(starts): count for starts, count in rows}  # type: ignore[misc]


def upcoming_of_contact(
    conn: sqlite3.Connection, service_id: str, contact_keys: list[str], now: datetime
) -> int:
    """Bookings of the service not yet begun held by any of these contacts."""
    if not contact_keys:
        return 0
    marks = ", ".join("?" * len(contact_keys))
    (count,) = conn.execute(
        f"SELECT COUNT(*) FROM appointments WHERE service_id = ? AND status = 'booked' "
        f"AND starts_at > ? AND contact_key IN ({marks})",
        (service_id, to_db_time(now), *contact_keys),
    ).fetchone()
    return int(count)


def insert_hold(
    conn: sqlite3.Connection,
    *,
    appointment_id: str,
    service_id: str,
    starts_at: datetime,
    ends_at: datetime,
    language: str,
    now: datetime,
    held_until: datetime,
) -> None:
    """A slot held for the person filling in the booking form."""
    conn.execute(
        "INSERT INTO appointments (id, service_id, starts_at, ends_at, status, language, "
        "created_at, held_until) VALUES (?, ?, ?, ?, 'held', ?, ?, ?)",
        (
            appointment_id,
            service_id,
            to_db_time(starts_at),
            to_db_time(ends_at),
            language,
            to_db_time(now),
            to_db_time(held_until),
        ),
    )


def appointment(conn: sqlite3.Connection, appointment_id: str) -> AppointmentRow | None:
    """The appointment with this id, or None."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM appointments WHERE id = ?", (appointment_id,)
    ).fetchone()
    return _row(row) if row is not None else None


def by_manage_hash(conn: sqlite3.Connection, manage_hash: str) -> AppointmentRow | None:
    """The booking whose management link hashes to `manage_hash`, or None."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM appointments WHERE manage_hash = ?", (manage_hash,)
    ).fetchone()
    return _row(row) if row is not None else None


def by_code(conn: sqlite3.Connection, code: str) -> AppointmentRow | None:
    """The booking with this code, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM appointments WHERE code = ?", (code,)).fetchone()
    return _row(row) if row is not None else None


def code_in_use(conn: sqlite3.Connection, code: str) -> bool:
    """Whether a booking already has this code."""
    return conn.execute("SELECT 1 FROM appointments WHERE code = ?", (code,)).fetchone() is not None


def book(
    conn: sqlite3.Connection,
    appointment_id: str,
    *,
    code: str,
    manage_hash: str,
    name: str,
    phone: str | None,
    email: str | None,
    contact_key: str,
    language: str,
    now: datetime,
) -> None:
    """Turn a hold into a booking."""
    conn.execute(
        "UPDATE appointments SET status = 'booked', code = ?, manage_hash = ?, name = ?, "
        "phone = ?, email = ?, contact_key = ?, language = ?, booked_at = ? WHERE id = ?",
        (code, manage_hash, name, phone, email, contact_key, language, to_db_time(now),
         appointment_id),
    )  # fmt: skip


def cancel(
    conn: sqlite3.Connection, appointment_id: str, now: datetime, released_at: datetime
) -> None:
    """Cancel a booking; its place is offered again from `released_at`."""
    conn.execute(
        "UPDATE appointments SET status = 'cancelled', cancelled_at = ?, released_at = ? "
        "WHERE id = ?",
        (to_db_time(now), to_db_time(released_at), appointment_id),
    )


def check_in(conn: sqlite3.Connection, appointment_id: str, now: datetime, ticket_id: str) -> None:
    """The visitor checked in; `ticket_id` is the ticket issued for the booking."""
    conn.execute(
        "UPDATE appointments SET status = 'checked_in', checked_in_at = ?, ticket_id = ? "
        "WHERE id = ?",
        (to_db_time(now), ticket_id, appointment_id),
    )


def mark_missed(conn: sqlite3.Connection, appointment_id: str, now: datetime) -> None:
    """The visitor did not check in within the window."""
    conn.execute(
        "UPDATE appointments SET status = 'missed', missed_at = ? WHERE id = ?",
        (to_db_time(now), appointment_id),
    )


def booked_between(
    conn: sqlite3.Connection, low: datetime, high: datetime, statuses: tuple[str, ...]
) -> list[AppointmentRow]:
    """Appointments starting in [low, high) in one of `statuses`, in time order."""
    marks = ", ".join("?" * len(statuses))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM appointments WHERE starts_at >= ? AND starts_at < ? "
        f"AND status IN ({marks}) ORDER BY starts_at, booked_at",
        (to_db_time(low), to_db_time(high), *statuses),
    )
    return [_row(row) for row in rows]


def overdue_bookings(conn: sqlite3.Connection, started_before: datetime) -> list[AppointmentRow]:
    """Bookings not checked in whose start lies before `started_before`."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM appointments WHERE status = 'booked' AND starts_at < ?",
        (to_db_time(started_before),),
    )
    return [_row(row) for row in rows]


def figures_rows(
    conn: sqlite3.Connection, low: datetime, high: datetime
) -> list[tuple[str, str, str, str | None, str | None, str | None]]:
    """Bookings whose time lies in [low, high) (held ones left out), with their tickets:
    (service_id, status, starts_at, checked_in_at, first_called_at, ticket status),
    times as stored."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT a.service_id, a.status, a.starts_at, a.checked_in_at, t.first_called_at, "
            "t.status FROM appointments a LEFT JOIN tickets t ON t.id = a.ticket_id "
            "WHERE a.starts_at >= ? AND a.starts_at < ? AND a.status != 'held' "
            "ORDER BY a.starts_at",
            (to_db_time(low), to_db_time(high)),
        )
    ]


def purge_contacts(conn: sqlite3.Connection, ended_before: datetime, now: datetime) -> int:
    """Remove name, phone and e-mail of appointments that ended before `ended_before`
    (service, times and status stay for statistics); returns how many."""
    cursor = conn.execute(
        "UPDATE appointments SET name = NULL, phone = NULL, email = NULL, contact_key = NULL, "
        "purged_at = ? WHERE purged_at IS NULL AND status != 'held' AND ends_at < ?",
        (to_db_time(now), to_db_time(ended_before)),
    )
    return cursor.rowcount


def add_audit(
    conn: sqlite3.Connection, at: datetime, actor: str, action: str, subject: str | None,
    detail: str,
) -> None:  # fmt: skip
    """Record that someone read, exported or purged personal data of bookings or messages."""
    conn.execute(
        "INSERT INTO personal_data_audit (at, actor, action, subject, detail) "
        "VALUES (?, ?, ?, ?, ?)",
        (to_db_time(at), actor, action, subject, detail),
    )


def audit_entries(conn: sqlite3.Connection, limit: int) -> list[tuple[str, str, str, str, str]]:
    """Recent audit entries, newest first: (stored time, actor, action, subject, detail)."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT at, actor, action, subject, detail FROM personal_data_audit "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
    ]
