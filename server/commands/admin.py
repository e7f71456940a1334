"""Admin commands: users, devices and opening-hours exceptions.

Each is a function of a writer `Transaction`, run by the server's writer for the admin
pages (`/api/v1/admin/...`) and by the command line's own writer for `rinda
users|devices|hours` (`server.admin.run_admin`). Each change logs an event
(`core.events.ADMIN_EVENTS`) naming what changed, with the transaction's actor;
never a password, a hash or a token.

A change to credentials takes effect at once in a running server (requests check the
store; open event streams are checked again by `server.credential_watch`); a change to
the opening hours as soon as the server sees its event (`Engine` re-reads its hours).
"""

from __future__ import annotations

from datetime import date

from core import events as ev
from core.catalogue import Catalogue
from core.days import parse_day
from core.errors import InvalidInput, NotFound
from core.free_text import DISPLAY_NAME, HOURS_NOTE, clean_text
from core.hours import parse_ranges
from server.auth import (
    DEVICE_ROLES,
    USER_ROLES,
    Role,
    check_name,
    check_password_rules,
    hash_password,
    new_token,
    token_digest,
)
from server.store import credentials, hours
from server.store.writer import Transaction


def check_user_links(
    catalogue: Catalogue, counter_id: str | None, department_id: str | None
) -> None:
    """A user's (or feedback terminal's) counter and department must exist in the
    catalogue: `NotFound` otherwise."""
    if counter_id is not None:
        catalogue.counter(counter_id)
    if department_id is not None:
        catalogue.department(department_id)


# -- users -------------------------------------------------------------------------


def add_user(
    tx: Transaction,
    username: str,
    role: Role,
    password: str,
    *,
    display_name: str = "",
    counter_id: str | None = None,
    department_id: str | None = None,
) -> None:
    """Create a user (clerk, manager or admin); logs `user.added`."""
    if role not in USER_ROLES:
        raise InvalidInput(
            f"{role.value} is a device role; use a device token.", {"role": "device"}
        )
    check_name(username, "username")
    check_password_rules(password)
    display_name = clean_text(display_name, DISPLAY_NAME, "display_name")
    conn = tx.db.conn
    if credentials.user_exists(conn, username):
        raise InvalidInput(f"A user named {username!r} already exists.", {"username": "taken"})
    credentials.insert_user(
        conn,
        username,
        role.value,
        hash_password(password),
        display_name,
        counter_id,
        department_id,
        tx.now,
    )
    tx.emit(ev.user_added_event(username, role.value, counter_id, department_id))


def set_user_disabled(tx: Transaction, username: str, disabled: bool) -> None:
    """Disable (or re-enable) a user; a disabled user's sessions stop working at once.
    Logs `user.disabled` or `user.enabled`."""
    conn = tx.db.conn
    if not credentials.set_user_disabled(conn, username, disabled):
        raise NotFound("user", username)
    if disabled:
        credentials.end_sessions_of(conn, username)
    tx.emit(ev.user_event(ev.USER_DISABLED if disabled else ev.USER_ENABLED, username))


def set_user_password(tx: Transaction, username: str, password: str) -> None:
    """Replace a user's password and end their sessions; logs `user.password_changed`."""
    check_password_rules(password)
    conn = tx.db.conn
    if not credentials.set_password_hash(conn, username, hash_password(password)):
        raise NotFound("user", username)
    credentials.end_sessions_of(conn, username)
    tx.emit(ev.user_event(ev.USER_PASSWORD_CHANGED, username))


# -- devices -----------------------------------------------------------------------


def add_device(tx: Transaction, name: str, role: Role, counter_id: str | None = None) -> str:
    """Register a device (a revoked one's name may be used again); returns its token,
    shown once and stored only as a digest. Logs `device.added` (without the token)."""
    if role not in DEVICE_ROLES:
        raise InvalidInput(f"{role.value} is not a device role.", {"role": "not_device"})
    check_name(name, "name")
    conn = tx.db.conn
    _, live = credentials.device_state(conn, name)
    if live:
        raise InvalidInput(f"A device named {name!r} already exists.", {"name": "taken"})
    token = new_token()
    credentials.replace_device(conn, name, role.value, token_digest(token), counter_id, tx.now)
    tx.emit(ev.device_added_event(name, role.value, counter_id))
    return token


def revoke_device(tx: Transaction, name: str) -> None:
    """Make a device's token useless at once; logs `device.revoked`."""
    if not credentials.revoke_device(tx.db.conn, name, tx.now):
        raise NotFound("device", name)
    tx.emit(ev.device_revoked_event(name))


# -- opening hours -----------------------------------------------------------------


def add_hours_exception(
    tx: Transaction, day: date, ranges: list[str], closed: bool, note: str
) -> None:
    """Add or replace a dated exception (a holiday, or different hours that day): give
    either the day's ranges (`08:30-12:00`) or `closed`. Logs `hours.exception_added`."""
    if closed == bool(ranges):
        raise InvalidInput(
            "Give either the day's hours or 'closed', not both and not neither.",
            {"hours": "hours_or_closed"},
        )
    try:
        parsed = parse_ranges(ranges) if ranges else ()
    except ValueError as exc:
        raise InvalidInput(str(exc), {"hours": "invalid"}) from None
    day = parse_day(day, "date")
    note = clean_text(note, HOURS_NOTE, "note")
    hours.put_exception(tx.db.conn, day, parsed, note, tx.actor, tx.now)
    tx.emit(ev.hours_added_event(day, hours.range_texts(parsed), closed, note))


def remove_hours_exception(tx: Transaction, day: date) -> None:
    """Remove a dated exception; logs `hours.exception_removed`."""
    if not hours.delete_exception(tx.db.conn, day):
        raise NotFound("hours_exception", day.isoformat())
    tx.emit(ev.hours_removed_event(day))
