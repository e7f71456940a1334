"""`rinda server`, `rinda demo` and the admin commands (`users`, `devices`, `hours`)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from server.config import (
    DEFAULT_DATA_DIR,
    DEFAULT_PORT,
    DEFAULT_SESSION_IDLE,
    DEFAULT_SESSION_LIFETIME,
)


def _data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"where the database lives (default: ./{DEFAULT_DATA_DIR})",
    )


def _catalogue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalogue", type=Path, default=None, help="catalogue TOML file (default: the demo)"
    )


def register(commands: Any) -> None:
    """Add this package's subcommands to `rinda`."""
    server = commands.add_parser(
        "server",
        help="run the centre server",
        description="Flags override the settings file (--config), which overrides the defaults.",
    )
    server.add_argument(
        "--config", type=Path, metavar="FILE", help="settings file (TOML; keys as the flags)"
    )
    server.add_argument(
        "--data-dir",
        type=Path,
        help=f"where the database lives (default: ./{DEFAULT_DATA_DIR})",
    )
    server.add_argument("--catalogue", type=Path, help="catalogue TOML file (default: the demo)")
    server.add_argument("--host", help="address to listen on (default: all)")
    server.add_argument("--port", type=int, help=f"(default: {DEFAULT_PORT})")
    server.add_argument(
        "--public-url",
        metavar="URL",
        help="how phones and terminals reach this server, e.g. http://kac.example.lv:8787 "
        "(ticket QR codes point there)",
    )
    server.add_argument(
        "--no-advertise",
        dest="advertise",
        action="store_const",
        const=False,
        help="do not announce by zeroconf",
    )
    server.add_argument(
        "--advertise-on",
        action="append",
        metavar="ADDRESS",
        help="announce only on this interface address (repeatable)",
    )
    server.add_argument(
        "--retention-days",
        type=int,
        help="purge applicants' personal data this many days after closing (default: 90)",
    )
    server.add_argument(
        "--notifications",
        metavar="FILE",
        type=Path,
        help="e-mail and SMS senders for appointment messages (see docs/appointments.md)",
    )
    server.add_argument(
        "--registration-prefix",
        help="prefix of application registration numbers, e.g. KAC/2026/000123 (default: KAC)",
    )
    server.add_argument(
        "--session-idle-minutes",
        type=float,
        metavar="MINUTES",
        help="sign a person out after this long without use (default: "
        f"{DEFAULT_SESSION_IDLE.total_seconds() / 60:g})",
    )
    server.add_argument(
        "--session-lifetime-hours",
        type=float,
        metavar="HOURS",
        help="sign a person out this long after signing in, however active (default: "
        f"{DEFAULT_SESSION_LIFETIME.total_seconds() / 3600:g})",
    )
    server.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS",
        help="believe X-Forwarded-For/-Proto from this reverse proxy address or network "
        "(CIDR; repeatable; default: no proxy is trusted)",
    )
    server.add_argument(
        "--hub",
        metavar="URL",
        help="ship the event log to this network hub, e.g. https://hub.example.lv:8788",
    )
    server.add_argument(
        "--hub-token",
        metavar="TOKEN",
        help="the centre's token from `rinda hub centres add` (default: $RINDA_HUB_TOKEN)",
    )
    server.add_argument("--hub-ca", metavar="FILE", type=Path, help="CA certificate for the hub")
    server.add_argument(
        "--tls",
        action="store_const",
        const=True,
        help="serve HTTPS only, with the centre's own certificate authority (made at first start)",
    )
    server.add_argument(
        "--tls-name",
        action="append",
        metavar="NAME",
        help="a name or address the certificate carries besides this machine's own (repeatable)",
    )
    server.add_argument(
        "--backup-to", type=Path, metavar="DIR", help="make backups into DIR by itself"
    )
    server.add_argument("--backup-every-hours", type=float, metavar="HOURS", help="(default: 24)")
    server.add_argument("--backup-keep", type=int, metavar="N", help="backups kept (default: 14)")
    server.set_defaults(handler=_run_server)

    from server.backups import register_backup, register_tls
    from server.demo import register_demo

    register_demo(commands)
    register_backup(commands)
    register_tls(commands)

    users = commands.add_parser("users", help="manage clerk, manager and admin accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = users_sub.add_parser("add", help="create a user")
    _data_dir(add)
    _catalogue(add)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["clerk", "manager", "admin"])
    add.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input",
    )
    add.add_argument("--display-name", default="")
    add.add_argument("--counter", default=None, help="bind the user to this counter")
    add.add_argument("--department", default=None, help="department whose applications they handle")
    add.set_defaults(handler=_users_add)
    for action, helptext in (("disable", "stop a user signing in"), ("enable", "allow again")):
        sub = users_sub.add_parser(action, help=helptext)
        _data_dir(sub)
        sub.add_argument("name")
        sub.set_defaults(handler=_users_disable, disable=action == "disable")
    password = users_sub.add_parser("password", help="set a new password (from stdin)")
    _data_dir(password)
    password.add_argument("name")
    password.set_defaults(handler=_users_password)
    listing = users_sub.add_parser("list", help="list users")
    _data_dir(listing)
    listing.set_defaults(handler=_users_list)

    devices = commands.add_parser("devices", help="manage kiosk, display and feedback tokens")
    devices_sub = devices.add_subparsers(dest="devices_command", required=True, metavar="ACTION")
    dev_add = devices_sub.add_parser("add", help="register a device; prints its token last")
    _data_dir(dev_add)
    _catalogue(dev_add)
    dev_add.add_argument("name")
    dev_add.add_argument("--role", required=True, choices=["kiosk", "display", "feedback"])
    dev_add.add_argument("--counter", default=None, help="counter of a feedback terminal")
    dev_add.set_defaults(handler=_devices_add)
    revoke = devices_sub.add_parser("revoke", help="invalidate a device's token")
    _data_dir(revoke)
    revoke.add_argument("name")
    revoke.set_defaults(handler=_devices_revoke)
    dev_list = devices_sub.add_parser("list", help="list devices")
    _data_dir(dev_list)
    dev_list.set_defaults(handler=_devices_list)

    hours = commands.add_parser("hours", help="opening-hours exceptions (holidays, long days)")
    hours_sub = hours.add_subparsers(dest="hours_command", required=True, metavar="ACTION")
    h_add = hours_sub.add_parser("add", help="add or replace the exception for a date")
    _data_dir(h_add)
    h_add.add_argument("date", type=date.fromisoformat, help="YYYY-MM-DD")
    group = h_add.add_mutually_exclusive_group(required=True)
    group.add_argument("--closed", action="store_true", help="closed all day")
    group.add_argument("--hours", nargs="+", help="ranges such as 08:30-12:00 13:00-19:00")
    h_add.add_argument("--note", default="")
    h_add.set_defaults(handler=_hours_add)
    h_remove = hours_sub.add_parser("remove", help="remove the exception for a date")
    _data_dir(h_remove)
    h_remove.add_argument("date", type=date.fromisoformat)
    h_remove.set_defaults(handler=_hours_remove)
    h_list = hours_sub.add_parser("list", help="list exceptions")
    _data_dir(h_list)
    h_list.set_defaults(handler=_hours_list)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _admin(args: argparse.Namespace, command: Any) -> Any:
    """Run an admin command through the command line's own writer (`server.admin`)."""
    from server.admin import run_admin

    return run_admin(args.data_dir, command)


