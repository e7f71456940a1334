"""Hall display configuration: a TOML file, overridden by command-line flags.

server_url = "http://10.0.0.2:8787"
token = "..."                      # rinda pair (or rinda devices add hall-1 --role display)
server_ca = "/etc/rinda/server-ca.pem"  # written by `rinda pair`: TLS to the server only
languages = []                     # board and announcements, in turn; empty: the centre's
counters = []                      # limit to these counters (a zone); empty: all
services = []                      # limit to these services; empty: all
recent = 8                         # at most this many recent calls (fewer if they do not fit)
sound = true                       # chime and speech
clips_dir = ""                     # recorded phrases that override the synthesiser
audio_player = ""                  # e.g. "aplay -q -D plughw:1,0"; empty: sox `play`
screen_diagonal_inches = 43        # the screen's size, for text sized in millimetres
viewing_distance_m = 3             # every text is legible from here (EN 301 549, 0.7°)
language_seconds = 8               # each language stays this long before the next
fullscreen = true
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.model import LANGUAGES
from core.settings import POSITIVE, between, choices
from core.settings_file import check_server_link, load_settings, settings_problem


@dataclass(frozen=True)
class DisplayConfig:
    """How one hall display runs. Each field is a key of the file, read by its type
    (`core.settings`): numbers are numbers, booleans `true`/`false`."""

    server_url: str | None = None
    discover: bool = True
    centre: str | None = None
    token: str = ""
    server_ca: Path | None = None
    """The paired server's CA certificate (`rinda pair` writes it): TLS only, pinned."""
    languages: tuple[str, ...] = field(default=(), metadata=choices(*LANGUAGES))
    """Board and announcement languages in turn; empty: the centre's languages."""
    counters: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    recent: int = field(default=8, metadata=between(1, 20, "calls"))
    sound: bool = True
    chime: bool = True
    clips_dir: Path | None = None
    audio_player: str = ""
    """Command that plays a WAV (see terminal.audio); empty: the first of PLAYERS installed."""
    fullscreen: bool = True
    flash_seconds: float = field(default=3.0, metadata=POSITIVE)
    announce_max_age_seconds: float = field(default=60.0, metadata=POSITIVE)
    status_interval_seconds: float = field(default=60.0, metadata=POSITIVE)
    width: int = field(default=1920, metadata=POSITIVE)
    height: int = field(default=1080, metadata=POSITIVE)
    screen_diagonal_inches: float = field(default=43.0, metadata=between(10, 150, "inches"))
    """The visible diagonal of the screen: with the resolution it gives millimetres per pixel."""
    viewing_distance_m: float = field(default=3.0, metadata=between(0.5, 30, "metres"))
    """The distance from which every text on the board must be legible."""
    language_seconds: float = field(default=8.0, metadata=between(3, 120, "seconds"))
    """How long each language is shown before the board turns to the next."""


def load_config(path: Path | None, **overrides: Any) -> DisplayConfig:
    """The configuration from `path` (if any) with `overrides` (None values are ignored).
    Raises `SettingsError`: one line naming the file, the key, the value and what was
    expected."""
    config = load_settings(path, DisplayConfig(), overrides)
    check_server_link(path, config.server_url, config.discover, config.server_ca)
    if config.clips_dir is not None and not config.clips_dir.is_dir():
        raise settings_problem(path, "clips_dir", f"{config.clips_dir} is not a directory")
    return config
