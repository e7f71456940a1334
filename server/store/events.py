"""Reading the event log (appending is `Transaction.emit`, in the writer).

The log is append-only (triggers refuse updates and deletes) and its `seq` grows by
one per event in commit order, whichever process committed it: the server's writer
or an admin command's own writer (`server.admin.run_admin`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import datetime
from typing import Any

from core.events import Event
from server.store.times import parse_time

EVENT_COLUMNS = "seq, type, at, service_id, counter_id, ticket_id, actor, data"
"""The columns of a logged event row, in the order `logged_rows` returns them."""


def last_event_seq(conn: sqlite3.Connection) -> int:
    """The sequence number of the newest event (0 for an empty log)."""
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])


def events_after(
    conn: sqlite3.Connection, after: int, limit: int, *, before: int | None = None
) -> list[Event]:
    """Events with `after` < seq (< `before`, if given), oldest first, at most `limit`."""
    sql = "SELECT seq, type, at, service_id, counter_id, ticket_id, data FROM events WHERE seq > ?"
    params: list[Any] = [after]
    if before is not None:
        sql += " AND seq < ?"
        params.append(before)
    rows = conn.execute(f"{sql} ORDER BY seq LIMIT ?", [*params, limit]).fetchall()
    return [
        Event(
            seq=row[0],
            type=row[1],
            at=datetime.fromisoformat(row[2]),
            service_id=row[3],
            counter_id=row[4],
            ticket_id=row[5],
            data=json.loads(row[6]),
        )
        for row in rows
    ]


def logged_rows(conn: sqlite3.Connection, after: int, limit: int) -> list[tuple[Any, ...]]:
    """Rows of events with seq > `after` (columns `EVENT_COLUMNS`, actor included),
    oldest first, at most `limit`: what the hub link ships."""
    rows = conn.execute(
        f"SELECT {EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit)
    ).fetchall()
    return [tuple(row) for row in rows]


def time_of_first_after(conn: sqlite3.Connection, seq: int) -> datetime | None:
    """When the first event after `seq` was logged (None when there is none)."""
    row = conn.execute(
        "SELECT at FROM events WHERE seq > ? ORDER BY seq LIMIT 1", (seq,)
    ).fetchone()
    return parse_time(row[0]) if row else None


def latest_of_types(
    conn: sqlite3.Connection, types: Collection[str], limit: int
) -> list[tuple[int, str, str, dict[str, Any]]]:
    """The newest events of these types: (seq, type, stored time, data), newest first."""
    marks = ", ".join("?" * len(types))
    rows = conn.execute(
        f"SELECT seq, type, at, data FROM events WHERE type IN ({marks}) ORDER BY seq DESC LIMIT ?",
        [*types, limit],
    ).fetchall()
    return [(seq, kind, at, json.loads(data)) for seq, kind, at, data in rows]


def clerk_time_rows(
    conn: sqlite3.Connection, types: Collection[str], low: str, high: str
) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """Events of these types logged in [low, high) (stored times), in log order:
    (type, at, counter_id, ticket_id, the clerk named in the counter or the ticket)."""
    marks = ", ".join("?" * len(types))
    rows = conn.execute(
        "SELECT type, at, counter_id, ticket_id, COALESCE(json_extract(data, '$.counter.clerk'), "
        "json_extract(data, '$.ticket.clerk')) FROM events "
        f"WHERE at >= ? AND at < ? AND type IN ({marks}) ORDER BY seq",
        [low, high, *types],
    ).fetchall()
    return [tuple(row) for row in rows]


def last_counter_events_before(
    conn: sqlite3.Connection, types: Collection[str], before: str
) -> list[tuple[str, str, str | None]]:
    """Per counter, its last event of these types logged before `before` (a stored
    time): (counter_id, type, the clerk named in it)."""
    marks = ", ".join("?" * len(types))
    rows = conn.execute(
        "SELECT counter_id, type, json_extract(data, '$.counter.clerk') FROM events "
        f"WHERE seq IN (SELECT MAX(seq) FROM events WHERE type IN ({marks}) AND at < ? "
        "GROUP BY counter_id)",
        [*types, before],
    ).fetchall()
    return [tuple(row) for row in rows]
