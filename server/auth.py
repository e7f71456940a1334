"""Users, roles, passwords and device tokens (sessions are in `server.sessions`).

Passwords are stored as scrypt hashes; tokens (sessions and devices) only as
SHA-256 digests, so a copy of the database reveals neither. Each role holds a
fixed set of permissions: a display token can read, never issue or call.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.errors import Forbidden, InvalidInput, NotAuthenticated
from server.store.credentials import password_row

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 8


class Role(StrEnum):
    """Who someone (or something) is to the system."""

    CLERK = "clerk"
    MANAGER = "manager"
    ADMIN = "admin"
    KIOSK = "kiosk"
    DISPLAY = "display"
    FEEDBACK = "feedback"

    @property
    def is_device(self) -> bool:
        """Devices hold tokens issued by an admin; people log in."""
        return self in DEVICE_ROLES


USER_ROLES = frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})
DEVICE_ROLES = frozenset({Role.KIOSK, Role.DISPLAY, Role.FEEDBACK})


class Permission(StrEnum):
    """What a role may do."""

    READ = "read"
    """Services, counters, queue snapshot, tickets, the event stream."""
    ISSUE = "issue"
    REPORT_PRINT = "report_print"
    DEVICE_STATUS = "device_status"
    OPERATE = "operate"
    """Call and serve tickets, open/pause/close a counter (one's own)."""
    OPERATE_ANY = "operate_any"
    MANAGE = "manage"
    """Live overview, statistics, reports, display ticker."""
    ADMIN = "admin"
    FEEDBACK = "feedback"
    LODGE = "lodge_application"
    BACK_OFFICE = "back_office"


DEVICE_PERMISSIONS = frozenset(
    {Permission.REPORT_PRINT, Permission.DEVICE_STATUS, Permission.FEEDBACK}
)
"""What only a terminal does: report its printing and its health, take a visitor's rating.
No person holds these, not even an admin: a person's word is not a device's, and a
rating typed by staff would not be the visitor's."""

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.KIOSK: frozenset(
        {
            Permission.READ,
            Permission.ISSUE,
            Permission.REPORT_PRINT,
            Permission.DEVICE_STATUS,
            Permission.LODGE,
        }
    ),
    Role.DISPLAY: frozenset({Permission.READ, Permission.DEVICE_STATUS}),
    Role.FEEDBACK: frozenset({Permission.READ, Permission.DEVICE_STATUS, Permission.FEEDBACK}),
    Role.CLERK: frozenset(
        {
            Permission.READ,
            Permission.ISSUE,
            Permission.OPERATE,
            Permission.BACK_OFFICE,
            Permission.LODGE,
        }
    ),
    Role.MANAGER: frozenset(
        {
            Permission.READ,
            Permission.ISSUE,
            Permission.OPERATE,
            Permission.OPERATE_ANY,
            Permission.MANAGE,
            Permission.BACK_OFFICE,
            Permission.LODGE,
        }
    ),
    Role.ADMIN: frozenset(Permission) - DEVICE_PERMISSIONS,
}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of a request."""

    name: str
    role: Role
    counter_id: str | None = None
    department_id: str | None = None
    display_name: str = ""
    csrf_token: str | None = None
    via_cookie: bool = False
    credential: str = ""
    """The digest of the token that authenticated the caller (session or device)."""
    session_seen_at: datetime | None = None
    """When the session was last noted in use; None for a device."""

    @property
    def kind(self) -> str:
        """`device` or `user`."""
        return "device" if self.role.is_device else "user"

    def can(self, permission: Permission) -> bool:
        """Whether the role holds `permission`."""
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def can_operate(self) -> bool:
        """Whether the user works at counters (console link)."""
        return self.can(Permission.OPERATE)

    @property
    def can_manage(self) -> bool:
        """Whether the user sees the manager view."""
        return self.can(Permission.MANAGE)

    @property
    def can_admin(self) -> bool:
        """Whether the user administers users, devices and hours."""
        return self.can(Permission.ADMIN)

    def require(self, permission: Permission) -> None:
        """Raise `Forbidden` unless the role holds `permission`."""
        if not self.can(permission):
            raise Forbidden(f"A {self.role.value} may not do this ({permission.value}).")


# -- secrets -------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An scrypt hash with a random salt: `scrypt$N$r$p$salt$hash`."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a stored hash (constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate, _unb64(digest))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_token() -> str:
    """A fresh bearer token."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


# -- rules of names and passwords --------------------------------------------------


def check_password_rules(password: str) -> None:
    """Refuse passwords too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
            {"password": "too_short"},
        )


def check_name(name: str, field: str) -> None:
    """User and device names: 1-64 letters, digits, '.', '-', '_'."""
    if not (1 <= len(name) <= 64) or not all(ch.isalnum() or ch in ".-_@" for ch in name):
        raise InvalidInput(
            f"{field} must be 1-64 letters, digits, '.', '-', '_' or '@'.", {field: "invalid"}
        )


@dataclass(frozen=True)
class Credentials:
    """A user whose password was checked."""

    username: str
    role: Role
    counter_id: str | None
    department_id: str | None
    display_name: str


def check_credentials(conn: sqlite3.Connection, username: str, password: str) -> Credentials:
    """Verify a password (slow on purpose: run it off the writer and the event loop)."""
    row = password_row(conn, username)
    if row is None:
        # Spend the same time as a real check, so timing does not reveal user names.
        verify_password(password, _TIMING_HASH)
        raise NotAuthenticated("Wrong user name or password.")
    role, stored, bound_counter, department, display_name, disabled = row
    if not verify_password(password, stored) or disabled:
        raise NotAuthenticated("Wrong user name or password.")
    return Credentials(username, Role(role), bound_counter, department, display_name or username)


_TIMING_HASH = hash_password("timing-equaliser")
