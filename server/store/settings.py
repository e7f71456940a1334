"""The centre's stored settings: a small key-value table (the display ticker, keys
made on first use)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

TICKER = "ticker"
"""The hall displays' ticker text."""


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    """The stored value of `key`, or None."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row is not None else None


def put_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store `value` under `key`, replacing what was there."""
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def setting_made_once(conn: sqlite3.Connection, key: str, make: Callable[[], str]) -> str:
    """The value of `key`, made by `make` and stored the first time it is asked for
    (call inside a write transaction, so two callers agree on one value)."""
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, make()))
    value = get_setting(conn, key)
    assert value is not None
    return value
