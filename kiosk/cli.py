"""`rinda kiosk`: start the touchscreen kiosk."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.settings_file import add_terminal_flags, terminal_flags, terminal_settings


def register(commands: Any) -> None:
    """Add `rinda kiosk`."""
    kiosk = commands.add_parser("kiosk", help="run the touchscreen kiosk")
    add_terminal_flags(kiosk, "kiosk")
    kiosk.add_argument("--printer", help="printer spec, e.g. network:10.0.0.7;profile=TM-T20II")
    kiosk.add_argument(
        "--idle", dest="idle_seconds", type=float, help="seconds before the idle warning"
    )
    kiosk.add_argument("--languages", help="languages offered, e.g. lv,ru,en")
    kiosk.add_argument("--preview-dir", help="also write a PNG of every ticket here")
    kiosk.add_argument("--speech", action="store_true", default=None, help="start in speech mode")
    kiosk.add_argument(
        "--outbox", dest="outbox_dir", help="where applications or ratings wait to be sent"
    )
    kiosk.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from kiosk.config import load_config

    config = terminal_settings(
        lambda: load_config(
            args.config,
            **terminal_flags(args),
            printer=args.printer,
            idle_seconds=args.idle_seconds,
            languages=args.languages,
            preview_dir=args.preview_dir,
            speech=args.speech,
            outbox_dir=args.outbox_dir,
        ),
        "the kiosk needs a device token (--token or token = in the config)",
    )
    if config is None:
        return 2
    if config.mode == "feedback":
        print(
            f"rinda kiosk: {args.config} is a feedback terminal's settings file "
            '(mode = "feedback"): start it with `rinda feedback --config FILE`',
            file=sys.stderr,
        )
        return 2
    # A window on a desktop screen shows the whole kiosk at half size.
    scale = 0.5 if not config.fullscreen else 1.0
    width, height = config.screen_size
    from terminal.kivy_setup import configure_kivy

    configure_kivy(config.fullscreen, int(width * scale), int(height * scale), scale)
    from kiosk.app import KioskApp

    KioskApp(config).run()
    return 0
