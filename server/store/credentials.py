"""Users, sign-in sessions and device tokens in the store.

Only digests of tokens and scrypt hashes of passwords are stored (`server.auth` makes
them). The rules of when a credential is live are `server.sessions`'; the two
conditions below are those rules in SQL, so that a request and an open event stream
are checked by the same words:

- a session is live while it has not reached its absolute end (`expires_at`), has
  been used since the idle cut-off, and its user is not disabled;
- a device token is live until it is revoked.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.store.times import to_db_time

LIVE_SESSION = "s.expires_at > :now AND s.last_seen_at > :idle_cutoff AND u.disabled = 0"
LIVE_DEVICE = "d.revoked_at IS NULL"
_BATCH = 500
"""Digests per query (well under SQLite's limit on bound parameters)."""


def _times(now: datetime, idle_cutoff: datetime) -> dict[str, str]:
    return {"now": to_db_time(now), "idle_cutoff": to_db_time(idle_cutoff)}


# -- users -------------------------------------------------------------------------


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


def users(conn: sqlite3.Connection) -> list[UserRow]:
    """Every user, by name."""
    rows = conn.execute(
        "SELECT username, role, display_name, counter_id, department_id, disabled, created_at "
        "FROM users ORDER BY username"
    ).fetchall()
    return [
        UserRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in (tuple(x) for x in rows)
    ]


def user_exists(conn: sqlite3.Connection, username: str) -> bool:
    """Whether a user of this name exists (disabled or not)."""
    return (
        conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone() is not None
    )


def insert_user(
    conn: sqlite3.Connection,
    username: str,
    role: str,
    password_hash: str,
    display_name: str,
    counter_id: str | None,
    department_id: str | None,
    created_at: datetime,
) -> None:
    """Store a new, enabled user."""
    conn.execute(
        "INSERT INTO users (username, role, password_hash, display_name, counter_id, "
        "department_id, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
        (
            username,
            role,
            password_hash,
            display_name,
            counter_id,
            department_id,
            to_db_time(created_at),
        ),
    )


def set_user_disabled(conn: sqlite3.Connection, username: str, disabled: bool) -> bool:
    """Disable or enable a user; False when there is no such user."""
    cursor = conn.execute(
        "UPDATE users SET disabled = ? WHERE username = ?", (int(disabled), username)
    )
    return cursor.rowcount > 0


def set_password_hash(conn: sqlite3.Connection, username: str, password_hash: str) -> bool:
    """Replace a user's password hash; False when there is no such user."""
    cursor = conn.execute(
        "UPDATE users SET password_hash = ? WHERE username = ?", (password_hash, username)
    )
    return cursor.rowcount > 0


def password_row(
    conn: sqlite3.Connection, username: str
) -> tuple[str, str, str | None, str | None, str, bool] | None:
    """(role, password hash, counter, department, display name, disabled) of a user."""
    row = conn.execute(
        "SELECT role, password_hash, counter_id, department_id, display_name, disabled "
        "FROM users WHERE username = ?",
        (username,),
    ).fetchone()
    if row is None:
        return None
    role, stored, counter_id, department_id, display_name, disabled = tuple(row)
    return role, stored, counter_id, department_id, display_name, bool(disabled)


def display_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Each user's display name by user name."""
    return dict(conn.execute("SELECT username, display_name FROM users").fetchall())


# -- sessions ----------------------------------------------------------------------


def insert_session(
    conn: sqlite3.Connection,
    token_hash: str,
    username: str,
    csrf_token: str,
    counter_id: str | None,
    created_at: datetime,
    expires_at: datetime,
) -> None:
    """Store a new session, last used when it was created."""
    conn.execute(
        "INSERT INTO sessions (token_hash, username, csrf_token, counter_id, created_at, "
        "expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            token_hash,
            username,
            csrf_token,
            counter_id,
            to_db_time(created_at),
            to_db_time(expires_at),
            to_db_time(created_at),
        ),
    )


def drop_ended_sessions(conn: sqlite3.Connection, now: datetime, idle_cutoff: datetime) -> None:
    """Remove sessions past their end or unused since the idle cut-off."""
    conn.execute(
        "DELETE FROM sessions WHERE expires_at <= :now OR last_seen_at <= :idle_cutoff",
        _times(now, idle_cutoff),
    )


def end_sessions_of(conn: sqlite3.Connection, username: str) -> None:
    """End every session of a user."""
    conn.execute("DELETE FROM sessions WHERE username = ?", (username,))


def delete_session(conn: sqlite3.Connection, token_hash: str) -> None:
    """End one session."""
    conn.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))


def touch_session(conn: sqlite3.Connection, token_hash: str, now: datetime) -> None:
    """Record that a session was used at `now` (never moves it backwards)."""
    conn.execute(
        "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?",
        (to_db_time(now), token_hash, to_db_time(now)),
    )


