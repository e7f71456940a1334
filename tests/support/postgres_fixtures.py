"""Fixtures of a private PostgreSQL: one cluster per test session (started only when a
test asks for it), a fresh migrated database per test. Registered by tests/conftest.py
for the hub's tests and the hub's page tests."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from hub.private_cluster import Cluster
from hub.store.migrate import migrate

TEMPLATE = "hub_template"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL server (initdb in a temporary directory, Unix socket only)."""
    cluster = Cluster().start()
    try:
        with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}".encode())
        with psycopg.connect(cluster.dsn(TEMPLATE), autocommit=True) as conn:
            migrate(conn)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def empty_dsn(pg_cluster: Cluster) -> Iterator[str]:
    """An empty database of its own (no schema)."""
    dsn = pg_cluster.create_database()
    yield dsn
    pg_cluster.drop_database(dsn)


@pytest.fixture
def hub_dsn(pg_cluster: Cluster) -> Iterator[str]:
    """A database of its own with the hub's schema."""
    dsn = pg_cluster.create_database(template=TEMPLATE)
    yield dsn
    pg_cluster.drop_database(dsn)


@pytest.fixture
def hub_conn(hub_dsn: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the test's hub database."""
    with psycopg.connect(hub_dsn, autocommit=True) as conn:
        yield conn
