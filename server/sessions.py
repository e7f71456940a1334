"""Sign-in sessions, and whether a bearer credential (session or device token) is valid.

A session ends when the first of these happens: it has not been used for the idle
time, it reached its absolute lifetime, its user signed out, was disabled or had
the password changed. A device token is valid until it is revoked (or replaced).
This module is the one home of those rules: requests (`principal_for_token`) and
open event streams (`live_credentials`) both ask it.

Use is recorded coarsely: `last_seen_at` moves at most once per `SEEN_GRANULARITY`
(one small write through the writer), so the idle time is measured to the minute.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Collection
from datetime import datetime, timedelta

from core.errors import NotAuthenticated
from server.auth import Credentials, Principal, Role, new_token, token_digest
from server.store.writer import to_db_time

SEEN_GRANULARITY = timedelta(minutes=1)
"""A session's last use is written at most this often."""
_LIVE_SESSION = "s.expires_at > :now AND s.last_seen_at > :idle_cutoff AND u.disabled = 0"
_LIVE_DEVICE = "d.revoked_at IS NULL"
_BATCH = 500
"""Digests per query (well under SQLite's limit on bound parameters)."""


def _times(now: datetime, idle: timedelta) -> dict[str, str]:
    return {"now": to_db_time(now), "idle_cutoff": to_db_time(now - idle)}


def principal_for_token(
    conn: sqlite3.Connection,
    token: str,
    now: datetime,
    idle: timedelta,
    *,
    via_cookie: bool = False,
) -> Principal:
    """The live session or device a token belongs to, or `NotAuthenticated`."""
    digest = token_digest(token)
    row = conn.execute(
        "SELECT u.username, u.role, COALESCE(s.counter_id, u.counter_id), u.department_id, "
        "u.display_name, s.csrf_token, s.last_seen_at FROM sessions s "
        f"JOIN users u ON u.username = s.username WHERE s.token_hash = :digest AND {_LIVE_SESSION}",
        {"digest": digest, **_times(now, idle)},
    ).fetchone()
    if row is not None:
        username, role, counter_id, department, display_name, csrf, seen = tuple(row)
        return Principal(
            name=username,
            role=Role(role),
            counter_id=counter_id,
            department_id=department,
            display_name=display_name or username,
            csrf_token=csrf,
            via_cookie=via_cookie,
            credential=digest,
            session_seen_at=datetime.fromisoformat(seen),
        )
    if via_cookie:
        raise NotAuthenticated("Your session has ended; please sign in again.")
    row = conn.execute(
        "SELECT d.name, d.role, d.counter_id FROM devices d "
        f"WHERE d.token_hash = ? AND {_LIVE_DEVICE}",
        (digest,),
    ).fetchone()
    if row is None:
        raise NotAuthenticated("The token is not valid (unknown, expired or revoked).")
    name, role, counter_id = tuple(row)
    return Principal(
        name=name, role=Role(role), counter_id=counter_id, display_name=name, credential=digest
    )


def live_credentials(
    conn: sqlite3.Connection, digests: Collection[str], now: datetime, idle: timedelta
) -> set[str]:
    """Which of these token digests still belong to a live session or device."""
    wanted = list(digests)
    live: set[str] = set()
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        marks = ", ".join(f":d{i}" for i in range(len(batch)))
        params: dict[str, str] = {f"d{i}": digest for i, digest in enumerate(batch)}
        params.update(_times(now, idle))
        sessions = conn.execute(
            "SELECT s.token_hash FROM sessions s JOIN users u ON u.username = s.username "
            f"WHERE s.token_hash IN ({marks}) AND {_LIVE_SESSION}",
            params,
        )
        devices = conn.execute(
            "SELECT d.token_hash FROM devices d "
            f"WHERE d.token_hash IN ({marks}) AND {_LIVE_DEVICE}",
            params,
        )
        live.update(row[0] for row in sessions)
        live.update(row[0] for row in devices)
    return live


def create_session(
    conn: sqlite3.Connection,
    credentials: Credentials,
    now: datetime,
    counter_id: str | None,
    *,
    idle: timedelta,
    lifetime: timedelta,
) -> tuple[str, Principal]:
    """Open a session for checked credentials (and drop sessions that have ended); a
    counter bound by an admin wins over the one chosen at login. Returns the token
    and the session's principal."""
    counter = credentials.counter_id or counter_id
    token = new_token()
    csrf = secrets.token_urlsafe(24)
    conn.execute(
        "INSERT INTO sessions (token_hash, username, csrf_token, counter_id, created_at, "
        "expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            token_digest(token),
            credentials.username,
            csrf,
            counter,
            to_db_time(now),
            to_db_time(now + lifetime),
            to_db_time(now),
        ),
    )
    conn.execute(
        "DELETE FROM sessions WHERE expires_at <= :now OR last_seen_at <= :idle_cutoff",
        _times(now, idle),
    )
    principal = Principal(
        name=credentials.username,
        role=credentials.role,
        counter_id=counter,
        department_id=credentials.department_id,
        display_name=credentials.display_name,
        csrf_token=csrf,
        credential=token_digest(token),
        session_seen_at=now,
    )
    return token, principal


def needs_touch(principal: Principal, now: datetime) -> bool:
    """Whether a request by this caller should record the session's use now."""
    seen = principal.session_seen_at
    return seen is not None and now - seen >= SEEN_GRANULARITY


def touch_session(conn: sqlite3.Connection, digest: str, now: datetime) -> None:
    """Record that a session was used at `now` (never moves it backwards)."""
    conn.execute(
        "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?",
        (to_db_time(now), digest, to_db_time(now)),
    )


def logout(conn: sqlite3.Connection, token: str) -> None:
    """End a session."""
    conn.execute("DELETE FROM sessions WHERE token_hash = ?", (token_digest(token),))
