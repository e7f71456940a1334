"""Hall display configuration: a TOML file, overridden by command-line flags.

server_url = "http://10.0.0.2:8787"
token = "..."                      # rinda devices add hall-1 --role display
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

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.model import LANGUAGES
from core.settings_file import ConfigError, read_settings


@dataclass(frozen=True)
class DisplayConfig:
    """How one hall display runs."""

    server_url: str | None = None
    discover: bool = True
    centre: str | None = None
    token: str = ""
    languages: tuple[str, ...] = ()
    """Board and announcement languages in turn; empty: the centre's languages."""
    counters: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    recent: int = 8
    sound: bool = True
    chime: bool = True
    clips_dir: Path | None = None
    audio_player: str = ""
    """Command that plays a WAV (see core.audio); empty: the first of PLAYERS installed."""
    fullscreen: bool = True
    flash_seconds: float = 3.0
    announce_max_age_seconds: float = 60.0
    status_interval_seconds: float = 60.0
    width: int = 1920
    height: int = 1080
    screen_diagonal_inches: float = 43.0
    """The visible diagonal of the screen: with the resolution it gives millimetres per pixel."""
    viewing_distance_m: float = 3.0
    """The distance from which every text on the board must be legible."""
    language_seconds: float = 8.0
    """How long each language is shown before the board turns to the next."""


def _tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(value or ())


def load_config(path: Path | None, **overrides: Any) -> DisplayConfig:
    """The configuration from `path` (if any) with `overrides` (None values are ignored)."""
    values = read_settings(path, DisplayConfig, overrides)
    for key in ("languages", "counters", "services"):
        if key in values:
            values[key] = _tuple(values[key])
    if values.get("clips_dir"):
        values["clips_dir"] = Path(values["clips_dir"])
    elif "clips_dir" in values:
        values["clips_dir"] = None
    for key in ("server_url", "centre"):
        if key in values and not values[key]:
            values[key] = None
    config = replace(DisplayConfig(), **values)
    for language in config.languages:
        if language not in LANGUAGES:
            raise ConfigError(f"languages: {language!r} is not one of {', '.join(LANGUAGES)}")
    if not 10 <= config.screen_diagonal_inches <= 150:
        raise ConfigError("screen_diagonal_inches: between 10 and 150 inches")
    if not 0.5 <= config.viewing_distance_m <= 30:
        raise ConfigError("viewing_distance_m: between 0.5 and 30 metres")
    if not 3 <= config.language_seconds <= 120:
        raise ConfigError("language_seconds: between 3 and 120 seconds")
    if not 1 <= config.recent <= 20:
        raise ConfigError("recent: between 1 and 20 calls")
    if not config.discover and not config.server_url:
        raise ConfigError("server_url: needed when discovery is off")
    if config.clips_dir is not None and not config.clips_dir.is_dir():
        raise ConfigError(f"clips_dir: {config.clips_dir} is not a directory")
    return config
