"""`rinda demo`: the whole system on embedded defaults, ready to try.

Starts the centre server with the demo catalogue, creates demo sign-ins and
device tokens, opens the centre for today whatever the clock says, and
launches the kiosk and hall-display windows beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from server.config import DEFAULT_PORT, ServerConfig

log = logging.getLogger(__name__)

DEMO_USERS = (
    ("anna", "clerk", "demo-clerk", "Anna Bērziņa", "social"),
    ("ivan", "clerk", "demo-clerk", "Ivans Petrovs", "registry"),
    ("manager", "manager", "demo-manager", "Centre manager", None),
    ("admin", "admin", "demo-admin", "Administrator", None),
)
DEMO_DEVICES = (
    ("kiosk-demo", "kiosk", None),
    ("display-demo", "display", None),
    ("feedback-demo", "feedback", "c1"),
)


@dataclass
class DemoSetup:
    """What the demo created: device tokens by name."""

    tokens: dict[str, str]


def register_demo(commands: Any) -> None:
    """Add `rinda demo`."""
    demo = commands.add_parser("demo", help="run the server, kiosk and hall display with demo data")
    demo.add_argument("--data-dir", type=Path, default=Path("rinda-demo"))
    demo.add_argument(
        "--host",
        default="0.0.0.0",
        help="address to listen on (default: all, so that phones can open ticket QR codes; "
        "127.0.0.1 keeps the demo on this machine)",
    )
    demo.add_argument("--port", type=int, default=DEFAULT_PORT)
    demo.add_argument(
        "--public-url",
        default="",
        metavar="URL",
        help="how phones reach the demo (default: this machine's address on its network)",
    )
    demo.add_argument("--no-windows", action="store_true", help="server only; no kiosk or display")
    demo.set_defaults(handler=_run_demo)


def prepare(data_dir: Path, now: datetime) -> DemoSetup:
    """Create demo users, fresh device tokens and today's all-day opening (idempotent),
    by the admin commands, as the system (`system:demo`)."""
    from core.clock import ManualClock
    from server.actor import Actor, ActorKind
    from server.admin import run_admin
    from server.auth import Role
    from server.commands.admin import add_device, add_hours_exception, add_user, revoke_device
    from server.context import load_catalogue
    from server.store.credentials import device_state, user_exists
    from server.store.writer import Transaction

    catalogue = load_catalogue(None)
    today = now.astimezone(catalogue.hours.zone).date()
    departments = {d.id for d in catalogue.departments}

    def setup(tx: Transaction) -> dict[str, str]:
        for name, role, password, display, department in DEMO_USERS:
            if not user_exists(tx.db.conn, name):
                add_user(
                    tx,
                    name,
                    Role(role),
                    password,
                    display_name=display,
                    department_id=department if department in departments else None,
                )
        tokens = {}
        for name, role, counter in DEMO_DEVICES:
            _, live = device_state(tx.db.conn, name)
            if live:
                revoke_device(tx, name)
            tokens[name] = add_device(tx, name, Role(role), counter)
        add_hours_exception(tx, today, ["00:00-24:00"], False, "demo: open all day")
        return tokens

    demo = Actor("demo", kind=ActorKind.SYSTEM)
    tokens = run_admin(data_dir, setup, actor=demo, clock=ManualClock(now))
    (data_dir / "demo-devices.json").write_text(json.dumps(tokens, indent=2))
    return DemoSetup(tokens)


def _terminal_commands(url: str, setup: DemoSetup, data_dir: Path) -> list[list[str]]:
    import importlib.util

    commands = []
    rinda = [sys.executable, "-m", "rinda"]
    if importlib.util.find_spec("kiosk.app") is not None:
        commands.append(
            [
                *rinda,
                "kiosk",
                "--server",
                url,
                "--token",
                setup.tokens["kiosk-demo"],
                "--printer",
                f"file:{data_dir / 'printed-tickets.bin'}",
                "--preview-dir",
                str(data_dir / "ticket-previews"),
                "--windowed",
            ]
        )
    if importlib.util.find_spec("feedback.app") is not None:
        commands.append(
            [
                *rinda,
                "feedback",
                "--server",
                url,
                "--token",
                setup.tokens["feedback-demo"],
                "--outbox",
                str(data_dir / "feedback-outbox"),
                "--windowed",
            ]
        )
    if importlib.util.find_spec("display.app") is not None:
        commands.append(
            [
                *rinda,
                "display",
                "--server",
                url,
                "--token",
                setup.tokens["display-demo"],
                "--windowed",
            ]
        )
    return commands


def _run_demo(args: argparse.Namespace) -> int:
    from core.errors import RindaError
    from server.public_url import lan_address, normalize_public_url, public_url_for
    from server.runner import serve

    now = datetime.now(UTC)
    try:
        public_url = normalize_public_url(
            args.public_url or public_url_for(args.host, args.port, lan_address())
        )
        setup = prepare(args.data_dir, now)
    except (ValueError, RindaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # The terminals run on this machine: they reach the server on loopback.
    url = public_url_for(
        "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host, args.port, None
    )
    config = ServerConfig(
        data_dir=args.data_dir,
        host=args.host,
        port=args.port,
        advertise=False,
        public_url=public_url,
    )
    children: list[subprocess.Popen[bytes]] = []
    has_screen = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))

    def started(ctx: Any) -> None:
        windows = has_screen and not args.no_windows
        print(_banner(url, public_url, setup, args.data_dir, windows), flush=True)
        if args.no_windows or not has_screen:
            return
        for command in _terminal_commands(url, setup, args.data_dir):
            children.append(subprocess.Popen(command))

    try:
        asyncio.run(serve(config, ready=started, settle_gc=True))
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=10)
    return 0


def _banner(url: str, public_url: str, setup: DemoSetup, data_dir: Path, windows: bool) -> str:
    from server.public_url import is_loopback

    lines = [
        "",
        "Rinda demo is running (Ctrl+C stops it).",
        f"  Clerk console:    {url}/console   (anna / demo-clerk, ivan / demo-clerk)",
        f"  Manager view:     {url}/manager   (manager / demo-manager)",
        f"  Admin pages:      {url}/admin     (admin / demo-admin)",
        f"  REST API docs:    {url}/api/v1/docs",
        f"  Ticket QR codes:  {public_url}/t/…",
        f"  Data directory:   {data_dir.resolve()}",
        f"  Device tokens:    {data_dir.resolve() / 'demo-devices.json'}",
        "  The centre is open all day today for the demo.",
    ]
    if is_loopback(public_url):
        lines.append("  Phones cannot open the ticket QR codes: the demo is on this machine only.")
    else:
        lines.append(
            "  Phones on this network can open the ticket QR codes. The demo's passwords are"
        )
        lines.append(
            "  public: run it only on a network you trust (--host 127.0.0.1 to keep it here)."
        )
    if windows:
        lines.append("  Kiosk, hall display and counter 1's feedback terminal windows are opening.")
    else:
        lines.append("  No screen found (DISPLAY unset): kiosk and display windows not opened.")
    return "\n".join(lines) + "\n"