def _guard(handler: Any) -> Any:
    def wrapped(args: argparse.Namespace) -> int:
        from core.errors import RindaError

        try:
            return int(handler(args) or 0)
        except RindaError as exc:
            return _fail(exc.message)

    return wrapped


SERVER_FLAGS = (
    "data_dir",
    "catalogue",
    "host",
    "port",
    "public_url",
    "advertise",
    "advertise_on",
    "retention_days",
    "registration_prefix",
    "session_idle_minutes",
    "session_lifetime_hours",
    "trusted_proxy",
    "hub",
    "hub_token",
    "hub_ca",
    "notifications",
    "tls",
    "tls_name",
    "backup_to",
    "backup_every_hours",
    "backup_keep",
)
"""The flags of `rinda server` that are also keys of its settings file."""


def _run_server(args: argparse.Namespace) -> int:
    from core.errors import RindaError
    from core.settings_file import load_settings
    from server.runner import run
    from server.settings import ServerSettings, server_config
    from server.store.database import DataDirLocked

    flags = {name: getattr(args, name) for name in SERVER_FLAGS}
    for name in ("advertise_on", "trusted_proxy", "tls_name"):
        flags[name] = tuple(flags[name]) if flags[name] else None
    try:
        config = server_config(load_settings(args.config, ServerSettings(), flags))
    except (RindaError, ValueError) as exc:
        return _fail(str(exc))
    try:
        run(config)
    except (RindaError, DataDirLocked) as exc:
        return _fail(str(exc))
    return 0


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise SystemExit(_fail("no password on standard input"))
    return password


