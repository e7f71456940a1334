"""`rinda feedback`: start the feedback terminal (five faces at a counter or by the exit)."""

from __future__ import annotations

import argparse
from typing import Any

from core.settings_file import add_terminal_flags, terminal_flags, terminal_settings


def register(commands: Any) -> None:
    """Add `rinda feedback`."""
    feedback = commands.add_parser(
        "feedback", help="run the feedback terminal (ratings at a counter or by the exit)"
    )
    add_terminal_flags(feedback, "feedback")
    feedback.add_argument("--languages", help="languages offered, e.g. lv,ru,en")
    feedback.add_argument(
        "--speech", action="store_true", default=None, help="start in speech mode"
    )
    feedback.add_argument(
        "--screen-inches",
        dest="screen_diagonal_inches",
        type=float,
        help="the screen's diagonal in inches (full screen: sizes the text)",
    )
    feedback.add_argument(
        "--outbox", dest="outbox_dir", help="where ratings wait to be sent when the server is away"
    )
    feedback.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from kiosk.config import load_config

    config = terminal_settings(
        lambda: load_config(
            args.config,
            **terminal_flags(args),
            languages=args.languages,
            speech=args.speech,
            mode="feedback",
            outbox_dir=args.outbox_dir,
            screen_diagonal_inches=args.screen_diagonal_inches,
        ),
        "the feedback terminal needs a device token (--token or token = in the config)",
    )
    if config is None:
        return 2
    from kiosk.cli import configure_window

    configure_window(config)
    from feedback.app import FeedbackApp

    FeedbackApp(config).run()
    return 0
