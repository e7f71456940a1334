"""An institution's inbox at the hub: the applications forwarded to it from every
centre, their status and notes, and the audit of every staff read.

The lifecycle is the centre back office's own (`core.applications.NEXT_STATUSES`
through `check_status_change`; notes by `core.free_text.APPLICATION_NOTE`). Every
function takes the institution of the signed-in user and touches only its rows: an
application of another institution is answered as not found, revealing nothing.
Each read of personal fields (opening one, the CSV export) writes its audit entry
in the same transaction as the read.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from core.applications import ApplicationStatus, check_status_change, kept_after_retention
from core.csv_export import csv_text
from core.errors import InvalidInput, NotFound
from core.free_text import APPLICATION_NOTE, clean_text

LIST_LIMIT = 500
SUMMARY = (
    "id",
    "centre_id",
    "registration_number",
    "type_id",
    "department_id",
    "status",
    "lodged_at",
    "answer_deadline",
    "closed_at",
)
"""An inbox line: no personal fields."""


def _rows(cursor: psycopg.Cursor[Any]) -> list[dict[str, Any]]:
    names = [column.name for column in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}


def inbox(
    conn: psycopg.Connection[Any],
    institution: str,
    *,
    status: str | None = None,
    search: str | None = None,
    limit: int = LIST_LIMIT,
) -> list[dict[str, Any]]:
    """The institution's applications, newest first (optionally of one status, or whose
    registration number contains `search`); no personal fields."""
    sql = f"SELECT {', '.join(SUMMARY)} FROM applications WHERE department_id = %s"
    params: list[Any] = [institution]
    if status is not None:
        sql += " AND status = %s"
        params.append(status)
    if search:
        sql += " AND registration_number ILIKE %s"
        params.append(f"%{search.strip()}%")
    sql += " ORDER BY lodged_at DESC LIMIT %s"
    return [_plain(r) for r in _rows(conn.execute(sql, [*params, limit]))]


def inbox_csv(conn: psycopg.Connection[Any], actor: str, institution: str, now: datetime) -> str:
    """The inbox as CSV (no personal fields); the export is audited."""
    with conn.transaction():
        rows = inbox(conn, institution)
        _audit(conn, now, actor, "export", None, f"{len(rows)} applications")
    return csv_text(SUMMARY, ([row[k] for k in SUMMARY] for row in rows))


def _own(
    conn: psycopg.Connection[Any], institution: str, application_id: str, *, lock: bool = False
) -> dict[str, Any]:
    rows = _rows(
        conn.execute(
            "SELECT * FROM applications WHERE id = %s AND department_id = %s"
            + (" FOR UPDATE" if lock else ""),
            (application_id, institution),
        )
    )
    if not rows:
        raise NotFound("application", application_id[:64])
    return rows[0]


def read(
    conn: psycopg.Connection[Any], actor: str, institution: str, application_id: str, now: datetime
) -> dict[str, Any]:
    """The whole application (personal fields, history); the read is audited."""
    with conn.transaction():
        row = _own(conn, institution, application_id)
        _audit(conn, now, actor, "read", row["id"])
        history = conn.execute(
            "SELECT at, actor, status, note FROM application_history "
            "WHERE application_id = %s ORDER BY id",
            (row["id"],),
        ).fetchall()
    result = _plain({k: row[k] for k in SUMMARY})
    result["language"] = row["language"]
    result["fields"] = row["fields"]
    result["history"] = [
        {"at": at.isoformat(), "actor": who, "status": status, "note": note}
        for at, who, status, note in history
    ]
    return result


def change_status(
    conn: psycopg.Connection[Any],
    actor: str,
    institution: str,
    application_id: str,
    status: str,
    note: str | None,
    now: datetime,
) -> dict[str, Any]:
    """Move an application on by the back office's lifecycle (`IllegalTransition`
    otherwise), with who, when and an optional note."""
    try:
        new = ApplicationStatus(status)
    except ValueError:
        raise InvalidInput(f"Unknown status {status!r}.", {"status": "invalid_choice"}) from None
    checked = clean_text(note, APPLICATION_NOTE, "note") or None if note is not None else None
    with conn.transaction():
        row = _own(conn, institution, application_id, lock=True)
        check_status_change(row["registration_number"], ApplicationStatus(row["status"]), new)
        conn.execute(
            "UPDATE applications SET status = %s, closed_at = %s WHERE id = %s",
            (new.value, now if new.is_closed else None, row["id"]),
        )
        _history(conn, row["id"], now, actor, new.value, checked)
    return {"id": row["id"], "status": new.value}


def add_note(
    conn: psycopg.Connection[Any],
    actor: str,
    institution: str,
    application_id: str,
    note: str,
    now: datetime,
) -> None:
    """A note in the application's history."""
    checked = clean_text(note, APPLICATION_NOTE, "note", required=True)
    with conn.transaction():
        row = _own(conn, institution, application_id)
        _history(conn, row["id"], now, actor, None, checked)


def audit_log(conn: psycopg.Connection[Any], limit: int = 200) -> list[dict[str, Any]]:
    """Recent audit entries, newest first: who read or exported what, when."""
    return [
        _plain(r)
        for r in _rows(
            conn.execute(
                "SELECT at, actor, action, application_id, detail FROM application_audit "
                "ORDER BY id DESC LIMIT %s",
                (limit,),
            )
        )
    ]


def _history(
    conn: psycopg.Connection[Any],
    application_id: str,
    at: datetime,
    actor: str,
    status: str | None,
    note: str | None,
) -> None:
    conn.execute(
        "INSERT INTO application_history (application_id, at, actor, status, note) "
        "VALUES (%s, %s, %s, %s, %s)",
        (application_id, at, actor, status, note),
    )


def _audit(
    conn: psycopg.Connection[Any],
    at: datetime,
    actor: str,
    action: str,
    application_id: str | None,
    detail: str = "",
) -> None:
    conn.execute(
        "INSERT INTO application_audit (at, actor, action, application_id, detail) "
        "VALUES (%s, %s, %s, %s, %s)",
        (at, actor, action, application_id, detail),
    )


def purge_expired(conn: psycopg.Connection[Any], now: datetime, retention: timedelta) -> int:
    """Remove the personal fields and notes of applications closed at least `retention`
    ago (`core.applications.kept_after_retention`, as at a centre); type, institution,
    status, dates and the receipt check stay. Logged in the audit; returns how many."""
    with conn.transaction():
        rows = conn.execute(
            "SELECT id, fields FROM applications WHERE purged_at IS NULL "
            "AND closed_at IS NOT NULL AND closed_at <= %s FOR UPDATE",
            (now - retention,),
        ).fetchall()
        for application_id, fields in rows:
            conn.execute(
                "UPDATE applications SET fields = %s, purged_at = %s WHERE id = %s",
                (Jsonb(kept_after_retention(fields)), now, application_id),
            )
            conn.execute(
                "UPDATE application_history SET note = NULL WHERE application_id = %s",
                (application_id,),
            )
        if rows:
            _audit(conn, now, "system:retention", "purge", None, f"{len(rows)} applications")
    return len(rows)
