"""Who may use the hub: centres (each with a token that ships only its own events) and
people who read network figures (analysts, optionally limited to one municipality,
and admins).

Tokens are stored only as SHA-256 digests and passwords as scrypt hashes (the same
helpers as a centre server, `server.auth`). Every request looks its token up again
(`hub.sessions`), so a revoked centre or a disabled user is refused at once; a
revocation is also announced on the `rinda_hub_revoked` channel, so open event
streams close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import psycopg

from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.auth import check_password_rules, hash_password, new_token, token_digest

REVOKED_CHANNEL = "rinda_hub_revoked"
CENTRE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


class HubRole(StrEnum):
    """What a principal is to the hub."""

    CENTRE = "centre"
    ANALYST = "analyst"
    ADMIN = "admin"
    INSTITUTION = "institution"


@dataclass(frozen=True)
class HubPrincipal:
    """The authenticated caller of a hub request."""

    name: str
    role: HubRole
    municipality: str | None = None
    """An analyst limited to one municipality's centres; None: every centre."""
    institution: str | None = None
    """The institution (a national catalogue department) whose forwarded applications
    an institution user handles; None for every other role."""
    csrf_token: str | None = None
    """The session's CSRF token (a browser sends it with every change); None for a
    centre's token."""
    credential: str = ""
    """The digest of the token that authenticated the caller."""
    session_seen_at: datetime | None = None
    """When the session was last noted in use; None for a centre."""

    @property
    def display_name(self) -> str:
        """How pages name the signed-in user."""
        return self.name

    @property
    def revocation_key(self) -> str:
        """What a revocation of this principal is announced as."""
        return f"{'centre' if self.role is HubRole.CENTRE else 'user'}:{self.name}"

    def require_centre(self, centre_id: str) -> None:
        """Only the centre itself may ship or read its position."""
        if self.role is not HubRole.CENTRE:
            raise Forbidden("Only a centre's own token ships its events.")
        if self.name != centre_id:
            raise Forbidden(
                f"This token belongs to centre {self.name!r}; it cannot act for {centre_id!r}.",
                code="wrong_centre",
            )

    @property
    def is_reader(self) -> bool:
        """Whether this principal reads network figures: analysts and admins only (the
        one rule for the API and the pages)."""
        return self.role in (HubRole.ANALYST, HubRole.ADMIN)

    def require_reader(self) -> None:
        """Network figures are for analysts and admins, never for centre tokens or
        institution staff."""
        if not self.is_reader:
            raise Forbidden(f"A {self.role.value}'s credential cannot read network figures.")

    def require_institution(self) -> str:
        """Forwarded applications are for institution staff, each seeing only its own
        institution's; returns that institution. A centre never reads them back."""
        if self.role is not HubRole.INSTITUTION or self.institution is None:
            raise Forbidden("Only an institution's staff read forwarded applications.")
        return self.institution

    def require_admin(self) -> None:
        """Administration is for admins."""
        if self.role is not HubRole.ADMIN:
            raise Forbidden("Only a hub admin may do this.")

    def sees(self, municipality: str) -> bool:
        """Whether this reader may see a centre of `municipality`."""
        return self.is_reader and self.municipality in (None, municipality)


# -- centres --------------------------------------------------------------------


def add_centre(
    conn: psycopg.Connection, centre_id: str, name: str, municipality: str, now: datetime
) -> str:
    """Register a centre; returns its token (shown once, stored only as a digest)."""
    if not CENTRE_ID.match(centre_id):
        raise InvalidInput(
            "A centre id is 1-63 lower-case letters, digits, '-' or '_'.", {"id": "invalid"}
        )
    if not name.strip() or not municipality.strip():
        raise InvalidInput("Name and municipality are required.", {"name": "required"})
    token = new_token()
    try:
        conn.execute(
            "INSERT INTO centres (id, name, municipality, token_hash, created_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            (centre_id, name.strip(), municipality.strip(), token_digest(token), now),
        )
    except psycopg.errors.UniqueViolation:
        raise Conflict(f"Centre {centre_id!r} already exists.", code="centre_exists") from None
    return token


