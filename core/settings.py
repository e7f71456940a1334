"""Reading settings from parsed TOML: one standard for every file Rinda reads.

The catalogue (with its application types), the kiosk, display and feedback terminal
settings, the server's settings and simulation scenarios are all TOML, and all are
read here, by the same rules:

- a value must already have the type asked for: TOML's own types, no guessing
  (`fullscreen = "no"` is text, not a boolean, and is refused; `idle_seconds =
  "sixty"` is text, not a number);
- an unknown key is refused (a misspelt setting would otherwise be ignored);
- every error is one line naming the file, the key (with its path in the file), the
  value found and what was expected:
  `kiosk.toml: idle_seconds: must be a number, got 'sixty'`.

`Table` reads one table of a document with typed getters; `read_settings` fills a
settings dataclass from a table by the types (and `metadata`) of its fields.
Pure: the file is read by `core.settings_file`.
"""

from __future__ import annotations

import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, Field, fields, is_dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from core.errors import SettingsError
from core.model import EMPTY_TEXT, LANGUAGES, Localized

T = TypeVar("T")
ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
"""What an id in a settings file may contain."""
COMMAND_LINE = "command line"
"""Where a value given by a flag comes from (named in its errors)."""


class Table:
    """A table of a parsed TOML document, with where it is: the file (`source`) and the
    path of keys inside it. Every getter raises `error` (a `SettingsError`) naming
    the file, the key, the value found and what was expected."""

    def __init__(
        self,
        data: Any,
        path: str = "",
        *,
        source: str = "",
        error: type[SettingsError] = SettingsError,
    ) -> None:
        self.source = source
        self.path = path
        self.error = error
        if not isinstance(data, dict):
            raise self._error(path, f"must be a table, got {_shown(data)}")
        self.data: dict[str, Any] = data

    # -- where and what went wrong ------------------------------------------------

    def where(self, key: str) -> str:
        """The key's path inside the file: `services[2].prefix`."""
        return f"{self.path}.{key}" if self.path else key

    def _error(self, where: str, problem: str) -> SettingsError:
        place = ": ".join(part for part in (self.source, where) if part)
        return self.error(f"{place}: {problem}" if place else problem)

    def fail(self, key: str, problem: str) -> SettingsError:
        """The error for `key`: `<file>: <path>.<key>: <problem>`."""
        return self._error(self.where(key), problem)

    def has(self, key: str) -> bool:
        return key in self.data

    def reject_unknown(self, allowed: set[str] | frozenset[str]) -> None:
        """Refuse a key that is not in `allowed` (a misspelt one would be ignored)."""
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.fail(unknown[0], "is not a known field")

    def _get(self, key: str, default: Any) -> Any:
        if key not in self.data:
            if default is MISSING:
                raise self.fail(key, "is required")
            return default
        return self.data[key]

    # -- nested tables -------------------------------------------------------------

    def child(self, key: str) -> Table:
        """The table under `key` (required)."""
        if key not in self.data:
            raise self.fail(key, "is required")
        return Table(self.data[key], self.where(key), source=self.source, error=self.error)

    def optional_child(self, key: str) -> Table:
        """The table under `key`, or an empty one when it is not given."""
        data = self.data.get(key, {})
        return Table(data, self.where(key), source=self.source, error=self.error)

    def children(self, key: str, *, required: bool = True) -> list[Table]:
        """The array of tables under `key` (`[[key]]`)."""
        if key not in self.data:
            if required:
                raise self.fail(key, "is required")
            return []
        items = self.data[key]
        if not isinstance(items, list):
            raise self.fail(key, f"must be a list of tables, got {_shown(items)}")
        return [
            Table(item, f"{self.where(key)}[{index}]", source=self.source, error=self.error)
            for index, item in enumerate(items)
        ]

    # -- values --------------------------------------------------------------------

    def text(self, key: str, *, default: Any = MISSING, max_length: int = 2000) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, got {_shown(value)}")
        if len(value) > max_length:
            raise self.fail(key, f"is longer than {max_length} characters")
        return value

    def ident(self, key: str) -> str:
        """An id: lowercase Latin letters, digits, '-' and '_' (1-64 of them)."""
        value = self.text(key, max_length=64)
        if not value or not set(value) <= ID_CHARS:
            raise self.fail(key, f"must be lowercase letters, digits, '-' or '_', got {value!r}")
        return value

    def boolean(self, key: str, *, default: Any = MISSING) -> bool:
        """`true` or `false` (a TOML boolean; text such as "no" is refused)."""
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {_shown(value)}")
        return value

    def integer(self, key: str, *, default: Any = MISSING, minimum: int | None = 0) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, got {_shown(value)}")
        if minimum is not None and value < minimum:
            raise self.fail(key, f"must be at least {minimum}, got {value}")
        return value

    def number(
        self,
        key: str,
        *,
        default: Any = MISSING,
        minimum: float | None = None,
        positive: bool = False,
    ) -> float:
        """A number (whole or not)."""
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(key, f"must be a number, got {_shown(value)}")
        if positive and value <= 0:
            raise self.fail(key, f"must be positive, got {value!r}")
        if minimum is not None and value < minimum:
            raise self.fail(key, f"must be at least {minimum:g}, got {value!r}")
        return float(value)

    def day(self, key: str) -> date:
        """A TOML date, such as `2026-11-18` (unquoted)."""
        value = self._get(key, MISSING)
        if not isinstance(value, date):
            raise self.fail(key, f"must be a date like 2026-11-18, got {_shown(value)}")
        return value

    def one_of(self, key: str, choices: Sequence[str], *, default: Any = MISSING) -> str:
        value = self.text(key, default=default)
        if value not in choices:
            raise self.fail(key, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def string_list(self, key: str, *, default: Sequence[str] = ()) -> tuple[str, ...]:
        value = self._get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"must be a list of text values, got {_shown(value)}")
        return tuple(value)

    def localized(self, key: str, *, required: bool = True) -> Localized:
        """A text in every language: `{lv = "…", ru = "…", en = "…"}` (each one required
        when the text is)."""
        if key not in self.data:
            if required:
                raise self.fail(key, "is required (a table with lv, ru and en)")
            return EMPTY_TEXT
        value = self.data[key]
        if not isinstance(value, dict):
            raise self.fail(
                key,
                f'must give each language: {{lv = "…", ru = "…", en = "…"}}, got {_shown(value)}',
            )
        node = self.child(key)
        unknown = sorted(set(node.data) - set(LANGUAGES))
        if unknown:
            raise node.fail(unknown[0], f"is not a language (use {', '.join(LANGUAGES)})")
        default: Any = MISSING if required else ""
        return Localized(**{lang: node.text(lang, default=default) for lang in LANGUAGES})


