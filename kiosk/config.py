"""Kiosk configuration: a TOML file, overridden by command-line flags.

server_url = "http://10.0.0.2:8787"   # used when zeroconf finds nothing
discover = true                        # look for the server with zeroconf first
centre = ""                            # only a server announcing this centre name
token = "..."                          # from `rinda pair` (or `rinda devices add`)
server_ca = "/etc/rinda/server-ca.pem"  # written by `rinda pair`: TLS only
printer = "network:10.0.0.7;profile=TM-T20II"
idle_seconds = 60                      # then warn, visibly and audibly
warning_seconds = 20                   # then clear everything and return to the start
ticket_seconds = 12                    # how long the issued ticket stays on screen
languages = ["lv", "ru", "en"]
fullscreen = true
priority = true                        # offer the priority choice
preview_dir = ""                       # also write a PNG of every ticket here
speech = false                         # start in speech mode
audio_player = ""                      # e.g. "aplay -q -D plughw:1,0"; empty: sox `play`
mode = "tickets"                       # or "feedback": the feedback terminal
question_seconds = 30                  # feedback: how long "How was your service?" stays
thanks_seconds = 5                     # feedback: how long the thanks stay
screen_diagonal_inches = 21.5          # the screen's size: text stays legible at arm's length
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.model import LANGUAGES
from core.settings import POSITIVE, between, choices
from core.settings_file import check_server_link, load_settings, settings_problem

MODES = ("tickets", "feedback")
SCREEN_SIZES = {"tickets": (1080, 1920), "feedback": (1280, 800)}
"""The size each mode is laid out for (at density 1), and its window's default size."""
LEAST_FONT_SP = 22
"""The smallest text on the kiosk and the feedback terminal (sp): the rule that keeps it
legible (`terminal.screen_scale`) sizes every other text with it."""
LEAST_CONTROL_DP = 84
"""The smallest control on the kiosk and the feedback terminal (dp: the feedback keypad's
keys): the rule that keeps it large enough for a fingertip sizes every control with it."""


@dataclass(frozen=True)
class KioskConfig:
    """How one kiosk (or feedback terminal) runs. Each field is a key of the file, read
    by its type (`core.settings`): numbers are numbers, booleans `true`/`false`."""

    server_url: str | None = None
    discover: bool = True
    centre: str | None = None
    token: str = ""
    server_ca: Path | None = None
    """The paired server's CA certificate (`rinda pair` writes it): TLS only, pinned."""
    printer: str = "dummy"
    idle_seconds: float = field(default=60.0, metadata=POSITIVE)
    warning_seconds: float = field(default=20.0, metadata=POSITIVE)
    ticket_seconds: float = field(default=12.0, metadata=POSITIVE)
    failed_ticket_seconds: float = field(default=45.0, metadata=POSITIVE)
    languages: tuple[str, ...] = field(default=LANGUAGES, metadata=choices(*LANGUAGES))
    fullscreen: bool = True
    priority: bool = True
    preview_dir: Path | None = None
    speech: bool = False
    audio_player: str = ""
    """Command that plays a WAV (the file is appended, or put where `{wav}` is); empty:
    the first of terminal.audio.PLAYERS installed."""
    status_interval_seconds: float = field(default=30.0, metadata=POSITIVE)
    width: int | None = field(default=None, metadata=POSITIVE)
    height: int | None = field(default=None, metadata=POSITIVE)
    outbox_dir: Path | None = None
    mode: str = field(default="tickets", metadata=choices(*MODES))
    question_seconds: float = field(default=30.0, metadata=POSITIVE)
    thanks_seconds: float = field(default=5.0, metadata=POSITIVE)
    screen_diagonal_inches: float = field(default=21.5, metadata=between(3, 100, "inches"))
    """The visible diagonal of the screen: full screen, it sets how large everything is
    drawn (`terminal.screen_scale`: the design filling the screen, and never text below
    the 22′ reading size at arm's length)."""

    @property
    def screen_size(self) -> tuple[int, int]:
        """The screen in pixels: a portrait kiosk, or a small landscape feedback tablet."""
        default = SCREEN_SIZES[self.mode]
        return (self.width or default[0], self.height or default[1])


def load_config(path: Path | None, **overrides: Any) -> KioskConfig:
    """The configuration from `path` (if any) with `overrides` (None values are ignored).
    Raises `SettingsError`: one line naming the file, the key, the value and what was
    expected."""
    return _checked(load_settings(path, KioskConfig(), overrides), path)


def _checked(config: KioskConfig, path: Path | None) -> KioskConfig:
    """What no single key can say alone."""
    if not config.languages:
        raise settings_problem(path, "languages", "at least one language is needed")
    check_server_link(path, config.server_url, config.discover, config.server_ca)
    from printer.errors import InvalidPrinterSpec
    from printer.spec import parse_spec

    try:
        parse_spec(config.printer)
    except InvalidPrinterSpec as exc:
        raise settings_problem(path, "printer", str(exc)) from exc
    return config
