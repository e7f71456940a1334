"""`rinda kiosk`: start the touchscreen kiosk."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    """Add `rinda kiosk`."""
    kiosk = commands.add_parser("kiosk", help="run the touchscreen kiosk")
    kiosk.add_argument("--config", type=Path, help="kiosk configuration file (TOML)")
    kiosk.add_argument(
        "--server", dest="server_url", help="server URL, used when discovery finds none"
    )
    kiosk.add_argument(
        "--no-discovery", action="store_true", help="do not look for the server by zeroconf"
    )
    kiosk.add_argument("--centre", help="only a server announcing this centre name")
    kiosk.add_argument("--token", help="device token from `rinda devices add NAME --role kiosk`")
    kiosk.add_argument("--printer", help="printer spec, e.g. network:10.0.0.7;profile=TM-T20II")
    kiosk.add_argument(
        "--idle", dest="idle_seconds", type=float, help="seconds before the idle warning"
    )
    kiosk.add_argument("--languages", help="languages offered, e.g. lv,ru,en")
    kiosk.add_argument("--preview-dir", help="also write a PNG of every ticket here")
    kiosk.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    kiosk.add_argument("--speech", action="store_true", default=None, help="start in speech mode")
    kiosk.add_argument(
        "--outbox", dest="outbox_dir", help="where applications or ratings wait to be sent"
    )
    kiosk.add_argument(
        "--mode",
        choices=("tickets", "feedback"),
        help="tickets (the default) or feedback: the rating terminal at a counter or exit",
    )
    kiosk.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from core.errors import SettingsError
    from kiosk.config import load_config

    try:
        config = load_config(
            args.config,
            server_url=args.server_url,
            discover=False if args.no_discovery else None,
            centre=args.centre,
            token=args.token,
            printer=args.printer,
            idle_seconds=args.idle_seconds,
            languages=args.languages,
            preview_dir=args.preview_dir,
            fullscreen=False if args.windowed else None,
            speech=args.speech,
            mode=args.mode,
            outbox_dir=args.outbox_dir,
        )
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not config.token:
        print(
            "error: token: the kiosk needs a device token (--token or token = in the config)",
            file=sys.stderr,
        )
        return 2
    # A window on a desktop screen shows the whole kiosk at half size.
    scale = 0.5 if not config.fullscreen and config.mode == "tickets" else 1.0
    width, height = config.screen_size
    from core.kivy_setup import configure_kivy

    configure_kivy(config.fullscreen, int(width * scale), int(height * scale), scale)
    if config.mode == "feedback":
        from kiosk.feedback_app import FeedbackApp

        FeedbackApp(config).run()
    else:
        from kiosk.app import KioskApp

        KioskApp(config).run()
    return 0
