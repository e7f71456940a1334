"""The hub's migrations apply to an empty database and from every earlier version,
always ending in the same schema; applying them again changes nothing."""

from __future__ import annotations

import psycopg
import pytest

from hub.store.migrate import current_version, migrate, migrations

SCHEMA_QUERY = """
SELECT table_name, column_name, data_type, is_nullable, column_default
FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL
SELECT tablename, indexname, indexdef, '', '' FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), '', ''
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT c.relname, c.relkind::text, pg_get_partkeydef(c.oid), '', ''
FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
ORDER BY 1, 2, 3
"""


def schema(conn: psycopg.Connection) -> list[tuple]:
    return [tuple(row) for row in conn.execute(SCHEMA_QUERY).fetchall()]


def test_from_empty_then_again_is_a_no_op(empty_dsn: str) -> None:
    with psycopg.connect(empty_dsn, autocommit=True) as conn:
        assert current_version(conn) == 0
        applied = migrate(conn)
        assert applied == [m.version for m in migrations()]
        assert current_version(conn) == len(migrations())
        before = schema(conn)
        assert migrate(conn) == []
        assert schema(conn) == before
        tables = {row[0] for row in before}
        assert {"centres", "events", "visits", "rollups_daily", "rollups_monthly"} <= tables


@pytest.mark.parametrize("version", range(1, len(migrations())))
def test_from_each_earlier_version(pg_cluster, version: int) -> None:
    """A hub stopped at any earlier version, holding data of that version, upgrades
    to the same schema as a new one, keeping its data."""
    fresh_dsn = pg_cluster.create_database()
    old_dsn = pg_cluster.create_database()
    try:
        with psycopg.connect(fresh_dsn, autocommit=True) as fresh:
            migrate(fresh)
            expected = schema(fresh)
        with psycopg.connect(old_dsn, autocommit=True) as old:
            assert migrate(old, target=version) == list(range(1, version + 1))
            old.execute(
                "INSERT INTO centres (id, name, municipality, token_hash, created_at) "
                "VALUES ('riga-1', 'Rīga 1', 'Rīga', 'x', now())"
            )
            assert migrate(old) == list(range(version + 1, len(migrations()) + 1))
            assert schema(old) == expected
            names = old.execute("SELECT id FROM centres").fetchall()
            assert names == [("riga-1",)]
    finally:
        pg_cluster.drop_database(fresh_dsn)
        pg_cluster.drop_database(old_dsn)


def test_a_failing_step_leaves_the_earlier_ones(empty_dsn: str, monkeypatch) -> None:
    from hub.store import migrate as module

    steps = migrations()
    broken = [*steps[:1], type(steps[1])(2, "broken", "CREATE TABLE nonsense (;")]
    monkeypatch.setattr(module, "migrations", lambda: broken)
    with psycopg.connect(empty_dsn, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.SyntaxError):
            migrate(conn)
        assert current_version(conn) == 1
        assert conn.execute("SELECT to_regclass('centres') IS NOT NULL").fetchone() == (True,)
