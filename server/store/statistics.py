"""What statistics read from the store: visits from the tickets (with their ratings)."""

from __future__ import annotations

import sqlite3
from typing import Any

VisitRow = tuple[
    str, str, str, str, str | None, str | None, str | None, str | None, str | None, bool, int | None
]
"""(ticket id, service first asked for, status, issued, counter, clerk, first called,
started, finished (stored times), walk-direct, rating)."""


def visits_issued_between(
    conn: sqlite3.Connection, low: str, high: str, service_id: str | None = None
) -> list[VisitRow]:
    """The visits issued in [low, high) (stored times), of one service if given."""
    sql = (
        "SELECT t.id, t.original_service_id, t.status, t.issued_at, t.counter_id, t.clerk, "
        "t.first_called_at, t.started_at, t.finished_at, t.walk_direct, f.rating "
        "FROM tickets t LEFT JOIN feedback f ON f.ticket_id = t.id "
        "WHERE t.issued_at >= ? AND t.issued_at < ?"
    )
    params: list[Any] = [low, high]
    if service_id:
        sql += " AND t.original_service_id = ?"
        params.append(service_id)
    return [(*row[:9], bool(row[9]), row[10]) for row in conn.execute(sql, params)]


def called_tickets_of_day(
    conn: sqlite3.Connection, business_day: str
) -> list[tuple[str, str, str, str, str]]:
    """The business day's tickets called at least once (walk-direct visits left out):
    (ticket id, service first asked for, status, issued, first called (stored times))."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT id, original_service_id, status, issued_at, first_called_at FROM tickets "
            "WHERE business_day = ? AND first_called_at IS NOT NULL AND walk_direct = 0",
            (business_day,),
        )
    ]
