"""Sign-in sessions, and whether a bearer credential (session or device token) is valid.

A session ends when the first of these happens: it has not been used for the idle
time, it reached its absolute lifetime, its user signed out, was disabled or had
the password changed. A device token is valid until it is revoked (or replaced).
This module is the one home of those rules: requests (`principal_for_token`) and
open event streams (`live_credentials`) both ask it (the store words them in SQL:
`server.store.credentials.LIVE_SESSION`, `LIVE_DEVICE`).

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
from server.store import credentials as store

SEEN_GRANULARITY = timedelta(minutes=1)
"""A session's last use is written at most this often."""


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
    session = store.live_session(conn, digest, now, now - idle)
    if session is not None:
        username, role, counter_id, department, display_name, csrf, seen = session
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
    device = store.live_device(conn, digest)
    if device is None:
        raise NotAuthenticated("The token is not valid (unknown, expired or revoked).")
    name, role, counter_id = device
    return Principal(
        name=name, role=Role(role), counter_id=counter_id, display_name=name, credential=digest
    )


def live_credentials(
    conn: sqlite3.Connection, digests: Collection[str], now: datetime, idle: timedelta
) -> set[str]:
    """Which of these token digests still belong to a live session or device."""
    return store.live_digests(conn, digests, now, now - idle)


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
    store.insert_session(
        conn, token_digest(token), credentials.username, csrf, counter, now, now + lifetime
    )
    store.drop_ended_sessions(conn, now, now - idle)
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
    store.touch_session(conn, digest, now)


def logout(conn: sqlite3.Connection, token: str) -> None:
    """End a session."""
    store.delete_session(conn, token_digest(token))


def bind_counter(conn: sqlite3.Connection, token: str, counter_id: str) -> None:
    """A clerk not bound to a counter chooses one for the session of `token`."""
    store.bind_session_counter(conn, token_digest(token), counter_id)
