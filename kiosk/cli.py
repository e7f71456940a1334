"""`rinda kiosk`: start the touchscreen kiosk."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, Any

from core.settings_file import add_terminal_flags, terminal_flags, terminal_settings

if TYPE_CHECKING:
    from kiosk.config import KioskConfig

log = logging.getLogger(__name__)


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
    kiosk.add_argument(
        "--screen-inches",
        dest="screen_diagonal_inches",
        type=float,
        help="the screen's diagonal in inches (full screen: sizes the text)",
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
            screen_diagonal_inches=args.screen_diagonal_inches,
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
    configure_window(config)
    from kiosk.app import KioskApp

    KioskApp(config).run()
    return 0


def configure_window(config: KioskConfig) -> None:
    """Size Kivy's window for the kiosk or the feedback terminal (`config.mode`): full
    screen, the design scaled to the screen it starts on, text never below the legible
    size for the screen's diagonal (`terminal.screen_scale`); in a window on a desktop,
    the kiosk at half size."""
    from kiosk.config import LEAST_CONTROL_DP, LEAST_FONT_SP, SCREEN_SIZES
    from terminal.kivy_setup import configure_kivy, screen_bounds
    from terminal.screen_scale import DesignSize, Scale, scale

    width, height = config.screen_size
    drawn = Scale(0.5 if config.mode == "tickets" else 1.0, 1.0)
    bounds = screen_bounds() if config.fullscreen else None
    if bounds is not None:
        design = DesignSize(*SCREEN_SIZES[config.mode])
        inches = config.screen_diagonal_inches
        drawn = scale(bounds.width, bounds.height, design, inches, LEAST_FONT_SP, LEAST_CONTROL_DP)
        log.info(
            "%d x %d, %g inches: drawn at density %.2f, font scale %.2f",
            *(bounds.width, bounds.height, inches, drawn.density, drawn.fontscale),
        )
    elif config.fullscreen:
        drawn = Scale(1.0, 1.0)
    size = (int(width * drawn.density), int(height * drawn.density))
    configure_kivy(config.fullscreen, *size, drawn.density, drawn.fontscale)
