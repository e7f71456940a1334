"""Converting between database rows and domain values."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from core.model import CounterState, CounterStatus, Ticket, TicketStatus
from server.store.times import parse_time, to_db_time

TICKET_COLUMNS = (
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
    "clerk",
    "printed",
    "delivered_service",
    "note",
    "appointment_at",
)
_TIME_FIELDS = frozenset(column for column in TICKET_COLUMNS if column.endswith("_at"))
"""The columns holding times (`issued_at`, `called_at` ...)."""
SELECT_TICKET = f"SELECT {', '.join(TICKET_COLUMNS)} FROM tickets"
_UPDATE_TICKET = (
    f"UPDATE tickets SET {', '.join(f'{c} = ?' for c in TICKET_COLUMNS[1:])} WHERE id = ?"
)
_INSERT_TICKET = (
    f"INSERT INTO tickets ({', '.join(TICKET_COLUMNS)}, issued_by) "
    f"VALUES ({', '.join('?' for _ in TICKET_COLUMNS)}, ?)"
)


def ticket_values(ticket: Ticket) -> list[Any]:
    """Column values of a ticket, in `TICKET_COLUMNS` order."""
    values: list[Any] = []
    for column in TICKET_COLUMNS:
        value = getattr(ticket, column)
        if column in _TIME_FIELDS:
            value = to_db_time(value) if value is not None else None
        elif column == "business_day":
            value = value.isoformat()
        elif column == "status":
            value = value.value
        elif isinstance(value, bool):
            value = int(value)
        values.append(value)
    return values


def ticket_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Ticket:
    """A ticket from a row selected with `SELECT_TICKET`."""
    fields = dict(zip(TICKET_COLUMNS, tuple(row), strict=True))
    for name in _TIME_FIELDS:
        fields[name] = parse_time(fields[name])
    fields["business_day"] = date.fromisoformat(fields["business_day"])
    fields["status"] = TicketStatus(fields["status"])
    fields["is_priority"] = bool(fields["is_priority"])
    fields["walk_direct"] = bool(fields["walk_direct"])
    if fields["printed"] is not None:
        fields["printed"] = bool(fields["printed"])
    return Ticket(**fields)


def insert_ticket(conn: sqlite3.Connection, ticket: Ticket, issued_by: str | None) -> None:
    """Store a new ticket (the UNIQUE constraint refuses a duplicate number)."""
    conn.execute(_INSERT_TICKET, [*ticket_values(ticket), issued_by])


def update_ticket(conn: sqlite3.Connection, ticket: Ticket) -> None:
    """Store a ticket's new state."""
    values = ticket_values(ticket)
    conn.execute(_UPDATE_TICKET, [*values[1:], values[0]])


def save_counter_state(conn: sqlite3.Connection, state: CounterState) -> None:
    """Store a counter's live state."""
    conn.execute(
        "INSERT INTO counter_states (counter_id, status, since, clerk, current_ticket_id) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (counter_id) DO UPDATE SET "
        "status = excluded.status, since = excluded.since, clerk = excluded.clerk, "
        "current_ticket_id = excluded.current_ticket_id",
        (
            state.counter_id,
            state.status.value,
            to_db_time(state.since) if state.since else None,
            state.clerk,
            state.current_ticket_id,
        ),
    )


def counter_state_from_row(row: sqlite3.Row | tuple[Any, ...]) -> CounterState:
    """A counter state from `SELECT counter_id, status, since, clerk, current_ticket_id`."""
    counter_id, status, since, clerk, current = tuple(row)
    return CounterState(
        counter_id=counter_id,
        status=CounterStatus(status),
        since=parse_time(since),
        clerk=clerk,
        current_ticket_id=current,
    )
