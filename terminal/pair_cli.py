"""`rinda pair`: pair this terminal with its centre server (TLS, pinned CA, device token)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROLES = ("kiosk", "display", "feedback")


def register_pair(commands: Any) -> None:
    """Add `rinda pair`."""
    pair = commands.add_parser(
        "pair",
        help="pair this terminal with the centre server (shows a code to confirm in the console)",
        description="Pins the server's certificate authority and gets the device token, then "
        "writes server_url, token and server_ca into the terminal's settings file.",
    )
    pair.add_argument("--server", required=True, metavar="URL", help="https://ADDRESS:8787")
    pair.add_argument(
        "--config",
        required=True,
        type=Path,
        metavar="FILE",
        help="the terminal's settings file (created if missing)",
    )
    pair.add_argument(
        "--ca-file",
        type=Path,
        metavar="FILE",
        help="where to keep the server's CA (default: server-ca.pem beside --config)",
    )
    by_code = pair.add_argument_group("by code (an admin confirms it in the console)")
    by_code.add_argument("--name", help="the device's name, e.g. kiosk-entrance")
    by_code.add_argument("--role", choices=ROLES)
    by_code.add_argument("--counter", help="the counter of a feedback terminal")
    by_token = pair.add_argument_group("with a token an admin made (rinda devices add)")
    by_token.add_argument("--token")
    by_token.add_argument("--fingerprint", help="from `rinda tls fingerprint` on the server")
    pair.set_defaults(handler=_pair)


def _show_code(code: str) -> None:
    from core.pairing import spaced

    print("\n  Pairing code:\n")
    print(f"      {spaced(code)}\n")
    print("  Confirm it in the console (Admin > Terminals waiting to be paired)")
    print("  only if the console shows the same code.\n", flush=True)


def _pair(args: argparse.Namespace) -> int:
    from core.errors import SettingsError
    from core.settings_file import update_settings_file
    from terminal.client import ClientError
    from terminal.pairing import pair_by_code, pin_by_fingerprint

    server = args.server.rstrip("/")
    try:
        if args.token:
            if not args.fingerprint:
                return _fail(
                    "--token needs --fingerprint (run `rinda tls fingerprint` on the server)"
                )
            paired = pin_by_fingerprint(server, args.token, args.fingerprint)
        else:
            if not (args.name and args.role):
                return _fail("give --name and --role (or --token and --fingerprint)")
            paired = pair_by_code(server, args.name, args.role, _show_code, counter_id=args.counter)
    except ClientError as exc:
        return _fail(str(exc))
    ca_file = args.ca_file or args.config.with_name("server-ca.pem")
    try:
        ca_file.parent.mkdir(parents=True, exist_ok=True)
        ca_file.write_text(paired.ca_pem, "ascii")
        update_settings_file(
            args.config, {"server_url": server, "token": paired.token, "server_ca": ca_file}
        )
        args.config.chmod(0o600)  # it holds the device token
    except (OSError, SettingsError) as exc:
        return _fail(str(exc))
    print(f"paired as {paired.name}; {args.config} now talks to {server} over TLS only")
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
