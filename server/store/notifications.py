"""The notification outbox in the store: one row per message, written in the transaction
of what triggers it, sent (and retried) afterwards."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from server.store.times import parse_time, to_db_time


@dataclass(frozen=True)
class Message:
    """One queued message."""

    id: int
    kind: str
    channel: str
    recipient: str
    subject: str
    body: str
    attempts: int


def enqueue(
    conn: sqlite3.Connection,
    *,
    trigger_key: str,
    kind: str,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    appointment_id: str | None,
    now: datetime,
) -> bool:
    """Queue a message unless one for `trigger_key` exists; True when queued."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO notifications (trigger_key, kind, channel, recipient, subject, "
        "body, appointment_id, status, next_attempt_at, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        (trigger_key, kind, channel, recipient, subject, body, appointment_id,
         to_db_time(now), to_db_time(now)),
    )  # fmt: skip
    return cursor.rowcount == 1


def due(conn: sqlite3.Connection, now: datetime, limit: int) -> list[Message]:
    """Pending messages whose next attempt is due, oldest first."""
    rows = conn.execute(
        "SELECT id, kind, channel, recipient, subject, body, attempts FROM notifications "
        "WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
        (to_db_time(now), limit),
    )
    return [Message(*row) for row in rows]


def mark_sent(conn: sqlite3.Connection, message_id: int, now: datetime) -> None:
    """The message was handed to the mail server or the gateway."""
    conn.execute(
        "UPDATE notifications SET status = 'sent', sent_at = ?, attempts = attempts + 1 "
        "WHERE id = ?",
        (to_db_time(now), message_id),
    )


def mark_attempt_failed(
    conn: sqlite3.Connection,
    message_id: int,
    error: str,
    next_attempt_at: datetime | None,
    status: str = "pending",
) -> None:
    """An attempt failed: try again at `next_attempt_at`, or end with `status`."""
    conn.execute(
        "UPDATE notifications SET attempts = attempts + 1, last_error = ?, status = ?, "
        "next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
        (error[:500], status, to_db_time(next_attempt_at) if next_attempt_at else None,
         message_id),
    )  # fmt: skip


def listing(
    conn: sqlite3.Connection, statuses: tuple[str, ...], limit: int
) -> list[dict[str, object]]:
    """Messages in `statuses`, newest first, without their text (what staff see)."""
    marks = ", ".join("?" * len(statuses))
    rows = conn.execute(
        "SELECT id, kind, channel, recipient, status, attempts, last_error, created_at, "
        f"next_attempt_at, sent_at FROM notifications WHERE status IN ({marks}) "
        "ORDER BY id DESC LIMIT ?",
        (*statuses, limit),
    )
    names = ("id", "kind", "channel", "recipient", "status", "attempts", "last_error",
             "created_at", "next_attempt_at", "sent_at")  # fmt: skip
    result = []
    for row in rows:
        item = dict(zip(names, row, strict=True))
        for key in ("created_at", "next_attempt_at", "sent_at"):
            moment = parse_time(item[key])
            item[key] = moment.isoformat() if moment else None
        result.append(item)
    return result


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many messages are in each status."""
    return dict(conn.execute("SELECT status, COUNT(*) FROM notifications GROUP BY status"))


def purge(conn: sqlite3.Connection, created_before: datetime, now: datetime) -> int:
    """Remove recipient and text of messages queued before `created_before` that are no
    longer pending; returns how many."""
    cursor = conn.execute(
        "UPDATE notifications SET recipient = NULL, subject = NULL, body = NULL, purged_at = ? "
        "WHERE purged_at IS NULL AND status != 'pending' AND created_at < ?",
        (to_db_time(now), to_db_time(created_before)),
    )
    return cursor.rowcount
