"""Visitors' ratings in the store, and the tickets they rate."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from server.store.times import to_db_time


def visits_with_number(
    conn: sqlite3.Connection, day: date, number: str
) -> list[tuple[str, str, str, str, str | None, str, bool]]:
    """The business day's tickets with this number, newest first: (ticket id, number,
    language, service first asked for, counter, status, already rated)."""
    rows = conn.execute(
        "SELECT t.id, t.number, t.language, t.original_service_id, t.counter_id, t.status, "
        "f.ticket_id IS NOT NULL FROM tickets t LEFT JOIN feedback f ON f.ticket_id = t.id "
        "WHERE t.business_day = ? AND t.number = ? ORDER BY t.issued_at DESC",
        (day.isoformat(), number),
    ).fetchall()
    return [(*row[:6], bool(row[6])) for row in rows]


def visit_to_rate(
    conn: sqlite3.Connection, ticket_id: str
) -> tuple[str, str, str | None, str | None] | None:
    """(status, service first asked for, counter, clerk) of a ticket, or None."""
    row = conn.execute(
        "SELECT status, original_service_id, counter_id, clerk FROM tickets WHERE id = ?",
        (ticket_id,),
    ).fetchone()
    return tuple(row) if row is not None else None


def is_rated(conn: sqlite3.Connection, ticket_id: str) -> bool:
    """Whether the visit of this ticket was rated already."""
    return (
        conn.execute("SELECT 1 FROM feedback WHERE ticket_id = ?", (ticket_id,)).fetchone()
        is not None
    )


def insert_rating(
    conn: sqlite3.Connection,
    ticket_id: str,
    rating: int,
    at: datetime,
    service_id: str,
    counter_id: str | None,
    clerk: str | None,
    device: str,
) -> None:
    """Store a rating (the primary key refuses a second one for the same visit)."""
    conn.execute(
        "INSERT INTO feedback (ticket_id, rating, at, service_id, counter_id, clerk, device) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ticket_id, rating, to_db_time(at), service_id, counter_id, clerk, device),
    )
