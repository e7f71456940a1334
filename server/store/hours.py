"""Opening-hours exceptions added by admins (holidays, extended days), stored in SQLite."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from core.hours import DayException, parse_ranges
from core.model import TimeRange


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
