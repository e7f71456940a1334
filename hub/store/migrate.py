"""The hub's database schema: numbered SQL files applied in order, each in its own
transaction, recorded in `schema_migrations` (applied at every start; idempotent).

A migration file is never edited once released: a change is a new file with the
next number. `tests/hub/test_migrations.py` applies them from empty and from
every earlier version and checks the result is the same schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import psycopg

MIGRATION_LOCK = 0x72696E6461  # pg_advisory_lock key: two hubs starting at once take turns
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered step."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with the hub, in order."""
    found = []
    for entry in resources.files("hub.store.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must run 1, 2, 3 ... without gaps: {versions}")
    return found


def current_version(conn: psycopg.Connection) -> int:
    """The last migration applied (0 for an empty database)."""
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: psycopg.Connection, target: int | None = None) -> list[int]:
    """Apply the migrations not yet applied, up to `target` (default: all); returns the
    versions applied. `conn` must be in autocommit mode (each step is its own
    transaction, so a failed step leaves the earlier ones in place)."""
    if not conn.autocommit:
        raise ValueError("migrate() needs an autocommit connection")
    steps = migrations()
    target = len(steps) if target is None else target
    applied: list[int] = []
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version integer PRIMARY KEY, name text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = current_version(conn)
        for step in steps[done:target]:
            with conn.transaction():
                conn.execute(step.sql.encode())
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (step.version, step.name),
                )
            applied.append(step.version)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return applied