def revoke_centre(conn: psycopg.Connection, centre_id: str, now: datetime) -> None:
    """Invalidate a centre's token at once (its stored events and figures stay)."""
    row = conn.execute(
        "UPDATE centres SET revoked_at = COALESCE(revoked_at, %s) WHERE id = %s RETURNING id",
        (now, centre_id),
    ).fetchone()
    if row is None:
        raise NotFound("centre", centre_id)
    conn.execute("SELECT pg_notify(%s, %s)", (REVOKED_CHANNEL, f"centre:{centre_id}"))


def list_centres(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every centre with its link figures, by municipality and id."""
    cursor = conn.execute(
        "SELECT id, name, municipality, created_at, revoked_at, acknowledged_seq, "
        "events_stored, last_event_at, last_contact_at, timezone FROM centres "
        "ORDER BY municipality, id"
    )
    names = [column.name for column in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# -- users ----------------------------------------------------------------------


def add_user(
    conn: psycopg.Connection,
    username: str,
    role: HubRole,
    password: str,
    now: datetime,
    municipality: str | None = None,
    institution: str | None = None,
) -> None:
    """Create an analyst, admin or institution user (an admin sees every municipality;
    an institution user, `institution`'s forwarded applications only)."""
    if not USERNAME.match(username):
        raise InvalidInput(
            "A user name is 1-64 letters, digits or . _ @ -.", {"username": "invalid"}
        )
    if role is HubRole.CENTRE:
        raise InvalidInput("Centres are added with `rinda hub centres add`.", {"role": "invalid"})
    if municipality is not None and role is HubRole.ADMIN:
        raise InvalidInput(
            "Only an analyst is limited to a municipality.", {"municipality": "not_for_admin"}
        )
    if (role is HubRole.INSTITUTION) != (institution is not None):
        raise InvalidInput(
            "An institution user needs --institution ID, and only they have one.",
            {"institution": "required" if institution is None else "not_for_role"},
        )
    if institution is not None and municipality is not None:
        raise InvalidInput(
            "An institution user is not limited to a municipality.",
            {"municipality": "not_for_institution"},
        )
    if institution is not None and not _known_institution(conn, institution):
        raise InvalidInput(
            f"No institution {institution!r} in any published national catalogue version.",
            {"institution": "unknown_department"},
        )
    check_password_rules(password)
    try:
        conn.execute(
            "INSERT INTO users (username, role, municipality, institution, password_hash, "
            "created_at) VALUES (%s, %s, %s, %s, %s, %s)",
            (username, role.value, municipality, institution, hash_password(password), now),
        )
    except psycopg.errors.UniqueViolation:
        raise Conflict(f"User {username!r} already exists.", code="user_exists") from None


def _known_institution(conn: psycopg.Connection, institution: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM catalogue_departments WHERE department_id = %s LIMIT 1", (institution,)
    ).fetchone()
    return row is not None


def set_user_disabled(conn: psycopg.Connection, username: str, disabled: bool) -> None:
    """Stop (or allow again) a user signing in; disabling ends their sessions at once."""
    row = conn.execute(
        "UPDATE users SET disabled = %s WHERE username = %s RETURNING username",
        (disabled, username),
    ).fetchone()
    if row is None:
        raise NotFound("user", username)
    if disabled:
        conn.execute("DELETE FROM sessions WHERE username = %s", (username,))
        conn.execute("SELECT pg_notify(%s, %s)", (REVOKED_CHANNEL, f"user:{username}"))


def list_users(conn: psycopg.Connection) -> list[tuple[str, str, str | None, bool]]:
    """(name, role, municipality, disabled) of every user."""
    rows = conn.execute(
        "SELECT username, role, municipality, disabled FROM users ORDER BY username"
    ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]
