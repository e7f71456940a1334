"""`rinda hub`: run the network hub, and administer its centres and users.

    rinda hub --database DSN [--host H] [--port 8788] [--tls-cert FILE --tls-key FILE]
              [--timezone Europe/Riga]
    rinda hub centres add ID --name NAME --municipality M     (prints the token last)
    rinda hub centres list | revoke ID
    rinda hub users add NAME --role analyst|admin --password-stdin [--municipality M]
    rinda hub users add NAME --role institution --institution ID --password-stdin
    rinda hub users list | disable NAME | enable NAME
    rinda hub catalogue import FILE --note N | export | versions | changes N | rollback N
                                                               (hub/catalogue_cli.py)
    rinda hub demo                                             (scripts/demo network)

The DSN may also come from the environment variable RINDA_HUB_DATABASE (which keeps
a password out of the process list).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hub.config import DATABASE_ENV, DEFAULT_PORT


def _database(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    parser.add_argument(
        "--database",
        metavar="DSN",
        default=argparse.SUPPRESS if suppress else None,
        help=f"PostgreSQL connection string (default: ${DATABASE_ENV})",
    )


def register(commands: Any) -> None:
    """Add `rinda hub` and its administration commands."""
    hub = commands.add_parser(
        "hub", help="run the network hub (PostgreSQL) or manage its centres and users"
    )
    _database(hub)
    hub.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    hub.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"(default: {DEFAULT_PORT})")
    hub.add_argument(
        "--tls-cert", metavar="FILE", type=Path, help="serve HTTPS with this certificate"
    )
    hub.add_argument("--tls-key", metavar="FILE", type=Path, help="the certificate's private key")
    hub.add_argument(
        "--timezone",
        metavar="ZONE",
        default="Europe/Riga",
        help="the network's time zone, for pages and default periods (default: Europe/Riga)",
    )
    hub.set_defaults(handler=_run_hub)
    sub = hub.add_subparsers(dest="hub_command", metavar="ACTION")

    centres = sub.add_parser("centres", help="centres that ship their events to the hub")
    centres_sub = centres.add_subparsers(dest="centres_command", required=True, metavar="ACTION")
    add = centres_sub.add_parser("add", help="register a centre; prints its token last")
    _database(add, suppress=True)
    add.add_argument("id", help="e.g. riga-centrs (lower-case letters, digits, - and _)")
    add.add_argument("--name", required=True)
    add.add_argument("--municipality", required=True)
    add.set_defaults(handler=_centres_add)
    listing = centres_sub.add_parser("list", help="list centres and their links")
    _database(listing, suppress=True)
    listing.set_defaults(handler=_centres_list)
    revoke = centres_sub.add_parser("revoke", help="invalidate a centre's token at once")
    _database(revoke, suppress=True)
    revoke.add_argument("id")
    revoke.set_defaults(handler=_centres_revoke)

    users = sub.add_parser("users", help="analysts and admins who read network figures")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    user_add = users_sub.add_parser("add", help="create a user")
    _database(user_add, suppress=True)
    user_add.add_argument("name")
    user_add.add_argument("--role", required=True, choices=["analyst", "admin", "institution"])
    user_add.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input",
    )
    user_add.add_argument(
        "--municipality", default=None, help="limit an analyst to this municipality's centres"
    )
    user_add.add_argument(
        "--institution",
        default=None,
        help="the institution (national catalogue department id) an institution user serves",
    )
    user_add.set_defaults(handler=_users_add)
    user_list = users_sub.add_parser("list", help="list users")
    _database(user_list, suppress=True)
    user_list.set_defaults(handler=_users_list)
    for action, helptext in (("disable", "stop a user signing in"), ("enable", "allow again")):
        toggle = users_sub.add_parser(action, help=helptext)
        _database(toggle, suppress=True)
        toggle.add_argument("name")
        toggle.set_defaults(handler=_users_disable, disable=action == "disable")

    from hub import catalogue_cli

    catalogue_cli.register(sub, _database, _admin)

    demo = sub.add_parser("demo", help="a private PostgreSQL, a hub and three demo centres")
    demo.add_argument("--base-dir", type=Path, default=Path("rinda-network-demo"))
    demo.add_argument("--port", type=int, default=DEFAULT_PORT, help="the hub's port")
    demo.add_argument(
        "--centre-port", type=int, default=8791, help="the first centre's port (then +1, +2)"
    )
    demo.add_argument(
        "--pace",
        type=float,
        default=1.0,
        help="scale the visitors' pauses (0.2: five times busier)",
    )
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from hub.demo import run_demo

    return run_demo(args)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _dsn(args: argparse.Namespace) -> str:
    dsn = getattr(args, "database", None) or os.environ.get(DATABASE_ENV)
    if not dsn:
        raise SystemExit(_fail(f"give --database DSN or set {DATABASE_ENV}"))
    return str(dsn)


def _admin(args: argparse.Namespace, action: Any) -> Any:
    """Run `action(conn)` on a migrated hub database; domain errors become messages."""
    import psycopg

    from core.errors import RindaError
    from hub.store.migrate import migrate

    try:
        with psycopg.connect(_dsn(args), autocommit=True) as conn:
            migrate(conn)
            return action(conn)
    except RindaError as exc:
        raise SystemExit(_fail(exc.message)) from None
    except psycopg.OperationalError as exc:
        raise SystemExit(_fail(f"cannot reach the hub database: {exc}")) from None


def _run_hub(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    import psycopg

    from hub.config import HubConfig
    from hub.runner import run

    if (args.tls_cert is None) != (args.tls_key is None):
        return _fail("--tls-cert and --tls-key go together")
    for path in (args.tls_cert, args.tls_key):
        if path is not None and not path.is_file():
            return _fail(f"no file {path}")
    try:
        ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return _fail(f"unknown time zone {args.timezone!r}")
    config = HubConfig(
        database=_dsn(args),
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        timezone=args.timezone,
    )
    try:
        run(config)
    except psycopg.OperationalError as exc:
        return _fail(f"cannot reach the hub database: {exc}")
    return 0


def _centres_add(args: argparse.Namespace) -> int:
    from hub.accounts import add_centre

    now = datetime.now(UTC)
    token = _admin(args, lambda conn: add_centre(conn, args.id, args.name, args.municipality, now))
    print(f"centre {args.id} ({args.name}, {args.municipality}) added; its token (shown only now):")
    print(token)
    return 0


def _centres_list(args: argparse.Namespace) -> int:
    from hub.accounts import list_centres

    rows = _admin(args, list_centres)
    print(f"{'ID':<20} {'MUNICIPALITY':<16} {'STATE':<8} {'ACKNOWLEDGED':>12} LAST EVENT")
    for row in rows:
        state = "revoked" if row["revoked_at"] else "active"
        last = row["last_event_at"].isoformat(timespec="seconds") if row["last_event_at"] else "-"
        print(
            f"{row['id']:<20} {row['municipality']:<16} {state:<8} "
            f"{row['acknowledged_seq']:>12} {last}"
        )
    return 0


def _centres_revoke(args: argparse.Namespace) -> int:
    from hub.accounts import revoke_centre

    now = datetime.now(UTC)
    _admin(args, lambda conn: revoke_centre(conn, args.id, now))
    print(f"centre {args.id} revoked")
    return 0


def _users_add(args: argparse.Namespace) -> int:
    from hub.accounts import HubRole, add_user

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        return _fail("no password on standard input")
    now = datetime.now(UTC)
    _admin(
        args,
        lambda conn: add_user(
            conn,
            args.name,
            HubRole(args.role),
            password,
            now,
            municipality=args.municipality,
            institution=args.institution,
        ),
    )
    scope = f", {args.municipality} only" if args.municipality else ""
    scope += f", institution {args.institution}" if args.institution else ""
    print(f"user {args.name} ({args.role}{scope}) added")
    return 0


def _users_list(args: argparse.Namespace) -> int:
    from hub.accounts import list_users

    print(f"{'NAME':<20} {'ROLE':<8} {'MUNICIPALITY':<16} STATE")
    for name, role, municipality, disabled in _admin(args, list_users):
        state = "disabled" if disabled else "active"
        print(f"{name:<20} {role:<8} {municipality or '(all)':<16} {state}")
    return 0


def _users_disable(args: argparse.Namespace) -> int:
    from hub.accounts import set_user_disabled

    _admin(args, lambda conn: set_user_disabled(conn, args.name, args.disable))
    print(f"user {args.name} {'disabled' if args.disable else 'enabled'}")
    return 0
