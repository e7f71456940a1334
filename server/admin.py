"""Administration shared by the CLI and the admin web pages: users, devices, hours."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from core.catalogue import Catalogue
from core.days import parse_day
from core.errors import InvalidInput, NotFound
from core.free_text import HOURS_NOTE, clean_text
from core.hours import parse_ranges
from server.hours_store import range_texts
from server.store.database import database_path, open_writer_database
from server.store.faults import store_error
from server.store.writer import to_db_time

T = TypeVar("T")


@contextmanager
def admin_connection(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """A connection for one admin command, inside one immediate transaction. Raises
    `StorageUnavailable` when the store cannot be used (locked by another program for
    longer than the busy timeout, a full disk ...)."""
    path = database_path(data_dir)
    db = open_writer_database(path)
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        unavailable = store_error(exc, path, "cannot change the database")
        if unavailable is None:
            raise
        raise unavailable from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        db.close()


def run_admin(data_dir: Path, action: Callable[[sqlite3.Connection], T]) -> T:
    """Run one admin action in its own transaction."""
    with admin_connection(data_dir) as conn:
        return action(conn)


@dataclass(frozen=True)
class UserRow:
    """A user as listed by admins."""

    username: str
    role: str
    display_name: str
    counter_id: str | None
    department_id: str | None
    disabled: bool
    created_at: str


def list_users(conn: sqlite3.Connection) -> list[UserRow]:
    """Every user, by name."""
    rows = conn.execute(
        "SELECT username, role, display_name, counter_id, department_id, disabled, created_at "
        "FROM users ORDER BY username"
    ).fetchall()
    return [
        UserRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in (tuple(x) for x in rows)
    ]


@dataclass(frozen=True)
class DeviceRow:
    """A device as listed by admins."""

    name: str
    role: str
    counter_id: str | None
    created_at: str
    revoked_at: str | None
    last_seen_at: str | None
    status: dict[str, Any]


def list_devices(conn: sqlite3.Connection) -> list[DeviceRow]:
    """Every device, by name."""
    rows = conn.execute(
        "SELECT name, role, counter_id, created_at, revoked_at, last_seen_at, status "
        "FROM devices ORDER BY name"
    ).fetchall()
    return [
        DeviceRow(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]) if r[6] else {})
        for r in (tuple(x) for x in rows)
    ]


def check_user_links(
    catalogue: Catalogue, counter_id: str | None, department_id: str | None
) -> None:
    """A user's counter and department must exist in the catalogue."""
    if counter_id is not None:
        catalogue.counter(counter_id)
    if department_id is not None and department_id not in {d.id for d in catalogue.departments}:
        raise NotFound("department", department_id)


def add_hours_exception(
    conn: sqlite3.Connection,
    day: date,
    hours: list[str],
    closed: bool,
    note: str,
    actor: str,
    now: datetime,
) -> None:
    """Add or replace a dated exception (a holiday, or different hours that day)."""
    if closed == bool(hours):
        raise InvalidInput(
            "Give either the day's hours or 'closed', not both and not neither.",
            {"hours": "hours_or_closed"},
        )
    try:
        ranges = parse_ranges(hours) if hours else ()
    except ValueError as exc:
        raise InvalidInput(str(exc), {"hours": "invalid"}) from None
    day = parse_day(day, "date")
    note = clean_text(note, HOURS_NOTE, "note")
    conn.execute(
        "INSERT INTO hours_exceptions (day, ranges, note, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET ranges = excluded.ranges, "
        "note = excluded.note, created_by = excluded.created_by, created_at = excluded.created_at",
        (day.isoformat(), json.dumps(range_texts(ranges)), note, actor, to_db_time(now)),
    )


def remove_hours_exception(conn: sqlite3.Connection, day: date) -> None:
    """Remove a dated exception."""
    cursor = conn.execute("DELETE FROM hours_exceptions WHERE day = ?", (day.isoformat(),))
    if cursor.rowcount == 0:
        raise NotFound("hours_exception", day.isoformat())


def list_hours_exceptions(conn: sqlite3.Connection) -> list[tuple[str, list[str], str]]:
    """Stored exceptions: (date, ranges, note), by date."""
    return [
        (row[0], json.loads(row[1]), row[2])
        for row in conn.execute("SELECT day, ranges, note FROM hours_exceptions ORDER BY day")
    ]
