"""The outbox of applications forwarded to the network hub (`application_forwarding`).

A row is written in the transaction that lodges the application, so the kiosk's
acknowledgement and the promise to forward are one commit; it is marked delivered
when the hub acknowledges it, and never deleted before (its payload is purged with
the application's personal fields, `server.applications.purge_expired`).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from server.store.times import to_db_time


def queue(
    conn: sqlite3.Connection, application_id: str, payload: dict[str, Any], at: datetime
) -> None:
    """Queue an application for the hub (payload: what travels, `shipped_application`)."""
    conn.execute(
        "INSERT INTO application_forwarding (application_id, payload, queued_at) VALUES (?, ?, ?)",
        (application_id, json.dumps(payload, ensure_ascii=False), to_db_time(at)),
    )


def pending(conn: sqlite3.Connection, limit: int) -> list[tuple[str, dict[str, Any]]]:
    """(application id, payload) of the applications not yet acknowledged by the hub,
    oldest first (those the hub refused before, last)."""
    return [
        (application_id, json.loads(payload))
        for application_id, payload in conn.execute(
            "SELECT application_id, payload FROM application_forwarding "
            "WHERE delivered_at IS NULL ORDER BY attempts, queued_at, application_id LIMIT ?",
            (limit,),
        )
    ]


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(waiting, delivered) applications of the outbox."""
    waiting, delivered = conn.execute(
        "SELECT COALESCE(SUM(delivered_at IS NULL), 0), COALESCE(SUM(delivered_at IS NOT NULL), 0) "
        "FROM application_forwarding"
    ).fetchone()
    return int(waiting), int(delivered)


def any_forwarded(conn: sqlite3.Connection) -> bool:
    """Whether this centre has ever forwarded an application (so updates may come)."""
    (exists,) = conn.execute("SELECT EXISTS (SELECT 1 FROM application_forwarding)").fetchone()
    return bool(exists)


def mark_delivered(conn: sqlite3.Connection, application_id: str, at: datetime) -> bool:
    """Record the hub's acknowledgement; False when it was already recorded."""
    cursor = conn.execute(
        "UPDATE application_forwarding SET delivered_at = ?, last_error = NULL "
        "WHERE application_id = ? AND delivered_at IS NULL",
        (to_db_time(at), application_id),
    )
    return cursor.rowcount == 1


def mark_failed(conn: sqlite3.Connection, application_id: str, error: str) -> None:
    """Count a failed attempt and keep its reason (shown to staff)."""
    conn.execute(
        "UPDATE application_forwarding SET attempts = attempts + 1, last_error = ? "
        "WHERE application_id = ?",
        (error[:500], application_id),
    )


def purge_payload(conn: sqlite3.Connection, application_id: str, kept: dict[str, Any]) -> None:
    """Drop the personal fields of a delivered payload (the retention purge)."""
    row = conn.execute(
        "SELECT payload FROM application_forwarding WHERE application_id = ?", (application_id,)
    ).fetchone()
    if row is None:
        return
    payload = json.loads(row[0])
    payload["fields"] = kept
    conn.execute(
        "UPDATE application_forwarding SET payload = ? WHERE application_id = ?",
        (json.dumps(payload, ensure_ascii=False), application_id),
    )
