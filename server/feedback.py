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
from core.events import feedback_event
from core.numbering import parse_number
from server.auth import Principal
from server.store.feedback import insert_rating, is_rated, visit_to_rate, visits_with_number
from server.store.writer import Transaction

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
    rows = visits_with_number(conn, today, number)
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
    conn = tx.db.conn
    row = visit_to_rate(conn, ticket_id[:64])
    if row is None:
        raise NotFound("ticket", ticket_id[:64])
    status, service_id, counter_id, clerk = row
    if status != "done":
        raise Conflict("Only a visit that has been served can be rated.", code="not_served")
    if principal.counter_id and principal.counter_id != counter_id:
        raise Forbidden("This terminal rates only its own counter's visits.")
    if is_rated(conn, ticket_id):
        raise Conflict("This visit has already been rated.", code="already_rated")
    insert_rating(conn, ticket_id, rating, tx.now, service_id, counter_id, clerk, principal.name)
    tx.emit(
        feedback_event(rating, ticket_id=ticket_id, service_id=service_id, counter_id=counter_id)
    )
    return {"ticket_id": ticket_id, "rating": rating}
