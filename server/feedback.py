"""Visitor feedback: one rating (1-5) per served visit, from a feedback terminal.

A terminal bound to a counter rates that counter's visits (it hears of them
from the event stream); an exit terminal, bound to no counter, first finds
the visit by the number on the visitor's ticket (today's tickets only).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.events import FEEDBACK_GIVEN, EventDraft
from core.numbering import parse_number
from server.auth import Principal
from server.store.writer import Transaction, to_db_time

RATINGS = range(1, 6)


def find_visit(
    conn: sqlite3.Connection, principal: Principal, typed_number: str, today: date
) -> dict[str, Any]:
    """Today's served visit with the number on the visitor's ticket, ready to be rated."""
    number = parse_number(typed_number)
    if number is None:
        raise InvalidInput(
            f"{typed_number[:20]!r} is not a ticket number (e.g. A042).", {"number": "invalid"}
        )
    rows = conn.execute(
        "SELECT t.id, t.number, t.language, t.original_service_id, t.counter_id, t.status, "
        "f.ticket_id IS NOT NULL FROM tickets t LEFT JOIN feedback f ON f.ticket_id = t.id "
        "WHERE t.business_day = ? AND t.number = ? ORDER BY t.issued_at DESC",
        (today.isoformat(), number),
    ).fetchall()
    if principal.counter_id:
        rows = [row for row in rows if row[4] == principal.counter_id]
    if not rows:
        raise NotFound("visit", number, f"No visit with ticket {number} today.")
    ticket_id, number, language, service_id, counter_id, status, rated = rows[0]
    if status != "done":
        raise Conflict(f"Ticket {number} has not been served yet.", code="not_served")
    if rated:
        raise Conflict(
            f"The visit with ticket {number} has already been rated.", code="already_rated"
        )
    return {
        "ticket_id": ticket_id,
        "number": number,
        "language": language,
        "service_id": service_id,
        "counter_id": counter_id,
    }


def record_feedback(
    tx: Transaction, principal: Principal, ticket_id: str, rating: int
) -> dict[str, Any]:
    """Store the rating, tied to the ticket, its service, counter and clerk."""
    if rating not in RATINGS:
        raise InvalidInput("A rating is 1 to 5.", {"rating": "out_of_range"})
    row = tx.execute(
        "SELECT status, original_service_id, counter_id, clerk FROM tickets WHERE id = ?",
        (ticket_id[:64],),
    ).fetchone()
    if row is None:
        raise NotFound("ticket", ticket_id[:64])
    status, service_id, counter_id, clerk = row
    if status != "done":
        raise Conflict("Only a visit that has been served can be rated.", code="not_served")
    if principal.counter_id and principal.counter_id != counter_id:
        raise Forbidden("This terminal rates only its own counter's visits.")
    if tx.execute("SELECT 1 FROM feedback WHERE ticket_id = ?", (ticket_id,)).fetchone():
        raise Conflict("This visit has already been rated.", code="already_rated")
    tx.execute(
        "INSERT INTO feedback (ticket_id, rating, at, service_id, counter_id, clerk, device) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ticket_id, rating, to_db_time(tx.now), service_id, counter_id, clerk, principal.name),
    )
    tx.emit(
        EventDraft(
            FEEDBACK_GIVEN,
            {"rating": rating},
            service_id=service_id,
            counter_id=counter_id,
            ticket_id=ticket_id,
        )
    )
    return {"ticket_id": ticket_id, "rating": rating}
