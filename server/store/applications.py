"""Applications in the store: the application, its status history and the staff read log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from server.store.times import to_db_time


def last_seq_of_year(conn: sqlite3.Connection, year: int) -> int:
    """The highest registration sequence number of a year (0 before the first)."""
    (last,) = conn.execute(
        "SELECT COALESCE(MAX(seq), 0) FROM applications WHERE year = ?", (year,)
    ).fetchone()
    return int(last)


def insert_application(
    conn: sqlite3.Connection,
    *,
    application_id: str,
    registration_number: str,
    year: int,
    seq: int,
    type_id: str,
    service_id: str,
    department_id: str,
    language: str,
    fields: dict[str, Any],
    secret_hash: str,
    status: str,
    lodged_at: datetime,
    lodged_by: str,
    kiosk_reference: str | None,
    answer_deadline: date,
) -> None:
    """Store a newly lodged application."""
    conn.execute(
        "INSERT INTO applications (id, registration_number, year, seq, type_id, service_id, "
        "department_id, language, fields, secret_hash, status, lodged_at, lodged_by, "
        "kiosk_reference, answer_deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            application_id,
            registration_number,
            year,
            seq,
            type_id,
            service_id,
            department_id,
            language,
            json.dumps(fields, ensure_ascii=False),
            secret_hash,
            status,
            to_db_time(lodged_at),
            lodged_by,
            kiosk_reference,
            answer_deadline.isoformat(),
        ),
    )


def add_history(
    conn: sqlite3.Connection,
    application_id: str,
    at: datetime,
    actor: str,
    status: str | None,
    note: str | None,
) -> None:
    """A step of an application's history: a new status, or a note."""
    conn.execute(
        "INSERT INTO application_history (application_id, at, actor, status, note) "
        "VALUES (?, ?, ?, ?, ?)",
        (application_id, to_db_time(at), actor, status, note),
    )


def add_audit(
    conn: sqlite3.Connection,
    at: datetime,
    actor: str,
    action: str,
    application_id: str | None,
    detail: str,
) -> None:
    """Record that a member of staff read or exported application data."""
    conn.execute(
        "INSERT INTO application_audit (at, actor, action, application_id, detail) "
        "VALUES (?, ?, ?, ?, ?)",
        (to_db_time(at), actor, action, application_id, detail),
    )


def _as_dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def application(conn: sqlite3.Connection, application_id: str) -> dict[str, Any] | None:
    """Every column of an application, or None."""
    rows = _as_dicts(conn.execute("SELECT * FROM applications WHERE id = ?", (application_id,)))
    return rows[0] if rows else None


def inbox(
    conn: sqlite3.Connection,
    departments: Collection[str],
    *,
    status: str | None,
    search: str | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Applications of these departments, newest first, optionally of one status and
    whose registration number contains `search` (or whose kiosk reference is it)."""
    sql = f"SELECT * FROM applications WHERE department_id IN ({', '.join('?' * len(departments))})"
    params: list[Any] = sorted(departments)
    if status is not None:
        sql += " AND status = ?"
        params.append(status)
    if search:
        sql += " AND (registration_number LIKE ? OR kiosk_reference = ?)"
        params += [f"%{search.strip().upper()}%", search.strip().upper()]
    sql += " ORDER BY lodged_at DESC LIMIT ?"
    return _as_dicts(conn.execute(sql, [*params, limit]))


def history(
    conn: sqlite3.Connection, application_id: str
) -> list[tuple[str, str, str | None, str | None]]:
    """An application's history, oldest first: (stored time, actor, status, note)."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT at, actor, status, note FROM application_history "
            "WHERE application_id = ? ORDER BY id",
            (application_id,),
        )
    ]


def set_status(
    conn: sqlite3.Connection, application_id: str, status: str, closed_at: datetime | None
) -> None:
    """Store an application's new status (and when it was closed, if it was)."""
    conn.execute(
        "UPDATE applications SET status = ?, closed_at = ? WHERE id = ?",
        (status, to_db_time(closed_at) if closed_at else None, application_id),
    )


def by_registration(
    conn: sqlite3.Connection, registration_number: str
) -> tuple[str, str, str, str, str, str] | None:
    """(id, secret hash, type, status, stored lodging time, answer deadline) of the
    application with this registration number, or None."""
    row = conn.execute(
        "SELECT id, secret_hash, type_id, status, lodged_at, answer_deadline "
        "FROM applications WHERE registration_number = ?",
        (registration_number,),
    ).fetchone()
    return tuple(row) if row is not None else None


def status_steps(conn: sqlite3.Connection, application_id: str) -> list[tuple[str, str]]:
    """The statuses an application went through, oldest first: (stored time, status)."""
    return [
        (at, status)
        for at, status in conn.execute(
            "SELECT at, status FROM application_history WHERE application_id = ? "
            "AND status IS NOT NULL ORDER BY id",
            (application_id,),
        )
    ]


def closed_unpurged(conn: sqlite3.Connection, closed_by: datetime) -> list[tuple[str, str]]:
    """(id, fields JSON) of applications closed by `closed_by` whose personal data remain."""
    return [
        (application_id, fields)
        for application_id, fields in conn.execute(
            "SELECT id, fields FROM applications WHERE purged_at IS NULL "
            "AND closed_at IS NOT NULL AND closed_at <= ?",
            (to_db_time(closed_by),),
        )
    ]


def purge(
    conn: sqlite3.Connection, application_id: str, kept: dict[str, Any], at: datetime
) -> None:
    """Keep only `kept` of an application's fields, and drop the notes of its history."""
    conn.execute(
        "UPDATE applications SET fields = ?, purged_at = ? WHERE id = ?",
        (json.dumps(kept), to_db_time(at), application_id),
    )
    conn.execute(
        "UPDATE application_history SET note = NULL WHERE application_id = ?", (application_id,)
    )


def audit_entries(
    conn: sqlite3.Connection, application_id: str | None, limit: int
) -> list[tuple[str, str, str, str | None, str]]:
    """Recent audit entries, newest first: (time, actor, action, application, detail)."""
    sql = "SELECT at, actor, action, application_id, detail FROM application_audit"
    params: tuple[Any, ...] = ()
    if application_id is not None:
        sql += " WHERE application_id = ?"
        params = (application_id,)
    sql += " ORDER BY id DESC LIMIT ?"
    return [tuple(row) for row in conn.execute(sql, (*params, limit))]


def lodged_between(
    conn: sqlite3.Connection, low: str, high: str
) -> list[tuple[str, str, str, str | None]]:
    """(type, status, stored lodging time, stored closing time) of the applications
    lodged in [low, high) (stored times)."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT type_id, status, lodged_at, closed_at FROM applications "
            "WHERE lodged_at >= ? AND lodged_at < ?",
            (low, high),
        )
    ]
