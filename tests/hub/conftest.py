"""The hub's tests use the PostgreSQL fixtures of `tests.support.postgres_fixtures`
(registered by tests/conftest.py): one private cluster per test session, a fresh
migrated database per test."""