def _shown(value: Any) -> str:
    """A value as an error shows it, with its TOML type when that is what is wrong."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return f"a list {value!r}"[:80]
    return repr(value)[:80]


def parse_document(text: str, source: str, error: type[SettingsError] = SettingsError) -> Table:
    """TOML text (from `source`, named in errors) as a `Table`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{source}: not valid TOML: {exc}") from None
    return Table(data, source=source, error=error)


# -- settings dataclasses -------------------------------------------------------------


def choices(*allowed: str) -> dict[str, Any]:
    """Field metadata: text (or each item of a list) must be one of `allowed`."""
    return {"choices": allowed}


def between(minimum: float, maximum: float, unit: str = "") -> dict[str, Any]:
    """Field metadata: a number from `minimum` to `maximum` (inclusive)."""
    return {"between": (minimum, maximum, unit)}


POSITIVE: Mapping[str, Any] = {"positive": True}
"""Field metadata: a number above zero."""


def read_settings(table: Table, settings: T) -> T:
    """`settings` (a dataclass instance holding the defaults) with the values of
    `table`, each read by its field's type: `str`, `bool`, `int`, `float`, `Path`,
    `tuple[str, ...]`, and any of them `| None` (an empty text means None there).
    Field metadata adds checks: `choices(...)`, `between(...)`, `POSITIVE`."""
    assert is_dataclass(settings) and not isinstance(settings, type)
    known = {f.name: f for f in fields(settings)}
    table.reject_unknown(set(known))
    hints = typing.get_type_hints(type(settings))
    values = {name: read_field(table, known[name], hints[name]) for name in table.data}
    return replace(settings, **values)


def read_field(table: Table, field: Field[Any], kind: Any) -> Any:
    """One value of `table` read as the type `kind` of `field`, checked by its metadata."""
    name = field.name
    optional = _optional(kind)
    base = optional if optional is not None else kind
    if optional is not None and table.data.get(name) == "":
        return None
    value: Any
    if base is bool:
        value = table.boolean(name)
    elif base is int:
        value = table.integer(name, minimum=None)
    elif base is float:
        value = table.number(name)
    elif base is str:
        value = table.text(name)
    elif base is Path:
        value = Path(table.text(name))
    elif typing.get_origin(base) is tuple:
        value = table.string_list(name)
    else:
        raise TypeError(f"settings of type {kind!r} cannot be read from a file")
    check_value(table, field, value)
    return value


def check_value(table: Table, field: Field[Any], value: Any) -> None:
    """Check a value against its field's metadata; the error names where it came from."""
    meta = field.metadata
    name = field.name
    allowed = meta.get("choices")
    if allowed is not None:
        for item in value if isinstance(value, tuple) else (value,):
            if item not in allowed:
                raise table.fail(name, f"{item!r} is not one of {', '.join(allowed)}")
    if meta.get("positive") and value <= 0:
        raise table.fail(name, f"must be positive, got {value!r}")
    bounds = meta.get("between")
    if bounds is not None:
        low, high, unit = bounds
        if not low <= value <= high:
            unit_text = f" {unit}" if unit else ""
            raise table.fail(
                name, f"must be between {low:g} and {high:g}{unit_text}, got {value!r}"
            )


def _optional(kind: Any) -> Any:
    """`X` for `X | None`, else None."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(kind) if m is not type(None)]
        if len(members) == 1 and len(typing.get_args(kind)) == 2:
            return members[0]
    return None


def with_overrides(
    settings: T, overrides: Mapping[str, Any], error: type[SettingsError] = SettingsError
) -> T:
    """`settings` with values given on the command line (None: not given), checked by
    the same field metadata; errors name the command line. A comma-separated text
    gives a list (`--languages lv,ru`); an empty text gives None where None is allowed."""
    assert is_dataclass(settings) and not isinstance(settings, type)
    known = {f.name: f for f in fields(settings)}
    hints = typing.get_type_hints(type(settings))
    table = Table({}, source=COMMAND_LINE, error=error)
    values: dict[str, Any] = {}
    for name, given in overrides.items():
        if given is not None:
            values[name] = _flag_value(table, known[name], hints[name], given)
    return replace(settings, **values)


def _flag_value(table: Table, field: Field[Any], hint: Any, given: Any) -> Any:
    optional = _optional(hint)
    kind = optional or hint
    value = given
    if typing.get_origin(kind) is tuple and isinstance(given, str):
        value = tuple(part.strip() for part in given.split(",") if part.strip())
    elif optional is not None and given == "":
        return None
    elif kind is Path and isinstance(given, str):
        value = Path(given)
    check_value(table, field, value)
    return value
