"""Reading a terminal's TOML settings file with command-line overrides (kiosk, display)."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """The configuration file or a flag is wrong; the message names the setting."""


def read_settings(
    path: Path | None, settings_class: type, overrides: dict[str, Any]
) -> dict[str, Any]:
    """The settings in `path` (if any; unknown keys refused) updated with the
    overrides that are not None."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        known = {f.name for f in fields(settings_class)}
        for key, value in data.items():
            if key not in known:
                raise ConfigError(f"{path}: unknown setting {key!r}")
            values[key] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    return values
