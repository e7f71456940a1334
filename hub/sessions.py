"""Sign-in sessions of analysts and admins, and what a bearer token belongs to.

The rules are a centre's (`server.sessions`): a session ends when the first of these
happens: it has not been used for the idle time, it reached its absolute lifetime,
its user signed out or was disabled. Use is recorded at most once a minute
(`server.sessions.SEEN_GRANULARITY`). Requests and open event streams both ask
`principal_for_token`, so a session that ended is refused everywhere at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import psycopg

from core.errors import NotAuthenticated
from hub.accounts import HubPrincipal, HubRole
from server.auth import new_token, token_digest, verify_password
from server.sessions import SEEN_GRANULARITY


def principal_for_token(
    conn: psycopg.Connection, token: str, now: datetime, idle: timedelta
) -> HubPrincipal:
    """The live user session or centre a bearer token belongs to, or `NotAuthenticated`."""
    digest = token_digest(token)
    row = conn.execute(
        "SELECT u.username, u.role, u.municipality, s.csrf_token, s.last_seen_at, u.institution "
        "FROM sessions s JOIN users u ON u.username = s.username "
        "WHERE s.token_hash = %s AND s.expires_at > %s AND s.last_seen_at > %s "
        "AND NOT u.disabled",
        (digest, now, now - idle),
    ).fetchone()
    if row is not None:
        return HubPrincipal(
            name=row[0],
            role=HubRole(row[1]),
            municipality=row[2],
            institution=row[5],
            csrf_token=row[3],
            credential=digest,
            session_seen_at=row[4],
        )
    row = conn.execute(
        "SELECT id FROM centres WHERE token_hash = %s AND revoked_at IS NULL", (digest,)
    ).fetchone()
    if row is None:
        raise NotAuthenticated("The token is not valid (unknown, expired or revoked).")
    return HubPrincipal(name=row[0], role=HubRole.CENTRE, credential=digest)


def login(
    conn: psycopg.Connection, username: str, password: str, now: datetime, lifetime: timedelta
) -> tuple[str, HubPrincipal]:
    """A new session for a correct name and password (or `NotAuthenticated`): its
    token and its principal."""
    row = conn.execute(
        "SELECT password_hash, role, municipality, institution FROM users "
        "WHERE username = %s AND NOT disabled",
        (username,),
    ).fetchone()
    if row is None or not verify_password(password, row[0]):
        raise NotAuthenticated("Wrong user name or password.")
    token = new_token()
    csrf = secrets.token_urlsafe(24)
    conn.execute(
        "INSERT INTO sessions (token_hash, username, csrf_token, created_at, expires_at, "
        "last_seen_at) VALUES (%s, %s, %s, %s, %s, %s)",
        (token_digest(token), username, csrf, now, now + lifetime, now),
    )
    conn.execute("DELETE FROM sessions WHERE expires_at <= %s", (now,))
    principal = HubPrincipal(
        name=username,
        role=HubRole(row[1]),
        municipality=row[2],
        institution=row[3],
        csrf_token=csrf,
        credential=token_digest(token),
        session_seen_at=now,
    )
    return token, principal


def needs_touch(principal: HubPrincipal, now: datetime) -> bool:
    """Whether a request by this caller should record the session's use now."""
    seen = principal.session_seen_at
    return seen is not None and now - seen >= SEEN_GRANULARITY


def touch(conn: psycopg.Connection, digest: str, now: datetime) -> None:
    """Record that a session was used at `now` (never moves it backwards)."""
    conn.execute(
        "UPDATE sessions SET last_seen_at = %s WHERE token_hash = %s AND last_seen_at < %s",
        (now, digest, now),
    )


def logout(conn: psycopg.Connection, token: str) -> None:
    """End a session."""
    conn.execute("DELETE FROM sessions WHERE token_hash = %s", (token_digest(token),))
