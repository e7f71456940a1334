"""Opening-hours exceptions added by admins (holidays, extended days), in the store."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from core.hours import DayException, parse_ranges
from core.model import TimeRange
from server.store.times import to_db_time


def load_exceptions(conn: sqlite3.Connection) -> dict[date, DayException]:
    """All stored exceptions by date."""
    result: dict[date, DayException] = {}
    for day, ranges, note in conn.execute("SELECT day, ranges, note FROM hours_exceptions"):
        parsed = parse_ranges(json.loads(ranges))
        result[date.fromisoformat(day)] = DayException(date.fromisoformat(day), parsed, note)
    return result


def range_texts(ranges: tuple[TimeRange, ...]) -> list[str]:
    """Ranges as `HH:MM-HH:MM` texts (the stored form)."""
    return [r.label().replace("–", "-") for r in ranges]


def put_exception(
    conn: sqlite3.Connection,
    day: date,
    ranges: tuple[TimeRange, ...],
    note: str,
    created_by: str | None,
    created_at: datetime,
) -> None:
    """Add the exception of a date, or replace the one it had."""
    conn.execute(
        "INSERT INTO hours_exceptions (day, ranges, note, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET ranges = excluded.ranges, "
        "note = excluded.note, created_by = excluded.created_by, created_at = excluded.created_at",
        (
            day.isoformat(),
            json.dumps(range_texts(ranges)),
            note,
            created_by,
            to_db_time(created_at),
        ),
    )


def delete_exception(conn: sqlite3.Connection, day: date) -> bool:
    """Remove the exception of a date; False when it had none."""
    return (
        conn.execute("DELETE FROM hours_exceptions WHERE day = ?", (day.isoformat(),)).rowcount > 0
    )


def exceptions(conn: sqlite3.Connection) -> list[tuple[str, list[str], str]]:
    """Stored exceptions as (date, ranges, note), by date."""
    return [
        (row[0], json.loads(row[1]), row[2])
        for row in conn.execute("SELECT day, ranges, note FROM hours_exceptions ORDER BY day")
    ]
