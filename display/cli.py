"""`rinda display`: start a hall display."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    """Add `rinda display`."""
    display = commands.add_parser("display", help="run a hall display (calls, chime and speech)")
    display.add_argument("--config", type=Path, help="display configuration file (TOML)")
    display.add_argument("--server", dest="server_url", help="server URL when discovery finds none")
    display.add_argument("--no-discovery", action="store_true", help="do not look for the server")
    display.add_argument("--centre", help="only a server announcing this centre name")
    display.add_argument(
        "--token", help="device token from `rinda devices add NAME --role display`"
    )
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
    display.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    display.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from core.errors import SettingsError
    from display.config import load_config

    try:
        config = load_config(
            args.config,
            server_url=args.server_url,
            discover=False if args.no_discovery else None,
            centre=args.centre,
            token=args.token,
            languages=args.languages,
            counters=args.counters,
            services=args.services,
            clips_dir=args.clips_dir,
            sound=False if args.no_sound else None,
            screen_diagonal_inches=args.screen_inches,
            viewing_distance_m=args.viewing_distance,
            fullscreen=False if args.windowed else None,
        )
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not config.token:
        print("error: token: the display needs a device token", file=sys.stderr)
        return 2
    from core.kivy_setup import configure_kivy

    scale = 0.5 if not config.fullscreen else 1.0
    configure_kivy(config.fullscreen, int(config.width * scale), int(config.height * scale), scale)
    from display.app import DisplayApp

    DisplayApp(config).run()
    return 0
