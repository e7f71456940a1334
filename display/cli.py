"""`rinda display`: start a hall display."""

from __future__ import annotations

import argparse
from typing import Any

from core.settings_file import add_terminal_flags, terminal_flags, terminal_settings


def register(commands: Any) -> None:
    """Add `rinda display`."""
    display = commands.add_parser("display", help="run a hall display (calls, chime and speech)")
    add_terminal_flags(display, "display")
    display.add_argument("--languages", help="board and announcement languages, e.g. lv,ru")
    display.add_argument("--counters", help="show only these counters, e.g. c1,c2 (a zone)")
    display.add_argument("--services", help="show only these services")
    display.add_argument("--clips-dir", help="recorded phrases that override the synthesiser")
    display.add_argument("--no-sound", action="store_true", help="no chime, no speech")
    display.add_argument(
        "--screen-inches", type=float, help="the screen's diagonal in inches (sizes the text)"
    )
    display.add_argument(
        "--viewing-distance", type=float, help="metres from which every text must be legible"
    )
    display.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from display.config import load_config

    config = terminal_settings(
        lambda: load_config(
            args.config,
            **terminal_flags(args),
            languages=args.languages,
            counters=args.counters,
            services=args.services,
            clips_dir=args.clips_dir,
            sound=False if args.no_sound else None,
            screen_diagonal_inches=args.screen_inches,
            viewing_distance_m=args.viewing_distance,
        ),
        "the display needs a device token",
    )
    if config is None:
        return 2
    from terminal.kivy_setup import configure_kivy

    scale = 0.5 if not config.fullscreen else 1.0
    configure_kivy(config.fullscreen, int(config.width * scale), int(config.height * scale), scale)
    from display.app import DisplayApp

    DisplayApp(config).run()
    return 0
