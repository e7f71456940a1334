"""Tickets and counters' live states in the store (rows converted by `server.store.rows`)."""

from __future__ import annotations

import sqlite3
from datetime import date

from core.model import CounterState, Ticket
from server.store.rows import SELECT_TICKET, counter_state_from_row, ticket_from_row

LIVE_STATUSES = ("waiting", "called", "serving", "parked")
"""Statuses of tickets still in the hall (loaded into the live state at start)."""


def live_tickets(conn: sqlite3.Connection) -> list[Ticket]:
    """Tickets still in the hall: waiting, called, being served or parked."""
    marks = ", ".join("?" * len(LIVE_STATUSES))
    rows = conn.execute(f"{SELECT_TICKET} WHERE status IN ({marks})", LIVE_STATUSES).fetchall()
    return [ticket_from_row(row) for row in rows]


def ticket_by_id(conn: sqlite3.Connection, ticket_id: str) -> Ticket | None:
    """The ticket with this id, whatever its status."""
    row = conn.execute(f"{SELECT_TICKET} WHERE id = ?", (ticket_id,)).fetchone()
    return ticket_from_row(row) if row is not None else None


def counter_states(conn: sqlite3.Connection) -> list[CounterState]:
    """Every counter's stored live state."""
    rows = conn.execute(
        "SELECT counter_id, status, since, clerk, current_ticket_id FROM counter_states"
    ).fetchall()
    return [counter_state_from_row(row) for row in rows]


def day_numbering(conn: sqlite3.Connection, day: date) -> tuple[dict[str, int], dict[str, int]]:
    """A business day's numbering so far: the last sequence number per prefix, and the
    tickets per service that count towards its daily cap (walk-direct visits do not)."""
    last_ticket_seq = dict(
        conn.execute(
            "SELECT prefix, MAX(seq) FROM tickets WHERE business_day = ? GROUP BY prefix",
            (day.isoformat(),),
        ).fetchall()
    )
    issued = dict(
        conn.execute(
            "SELECT original_service_id, COUNT(*) FROM tickets "
            "WHERE business_day = ? AND walk_direct = 0 GROUP BY original_service_id",
            (day.isoformat(),),
        ).fetchall()
    )
    return last_ticket_seq, issued


def set_print_error(conn: sqlite3.Connection, ticket_id: str, error: str | None) -> None:
    """Keep why a kiosk could not print a ticket (None: it printed)."""
    conn.execute("UPDATE tickets SET print_error = ? WHERE id = ?", (error, ticket_id))
