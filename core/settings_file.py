"""Reading a settings file from disk (kiosk, display, feedback terminal, server), with
command-line overrides: the I/O around `core.settings`, which holds the rules; and the
flags every terminal (kiosk, feedback terminal, display) takes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

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


def update_settings_file(path: Path, values: Mapping[str, str | bool | int | Path]) -> None:
    """Set top-level keys of the settings file at `path` (created if missing), keeping
    every other line and comment; the file is replaced in one step, and checked to
    still be TOML. For commands that configure a terminal (`rinda pair`,
    `rinda printer setup`)."""
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    table_start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), None)
    top = lines if table_start is None else lines[:table_start]
    rest = [] if table_start is None else lines[table_start:]
    for key, value in values.items():
        rendered = f"{key} = {_toml_value(value)}"
        for index, line in enumerate(top):
            if line.split("=", 1)[0].strip() == key and "=" in line:
                top[index] = rendered
                break
        else:
            top.append(rendered)
    text = "\n".join([*top, *rest]) + "\n"
    parse_document(text, str(path), SettingsError)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, "utf-8")
    partial.replace(path)


def _toml_value(value: str | bool | int | Path) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def settings_problem(path: Path | None, key: str, problem: str) -> SettingsError:
    """An error about a combination of settings, naming the file (if any) and the key."""
    return SettingsError(f"{path}: {key}: {problem}" if path is not None else f"{key}: {problem}")


def check_server_link(
    path: Path | None, server_url: str | None, discover: bool, server_ca: Path | None
) -> None:
    """The rules of a terminal's link settings, for every terminal: a URL when discovery
    is off, an http(s) URL, and https only (with a readable CA file) once paired.
    Raises `SettingsError` naming the key."""
    if not discover and not server_url:
        raise settings_problem(path, "server_url", "needed when discovery is off")
    if server_url and not server_url.startswith(("http://", "https://")):
        raise settings_problem(
            path, "server_url", f"{server_url!r} must start with http:// or https://"
        )
    if server_ca is None:
        return
    if not server_ca.is_file():
        raise settings_problem(path, "server_ca", f"no file {server_ca} (run `rinda pair`)")
    if server_url and not server_url.startswith("https://"):
        raise settings_problem(
            path, "server_url", f"{server_url!r}: a paired terminal talks https:// only"
        )


def add_terminal_flags(parser: argparse.ArgumentParser, role: str) -> None:
    """The flags every terminal takes (each is also a key of its settings file)."""
    parser.add_argument("--config", type=Path, help=f"{role} settings file (TOML)")
    parser.add_argument(
        "--server", dest="server_url", help="server URL, used when discovery finds none"
    )
    parser.add_argument(
        "--no-discovery", action="store_true", help="do not look for the server by zeroconf"
    )
    parser.add_argument("--centre", help="only a server announcing this centre name")
    parser.add_argument("--token", help=f"device token from `rinda devices add NAME --role {role}`")
    parser.add_argument(
        "--server-ca", type=Path, metavar="FILE", help="the paired server's CA (TLS only)"
    )
    parser.add_argument("--windowed", action="store_true", help="a window instead of full screen")


def terminal_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The values of `add_terminal_flags`' flags, as settings (None: not given)."""
    return {
        "server_url": args.server_url,
        "discover": False if args.no_discovery else None,
        "centre": args.centre,
        "token": args.token,
        "server_ca": args.server_ca,
        "fullscreen": False if args.windowed else None,
    }


class _Terminal(Protocol):
    @property
    def token(self) -> str: ...


Terminal = TypeVar("Terminal", bound=_Terminal)


def terminal_settings(load: Callable[[], Terminal], needs_token: str) -> Terminal | None:
    """A terminal's settings from `load`; None after saying in one line on standard
    error what is wrong (a setting, or no device token), for the command to exit 2."""
    try:
        settings = load()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    if not settings.token:
        print(f"error: token: {needs_token}", file=sys.stderr)
        return None
    return settings