def _catalogue_for(args: argparse.Namespace) -> Any:
    from server.context import load_catalogue

    return load_catalogue(getattr(args, "catalogue", None))


@_guard
def _users_add(args: argparse.Namespace) -> int:
    from server.auth import Role
    from server.commands.admin import add_user, check_user_links

    check_user_links(_catalogue_for(args), args.counter, args.department)
    password = _read_password()
    _admin(
        args,
        lambda tx: add_user(
            tx,
            args.name,
            Role(args.role),
            password,
            display_name=args.display_name,
            counter_id=args.counter,
            department_id=args.department,
        ),
    )
    print(f"user {args.name} ({args.role}) added")
    return 0


@_guard
def _users_disable(args: argparse.Namespace) -> int:
    from server.commands.admin import set_user_disabled

    _admin(args, lambda tx: set_user_disabled(tx, args.name, args.disable))
    print(f"user {args.name} {'disabled' if args.disable else 'enabled'}")
    return 0


@_guard
def _users_password(args: argparse.Namespace) -> int:
    from server.commands.admin import set_user_password

    password = _read_password()
    _admin(args, lambda tx: set_user_password(tx, args.name, password))
    print(f"password of {args.name} changed; their sessions were ended")
    return 0


@_guard
def _users_list(args: argparse.Namespace) -> int:
    from server.store.credentials import users

    print(f"{'NAME':<20} {'ROLE':<8} {'COUNTER':<8} {'DEPARTMENT':<14} STATE")
    for user in _admin(args, lambda tx: users(tx.db.conn)):
        state = "disabled" if user.disabled else "active"
        print(
            f"{user.username:<20} {user.role:<8} {user.counter_id or '-':<8} "
            f"{user.department_id or '-':<14} {state}"
        )
    return 0


@_guard
def _devices_add(args: argparse.Namespace) -> int:
    from server.auth import Role
    from server.commands.admin import add_device, check_user_links

    if args.counter is not None:
        check_user_links(_catalogue_for(args), args.counter, None)
    token = _admin(args, lambda tx: add_device(tx, args.name, Role(args.role), args.counter))
    print(f"device {args.name} ({args.role}) added; its token (shown only now):")
    print(token)
    return 0


@_guard
def _devices_revoke(args: argparse.Namespace) -> int:
    from server.commands.admin import revoke_device

    _admin(args, lambda tx: revoke_device(tx, args.name))
    print(f"device {args.name} revoked")
    return 0


@_guard
def _devices_list(args: argparse.Namespace) -> int:
    from server.store.credentials import devices

    print(f"{'NAME':<20} {'ROLE':<9} {'STATE':<8} LAST SEEN")
    for device in _admin(args, lambda tx: devices(tx.db.conn)):
        state = "revoked" if device.revoked_at else "active"
        print(f"{device.name:<20} {device.role:<9} {state:<8} {device.last_seen_at or 'never'}")
    return 0


@_guard
def _hours_add(args: argparse.Namespace) -> int:
    from server.commands.admin import add_hours_exception

    _admin(
        args,
        lambda tx: add_hours_exception(tx, args.date, args.hours or [], args.closed, args.note),
    )
    what = "closed" if args.closed else " ".join(args.hours)
    print(f"{args.date}: {what} (a running server applies it within a few seconds)")
    return 0


@_guard
def _hours_remove(args: argparse.Namespace) -> int:
    from server.commands.admin import remove_hours_exception

    _admin(args, lambda tx: remove_hours_exception(tx, args.date))
    print(f"{args.date}: exception removed")
    return 0


@_guard
def _hours_list(args: argparse.Namespace) -> int:
    from server.store.hours import exceptions

    for day, ranges, note in _admin(args, lambda tx: exceptions(tx.db.conn)):
        print(f"{day}  {' '.join(ranges) if ranges else 'closed':<24} {note}")
    return 0
