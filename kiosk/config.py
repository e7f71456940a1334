"""Kiosk configuration: a TOML file, overridden by command-line flags.

server_url = "http://10.0.0.2:8787"   # used when zeroconf finds nothing
discover = true                        # look for the server with zeroconf first
centre = ""                            # only a server announcing this centre name
token = "..."                          # from `rinda devices add NAME --role kiosk`
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
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.model import LANGUAGES
from core.settings_file import ConfigError, read_settings

MODES = ("tickets", "feedback")
SCREEN_SIZES = {"tickets": (1080, 1920), "feedback": (1280, 800)}


@dataclass(frozen=True)
class KioskConfig:
    """How one kiosk runs."""

    server_url: str | None = None
    discover: bool = True
    centre: str | None = None
    token: str = ""
    printer: str = "dummy"
    idle_seconds: float = 60.0
    warning_seconds: float = 20.0
    ticket_seconds: float = 12.0
    failed_ticket_seconds: float = 45.0
    languages: tuple[str, ...] = LANGUAGES
    fullscreen: bool = True
    priority: bool = True
    preview_dir: Path | None = None
    speech: bool = False
    audio_player: str = ""
    """Command that plays a WAV (the file is appended, or put where `{wav}` is); empty:
    the first of core.audio.PLAYERS installed."""
    status_interval_seconds: float = 30.0
    width: int | None = None
    height: int | None = None
    outbox_dir: Path | None = None
    mode: str = "tickets"
    question_seconds: float = 30.0
    thanks_seconds: float = 5.0

    @property
    def screen_size(self) -> tuple[int, int]:
        """The screen in pixels: a portrait kiosk, or a small landscape feedback tablet."""
        default = SCREEN_SIZES[self.mode]
        return (self.width or default[0], self.height or default[1])


def load_config(path: Path | None, **overrides: Any) -> KioskConfig:
    """The configuration from `path` (if any) with `overrides` (None values are ignored)."""
    values = read_settings(path, KioskConfig, overrides)
    return _checked(replace(KioskConfig(), **_coerce(values)))


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    result = dict(values)
    for key in ("preview_dir", "outbox_dir"):
        if result.get(key):
            result[key] = Path(result[key])
        elif key in result:
            result[key] = None
    if "languages" in result:
        languages = result["languages"]
        if isinstance(languages, str):
            languages = [part.strip() for part in languages.split(",") if part.strip()]
        result["languages"] = tuple(languages)
    for key in ("server_url", "centre"):
        if key in result and not result[key]:
            result[key] = None
    return result


def _checked(config: KioskConfig) -> KioskConfig:
    for language in config.languages:
        if language not in LANGUAGES:
            raise ConfigError(f"languages: {language!r} is not one of {', '.join(LANGUAGES)}")
    if not config.languages:
        raise ConfigError("languages: at least one language is needed")
    if config.mode not in MODES:
        raise ConfigError(f"mode: {config.mode!r} is not one of {', '.join(MODES)}")
    for key in (
        "idle_seconds",
        "warning_seconds",
        "ticket_seconds",
        "question_seconds",
        "thanks_seconds",
    ):
        if getattr(config, key) <= 0:
            raise ConfigError(f"{key}: must be positive")
    if not config.discover and not config.server_url:
        raise ConfigError("server_url: needed when discovery is off")
    if config.server_url and not config.server_url.startswith(("http://", "https://")):
        raise ConfigError(f"server_url: {config.server_url!r} must start with http:// or https://")
    from printer.errors import InvalidPrinterSpec
    from printer.spec import parse_spec

    try:
        parse_spec(config.printer)
    except InvalidPrinterSpec as exc:
        raise ConfigError(f"printer: {exc}") from exc
    return config
