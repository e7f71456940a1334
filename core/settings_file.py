"""Reading a settings file from disk (kiosk, display, feedback terminal, server), with
command-line overrides: the I/O around `core.settings`, which holds the rules."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from core.errors import SettingsError
from core.settings import Table, parse_document, read_settings, with_overrides

T = TypeVar("T")


def read_document(path: Path, error: type[SettingsError] = SettingsError) -> Table:
    """The TOML document at `path` as a `Table`; `error` (one line naming the file) when
    it cannot be read or is not TOML."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 text ({exc.reason})"
        raise error(f"{path}: cannot be read: {reason}") from None
    return parse_document(text, str(path), error)


def load_settings(path: Path | None, defaults: T, overrides: Mapping[str, Any]) -> T:
    """`defaults` (a settings dataclass) with the file at `path` (if any) read over them,
    then the command line's `overrides` (None values are not given). Raises
    `SettingsError` naming the file (or the command line), the key, the value and what
    was expected."""
    settings = defaults
    if path is not None:
        settings = read_settings(read_document(path), settings)
    return with_overrides(settings, overrides)


def settings_problem(path: Path | None, key: str, problem: str) -> SettingsError:
    """An error about a combination of settings, naming the file (if any) and the key."""
    return SettingsError(f"{path}: {key}: {problem}" if path is not None else f"{key}: {problem}")