def bind_session_counter(conn: sqlite3.Connection, token_hash: str, counter_id: str) -> None:
    """Bind a session not yet bound to a counter to `counter_id`."""
    conn.execute(
        "UPDATE sessions SET counter_id = ? WHERE token_hash = ? AND counter_id IS NULL",
        (counter_id, token_hash),
    )


def live_session(
    conn: sqlite3.Connection, token_hash: str, now: datetime, idle_cutoff: datetime
) -> tuple[str, str, str | None, str | None, str, str, str] | None:
    """The live session with this digest: (user name, role, counter (the session's, else
    the user's), department, display name, CSRF token, last used); None if none."""
    row = conn.execute(
        "SELECT u.username, u.role, COALESCE(s.counter_id, u.counter_id), u.department_id, "
        "u.display_name, s.csrf_token, s.last_seen_at FROM sessions s "
        f"JOIN users u ON u.username = s.username WHERE s.token_hash = :digest AND {LIVE_SESSION}",
        {"digest": token_hash, **_times(now, idle_cutoff)},
    ).fetchone()
    return tuple(row) if row is not None else None


def live_digests(
    conn: sqlite3.Connection, digests: Collection[str], now: datetime, idle_cutoff: datetime
) -> set[str]:
    """Which of these token digests belong to a live session or a live device."""
    wanted = list(digests)
    live: set[str] = set()
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        marks = ", ".join(f":d{i}" for i in range(len(batch)))
        params: dict[str, str] = {f"d{i}": digest for i, digest in enumerate(batch)}
        params.update(_times(now, idle_cutoff))
        sessions = conn.execute(
            "SELECT s.token_hash FROM sessions s JOIN users u ON u.username = s.username "
            f"WHERE s.token_hash IN ({marks}) AND {LIVE_SESSION}",
            params,
        )
        devices = conn.execute(
            f"SELECT d.token_hash FROM devices d WHERE d.token_hash IN ({marks}) AND {LIVE_DEVICE}",
            params,
        )
        live.update(row[0] for row in sessions)
        live.update(row[0] for row in devices)
    return live


# -- devices -----------------------------------------------------------------------


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


def devices(conn: sqlite3.Connection, *, live_only: bool = False) -> list[DeviceRow]:
    """Every device (or only those not revoked), by name."""
    where = " WHERE revoked_at IS NULL" if live_only else ""
    rows = conn.execute(
        "SELECT name, role, counter_id, created_at, revoked_at, last_seen_at, status "
        f"FROM devices{where} ORDER BY name"
    ).fetchall()
    return [
        DeviceRow(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]) if r[6] else {})
        for r in (tuple(x) for x in rows)
    ]


def device_state(conn: sqlite3.Connection, name: str) -> tuple[bool, bool]:
    """Whether a device of this name exists, and whether it is live (not revoked)."""
    row = conn.execute("SELECT revoked_at FROM devices WHERE name = ?", (name,)).fetchone()
    return row is not None, row is not None and row[0] is None


def replace_device(
    conn: sqlite3.Connection,
    name: str,
    role: str,
    token_hash: str,
    counter_id: str | None,
    created_at: datetime,
) -> None:
    """Store a device under `name`, replacing a revoked one of that name."""
    conn.execute("DELETE FROM devices WHERE name = ?", (name,))
    conn.execute(
        "INSERT INTO devices (name, role, token_hash, counter_id, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (name, role, token_hash, counter_id, to_db_time(created_at)),
    )


def revoke_device(conn: sqlite3.Connection, name: str, at: datetime) -> bool:
    """Revoke a live device's token; False when there is no live device of that name."""
    cursor = conn.execute(
        "UPDATE devices SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
        (to_db_time(at), name),
    )
    return cursor.rowcount > 0


def live_device(conn: sqlite3.Connection, token_hash: str) -> tuple[str, str, str | None] | None:
    """The live device with this token digest: (name, role, counter); None if none."""
    row = conn.execute(
        "SELECT d.name, d.role, d.counter_id FROM devices d "
        f"WHERE d.token_hash = ? AND {LIVE_DEVICE}",
        (token_hash,),
    ).fetchone()
    return tuple(row) if row is not None else None


def device_status(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    """The status a device last reported ({} if none)."""
    row = conn.execute("SELECT status FROM devices WHERE name = ?", (name,)).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def record_device_status(
    conn: sqlite3.Connection, name: str, status: dict[str, Any], at: datetime
) -> None:
    """A device reported in at `at` with this status."""
    conn.execute(
        "UPDATE devices SET last_seen_at = ?, status = ? WHERE name = ?",
        (to_db_time(at), json.dumps(status), name),
    )
